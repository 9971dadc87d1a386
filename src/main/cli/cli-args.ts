// Parsing and validating `plex-login`'s arguments. The contract (names, defaults, exit codes)
// is fixed by the README and by installers that call the command.

import { parseArgs } from 'node:util'
import { resolve } from 'node:path'
import type { MessageKey } from '../../shared/i18n/catalogs'
import { FALLBACK_LANGUAGE } from '../../shared/i18n/languages'
import { canonicalLanguageTag } from '../../shared/i18n/negotiate-language'
import { translatorFor, type MessageValues, type Translator } from '../../shared/i18n/translator'
import { DEFAULT_PLEX_URL } from '../plex/plex-client'
import { defaultCliStoreDir, PRODUCT_NAME, productStoreDir } from '../store/store-paths'
import {
  parseSignInOptions,
  SIGN_IN_ARG_OPTIONS,
  type Checked,
  type SignInOptions
} from '../options/option-values'
import { parseStepOptions } from '../options/step-options'

export type CliCommand = 'login' | 'status' | 'logout' | 'profiles' | 'servers' | 'token'

export interface CliOptions extends SignInOptions {
  command: CliCommand
  storeDir: string
  open: boolean
  reuse: boolean
  profile?: string // login: a Home profile's uuid or title, or `ask`
  server?: string // login: a server's machineIdentifier or name, `auto` or `ask`
  minValidityMs?: number // token: how long the printed JWT must stay valid at least
}

/** `token`'s default --min-validity: a day, as python-plexapi and others refresh. */
export const DEFAULT_MIN_VALIDITY_S = 86_400
/** A Plex JWT lasts 7 days: no refresh can give one valid for longer. */
export const MAX_MIN_VALIDITY_S = 7 * 86_400

export type ParsedCli =
  | { kind: 'run'; options: CliOptions }
  | { kind: 'help' }
  | { kind: 'version' }
  // message: English, for the JSON answer; text: the person's language, for stderr.
  | { kind: 'usage-error'; message: string; text: string; json: boolean }

const ENGLISH = translatorFor(FALLBACK_LANGUAGE)

/**
 * The help, in the person's language (a terminal's translator: cli-language.ts); options,
 * commands and values stay as they are.
 */
export function helpText({ t }: Translator = ENGLISH): string {
  const text = t('cli.help', {
    storeDir: defaultCliStoreDir(),
    plexUrl: DEFAULT_PLEX_URL,
    product: PRODUCT_NAME,
    minValidity: String(DEFAULT_MIN_VALIDITY_S),
    maxValidity: String(MAX_MIN_VALIDITY_S)
  })
  return `${text}\n`
}

const LOGIN_ONLY = ['strong', 'no-renew', 'open', 'reuse', 'profile', 'server'] as const

export function parseCliArgs(
  argv: string[],
  env: NodeJS.ProcessEnv = process.env,
  translator: Translator = ENGLISH
): ParsedCli {
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
        'min-validity': { type: 'string' },
        lang: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
        version: { type: 'boolean', short: 'V' }
      }
    })
  } catch (error) {
    const problem = parseArgsProblem(error)
    if (typeof problem === 'string')
      return { kind: 'usage-error', message: problem, text: problem, json }
    const [key, option] = problem
    return {
      kind: 'usage-error',
      message: ENGLISH.t(key, { option }),
      text: translator.t(key, { option }),
      json
    }
  }
  const { values, positionals } = parsed
  const fail = (key: MessageKey, values: MessageValues = {}): ParsedCli => ({
    kind: 'usage-error',
    message: ENGLISH.t(key, values),
    text: translator.t(key, values),
    json
  })
  // Checked first: the language of everything else, help included.
  if (values.lang !== undefined && !canonicalLanguageTag(values.lang)) return fail('cli.usage.lang')
  if (values.help) return { kind: 'help' }
  if (values.version) return { kind: 'version' }

  if (positionals.length > 1)
    return fail('cli.usage.oneCommand', { commands: positionals.join(' ') })
  const command = positionals[0] ?? 'login'
  if (!isCommand(command)) return fail('cli.usage.unknownCommand', { command })
  if (command !== 'login') {
    const misplaced = LOGIN_ONLY.find((name) => values[name] !== undefined)
    if (misplaced) return fail('cli.usage.loginOnly', { option: `--${misplaced}` })
  }
  if (values.jwt && (command === 'profiles' || command === 'servers'))
    return fail('cli.usage.jwtCommands')
  if (values['client-id'] !== undefined && (values.jwt || command === 'token'))
    // Used for a JWT, a classic token's client identifier would lose that token at plex.tv.
    return fail('cli.usage.clientIdJwt')
  const minValidity = values['min-validity']
  if (minValidity !== undefined && command !== 'token')
    return fail('cli.usage.minValidityTokenOnly')
  const minValiditySeconds =
    minValidity === undefined ? DEFAULT_MIN_VALIDITY_S : parseMinValidity(minValidity)
  if (minValiditySeconds === undefined) {
    return fail('cli.usage.minValidityRange', {
      max: String(MAX_MIN_VALIDITY_S),
      value: minValidity!
    })
  }

  // The checks the app shares: English for the JSON answer, the person's language on stderr.
  const refused = (checked: Checked<unknown> & { ok: false }): ParsedCli => ({
    kind: 'usage-error',
    message: checked.message,
    text: checked.key ? translator.t(checked.key, checked.values) : checked.message,
    json
  })
  const signIn = parseSignInOptions(values, env)
  if (!signIn.ok) return refused(signIn)
  const storeDir = values['store-dir']
  if (storeDir !== undefined && !storeDir.trim()) return fail('cli.usage.storeDir')
  const steps = parseStepOptions(values)
  if (!steps.ok) return refused(steps)

  return {
    kind: 'run',
    options: {
      ...signIn.value,
      command,
      storeDir: resolve(storeDir ?? productStoreDir(defaultCliStoreDir(env), signIn.value.product)),
      open: values.open ?? false,
      reuse: values.reuse ?? false,
      ...steps.value,
      ...(command === 'token' ? { minValidityMs: minValiditySeconds * 1000 } : {})
    }
  }
}

function isCommand(value: string): value is CliCommand {
  return ['login', 'status', 'logout', 'profiles', 'servers', 'token'].includes(value)
}

/** Whole seconds, 1 to 7 days, or undefined. */
function parseMinValidity(input: string): number | undefined {
  const seconds = /^\d{1,7}$/.test(input.trim()) ? Number(input.trim()) : Number.NaN
  return seconds >= 1 && seconds <= MAX_MIN_VALIDITY_S ? seconds : undefined
}

// node:util's messages, read back as ours (English reads exactly as node:util's first sentence),
// or that sentence as it is when it is none of these.
const PARSE_ARGS_PROBLEMS: [RegExp, MessageKey][] = [
  [/^Unknown option '(.+)'$/, 'cli.usage.unknownOption'],
  [/^Option '(.+) <value>' argument missing$/, 'cli.usage.valueMissing'],
  [/^Option '(.+)' does not take an argument$/, 'cli.usage.noValue'],
  [/^Option '(.+)' argument is ambiguous$/, 'cli.usage.ambiguous']
]

function parseArgsProblem(error: unknown): [MessageKey, string] | string {
  const message = parseArgsMessage(error)
  for (const [pattern, key] of PARSE_ARGS_PROBLEMS) {
    const option = pattern.exec(message)?.[1]
    if (option !== undefined) return [key, option]
  }
  return message
}

// node:util's messages carry advice about '--' that does not help here: keep the first sentence.
function parseArgsMessage(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error)
  // Sentences end in '. ' or '.\n' (the 'ambiguous' message of a value starting with '-').
  return message.split(/\.\s/)[0]!.replace(/\.$/, '')
}
