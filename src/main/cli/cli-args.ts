// Parsing and validating `plex-login`'s arguments. The contract (names, defaults, exit codes)
// is fixed by the README and by installers that call the command.

import { parseArgs } from 'node:util'
import { resolve } from 'node:path'
import { DEFAULT_PLEX_URL } from '../plex/plex-client'
import { defaultCliStoreDir, PRODUCT_NAME } from '../store/store-paths'

export type CliCommand = 'login' | 'status' | 'logout'

export interface CliOptions {
  command: CliCommand
  json: boolean
  storeDir: string
  plexUrl: string
  product: string
  clientId?: string
  strong: boolean
  renew: boolean
  timeoutMs?: number
  open: boolean
  reuse: boolean
}

export type ParsedCli =
  | { kind: 'run'; options: CliOptions }
  | { kind: 'help' }
  | { kind: 'version' }
  | { kind: 'usage-error'; message: string; json: boolean }

export const HELP_TEXT = `Usage: plex-login [login|status|logout] [options]

Sign in to Plex with a short code and hand the token to the program that asked.
login is the default command.

Options:
  --json               print exactly one JSON object on stdout, nothing else on stdout
  --store-dir <dir>    where the client identifier and token live
                       (default: ${defaultCliStoreDir()})
  --plex-url <url>     plex.tv origin (default ${DEFAULT_PLEX_URL}; env PLEX_LOGIN_PLEX_URL);
                       http:// only for loopback hosts
  --product <name>     X-Plex-Product (default "${PRODUCT_NAME}"): the name shown under
                       Authorized Devices
  --client-id <id>     use this client identifier instead of the stored one
  --strong             a strong code and the app.plex.tv auth page instead of plex.tv/link
  --no-renew           when the code expires, stop with exit 3 instead of asking for a new one
  --timeout <seconds>  give up after this long in total (exit 3)
  --open               also open the link in the default browser
  --reuse              login: if the stored token is still valid, finish at once with it
  -h, --help           show this help
  -V, --version        show the version

Exit codes: 0 signed in / status valid / logged out, 1 failure, 2 usage error,
3 code expired (--no-renew) or --timeout reached, 4 status: not signed in, 130 interrupted.
`

const LOGIN_ONLY = ['strong', 'no-renew', 'open', 'reuse'] as const

export function parseCliArgs(argv: string[], env: NodeJS.ProcessEnv = process.env): ParsedCli {
  const json = argv.includes('--json')
  let parsed
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: {
        json: { type: 'boolean' },
        'store-dir': { type: 'string' },
        'plex-url': { type: 'string' },
        product: { type: 'string' },
        'client-id': { type: 'string' },
        strong: { type: 'boolean' },
        'no-renew': { type: 'boolean' },
        timeout: { type: 'string' },
        open: { type: 'boolean' },
        reuse: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
        version: { type: 'boolean', short: 'V' }
      }
    })
  } catch (error) {
    return { kind: 'usage-error', message: parseArgsMessage(error), json }
  }
  const { values, positionals } = parsed
  if (values.help) return { kind: 'help' }
  if (values.version) return { kind: 'version' }

  const fail = (message: string): ParsedCli => ({ kind: 'usage-error', message, json })
  if (positionals.length > 1) return fail(`expected one command, got: ${positionals.join(' ')}`)
  const command = positionals[0] ?? 'login'
  if (!isCommand(command)) return fail(`unknown command "${command}" (use login, status or logout)`)
  if (command !== 'login') {
    const misplaced = LOGIN_ONLY.find((name) => values[name])
    if (misplaced) return fail(`--${misplaced} only applies to login`)
  }

  const plexUrl = parsePlexUrl(values['plex-url'] ?? env.PLEX_LOGIN_PLEX_URL ?? DEFAULT_PLEX_URL)
  if (!plexUrl.ok) return fail(plexUrl.message)
  const product = parseProduct(values.product ?? PRODUCT_NAME)
  if (!product.ok) return fail(product.message)
  const clientId =
    values['client-id'] === undefined ? undefined : parseClientId(values['client-id'])
  if (clientId && !clientId.ok) return fail(clientId.message)
  const timeout = values.timeout === undefined ? undefined : parseTimeout(values.timeout)
  if (timeout && !timeout.ok) return fail(timeout.message)
  const storeDir = values['store-dir']
  if (storeDir !== undefined && !storeDir.trim()) return fail('--store-dir needs a folder')

  return {
    kind: 'run',
    options: {
      command,
      json: values.json ?? false,
      storeDir: resolve(storeDir ?? defaultCliStoreDir(env)),
      plexUrl: plexUrl.value,
      product: product.value,
      ...(clientId?.ok ? { clientId: clientId.value } : {}),
      strong: values.strong ?? false,
      renew: !values['no-renew'],
      ...(timeout?.ok ? { timeoutMs: timeout.value } : {}),
      open: values.open ?? false,
      reuse: values.reuse ?? false
    }
  }
}

type Checked<T> = { ok: true; value: T } | { ok: false; message: string }

const LOOPBACK_HOSTS = new Set(['localhost', '[::1]'])

/** An origin: https anywhere, http only on loopback (for the fake plex.tv in tests and demos). */
export function parsePlexUrl(input: string): Checked<string> {
  let url: URL
  try {
    url = new URL(input)
  } catch {
    return { ok: false, message: `--plex-url is not a URL: ${input}` }
  }
  const loopback = LOOPBACK_HOSTS.has(url.hostname) || /^127(\.\d{1,3}){3}$/.test(url.hostname)
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback)) {
    return { ok: false, message: '--plex-url must be https://, or http:// on a loopback host' }
  }
  if (url.username || url.password || url.search || url.hash || url.pathname !== '/') {
    return { ok: false, message: '--plex-url must be an origin only, like https://plex.tv' }
  }
  return { ok: true, value: url.origin }
}

export function parseTimeout(input: string): Checked<number> {
  const seconds = Number(input)
  if (!input.trim() || !Number.isFinite(seconds) || seconds <= 0) {
    return { ok: false, message: `--timeout must be a positive number of seconds, got "${input}"` }
  }
  return { ok: true, value: Math.ceil(seconds * 1000) }
}

export function parseProduct(input: string): Checked<string> {
  const value = input.trim()
  // It goes into an HTTP header: printable characters only, and short.
  if (!value || value.length > 100 || /[^\x20-\x7e]/.test(value)) {
    return { ok: false, message: '--product must be 1–100 printable ASCII characters' }
  }
  return { ok: true, value }
}

export function parseClientId(input: string): Checked<string> {
  if (!/^[\x21-\x7e]{1,128}$/.test(input)) {
    return {
      ok: false,
      message: '--client-id must be 1–128 printable ASCII characters without spaces'
    }
  }
  return { ok: true, value: input }
}

function isCommand(value: string): value is CliCommand {
  return value === 'login' || value === 'status' || value === 'logout'
}

// node:util's messages carry advice about '--' that does not help here: keep the first sentence.
function parseArgsMessage(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error)
  // Sentences end in '. ' or '.\n' (the 'ambiguous' message of a value starting with '-').
  return message.split(/\.\s/)[0]!.replace(/\.$/, '')
}
