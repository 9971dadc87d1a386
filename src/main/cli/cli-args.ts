// Parsing and validating `plex-login`'s arguments. The contract (names, defaults, exit codes)
// is fixed by the README and by installers that call the command.

import { parseArgs } from 'node:util'
import { resolve } from 'node:path'
import { DEFAULT_PLEX_URL } from '../plex/plex-client'
import { defaultCliStoreDir, PRODUCT_NAME, productStoreDir } from '../store/store-paths'
import {
  parseSignInOptions,
  SIGN_IN_ARG_OPTIONS,
  type SignInOptions
} from '../options/option-values'

export type CliCommand = 'login' | 'status' | 'logout' | 'profiles' | 'servers'

export interface CliOptions extends SignInOptions {
  command: CliCommand
  storeDir: string
  open: boolean
  reuse: boolean
  profile?: string // login: a Home profile's uuid or title, or `ask`
  server?: string // login: a server's machineIdentifier or name, `auto` or `ask`
}

export type ParsedCli =
  | { kind: 'run'; options: CliOptions }
  | { kind: 'help' }
  | { kind: 'version' }
  | { kind: 'usage-error'; message: string; json: boolean }

export const HELP_TEXT = `Usage: plex-login [login|status|logout] [options]
       plex-login profiles|servers [--json] [options]

Sign in to Plex with a short code and hand the token to the program that asked.
login is the default command; profiles and servers list what the stored sign-in can use.

Options:
  --json               print exactly one JSON object on stdout, nothing else on stdout
  --store-dir <dir>    where the client identifier and token live
                       (default: ${defaultCliStoreDir()};
                       another --product gets its own folder under products/ there)
  --plex-url <url>     plex.tv origin (default ${DEFAULT_PLEX_URL}; env PLEX_LOGIN_PLEX_URL);
                       http:// only for loopback hosts; stands in for clients.plex.tv too
  --product <name>     X-Plex-Product (default "${PRODUCT_NAME}"): the name shown under
                       Authorized Devices
  --client-id <id>     use this client identifier instead of the stored one
  --strong             a strong code and the app.plex.tv auth page instead of plex.tv/link
  --no-renew           when the code expires, stop with exit 3 instead of asking for a new one
  --timeout <seconds>  give up after this long in total (exit 3)
  --open               also open the link in the default browser
  --reuse              login: if the stored token is still valid, finish at once with it
  --profile <p>        login: then switch to this Plex Home profile (uuid, title or ask);
                       a PIN comes from env PLEX_LOGIN_PROFILE_PIN or is asked on the terminal
  --server <s>         login: then choose a media server (machineIdentifier, name, auto or
                       ask) and add it, with its token and a tested address, to the answer
  -h, --help           show this help
  -V, --version        show the version

Exit codes: 0 signed in / status valid / logged out, 1 failure, 2 usage error,
3 code expired (--no-renew) or --timeout reached, 4 status: not signed in, 130 interrupted.
`

const LOGIN_ONLY = ['strong', 'no-renew', 'open', 'reuse', 'profile', 'server'] as const

export function parseCliArgs(argv: string[], env: NodeJS.ProcessEnv = process.env): ParsedCli {
  // Known before parsing, so that even a usage error can be answered in JSON.
  const json = argv.some((arg) => arg === '--json' || arg.startsWith('--json='))
  let parsed
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: {
        ...SIGN_IN_ARG_OPTIONS,
        'store-dir': { type: 'string' },
        open: { type: 'boolean' },
        reuse: { type: 'boolean' },
        profile: { type: 'string' },
        server: { type: 'string' },
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
  if (!isCommand(command)) {
    return fail(`unknown command "${command}" (use login, status, logout, profiles or servers)`)
  }
  if (command !== 'login') {
    const misplaced = LOGIN_ONLY.find((name) => values[name] !== undefined)
    if (misplaced) return fail(`--${misplaced} only applies to login`)
  }

  const signIn = parseSignInOptions(values, env)
  if (!signIn.ok) return fail(signIn.message)
  const storeDir = values['store-dir']
  if (storeDir !== undefined && !storeDir.trim()) return fail('--store-dir needs a folder')
  const { profile, server } = values
  if (profile !== undefined && !profile.trim())
    return fail('--profile needs a uuid, a title or ask')
  if (server !== undefined && !server.trim()) {
    return fail('--server needs a machineIdentifier, a name, auto or ask')
  }

  return {
    kind: 'run',
    options: {
      ...signIn.value,
      command,
      storeDir: resolve(storeDir ?? productStoreDir(defaultCliStoreDir(env), signIn.value.product)),
      open: values.open ?? false,
      reuse: values.reuse ?? false,
      ...(profile === undefined ? {} : { profile }),
      ...(server === undefined ? {} : { server })
    }
  }
}

function isCommand(value: string): value is CliCommand {
  return ['login', 'status', 'logout', 'profiles', 'servers'].includes(value)
}

// node:util's messages carry advice about '--' that does not help here: keep the first sentence.
function parseArgsMessage(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error)
  // Sentences end in '. ' or '.\n' (the 'ambiguous' message of a value starting with '-').
  return message.split(/\.\s/)[0]!.replace(/\.$/, '')
}
