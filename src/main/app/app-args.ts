// The desktop app's own options, for installers: the sign-in options of `plex-login`, plus
// --output. Electron and Chromium put their own switches on the same command line
// (--no-sandbox, --user-data-dir=…), so options this app does not know are passed over with a
// warning rather than refused.

import { resolve } from 'node:path'
import { parseArgs } from 'node:util'
import {
  parseSignInOptions,
  SIGN_IN_ARG_OPTIONS,
  type SignInOptions,
  type SignInValues
} from '../options/option-values'
import { parseStepOptions, type StepOptions } from '../options/step-options'
import { canonicalLanguageTag } from '../../shared/i18n/negotiate-language'

export interface AppOptions extends SignInOptions, StepOptions {
  output?: string // write the JSON answer here (mode 0600)
  language?: string // --lang: the window's language, a well-formed BCP 47 tag
}

const OPTIONS = {
  ...SIGN_IN_ARG_OPTIONS,
  output: { type: 'string' },
  lang: { type: 'string' },
  profile: { type: 'string' },
  server: { type: 'string' }
} as const

export type ParsedAppArgs =
  | { kind: 'run'; options: AppOptions; ignored: string[] }
  | { kind: 'usage-error'; message: string; json: boolean; output?: string }

export function parseAppArgs(
  argv: string[],
  env: NodeJS.ProcessEnv,
  cwd = process.cwd()
): ParsedAppArgs {
  const { values, tokens } = parseArgs({
    args: argv,
    strict: false,
    allowPositionals: true,
    tokens: true,
    options: OPTIONS
  })
  // strict: false also takes the next option as a value (`--output --json`); strict refuses
  // that, and so does this, without taking `--json` for a file name.
  const swallowed = tokens.find(
    (token): token is Extract<typeof token, { kind: 'option' }> =>
      token.kind === 'option' &&
      Object.hasOwn(OPTIONS, token.name) &&
      !token.inlineValue &&
      token.value?.startsWith('-') === true
  )
  const json = values.json === true || swallowed?.value === '--json'
  const outputValue =
    typeof values.output === 'string' && swallowed?.name !== 'output' ? values.output : undefined
  const output = outputValue ? resolve(cwd, outputValue) : undefined
  const fail = (message: string): ParsedAppArgs => ({
    kind: 'usage-error',
    message,
    json,
    ...(output ? { output } : {})
  })
  if (swallowed) return fail(`--${swallowed.name} needs a value`)

  // strict: false lets an option arrive with the wrong kind of value: refuse that plainly.
  for (const [name, { type }] of Object.entries(OPTIONS)) {
    const value = values[name]
    if (value === undefined || typeof value === type) continue
    return fail(type === 'string' ? `--${name} needs a value` : `--${name} takes no value`)
  }
  if (values.output === '') return fail('--output needs a file name')

  const signIn = parseSignInOptions(values as SignInValues, env, {
    loopbackOnly: true
  })
  if (!signIn.ok) return fail(signIn.message)
  const steps = parseStepOptions(values as StepOptions)
  if (!steps.ok) return fail(steps.message)
  // Well-formed is enough: a language the app lacks falls back to English, like the OS's would.
  const language = typeof values.lang === 'string' ? canonicalLanguageTag(values.lang) : undefined
  if (values.lang !== undefined && !language) {
    return fail('--lang needs a language tag such as de, pt-BR or ar')
  }

  const ignored = tokens.flatMap((token) =>
    token.kind === 'option' && !Object.hasOwn(OPTIONS, token.name) ? [token.rawName] : []
  )
  const options = {
    ...signIn.value,
    ...steps.value,
    ...(output ? { output } : {}),
    ...(language ? { language } : {})
  }
  return { kind: 'run', options, ignored }
}
