// The command's language (issue 12): --lang, else the environment's (LC_ALL, LC_MESSAGES, LANG),
// matched by BCP 47 rules, else English. Found before the arguments are parsed, so that a usage
// error is worded in it too. Only stderr and the help speak it: the JSON answer, error codes and
// exit codes stay as they are.

import { canonicalLanguageTag, chooseLanguage } from '../../shared/i18n/negotiate-language'
import { posixLocaleLanguages } from '../../shared/i18n/posix-locale'
import { translatorFor, type Translator } from '../../shared/i18n/translator'

/** The value of the last --lang (`--lang de` or `--lang=de`) before a `--` ends the options. */
export function langArgument(argv: readonly string[]): string | undefined {
  let value: string | undefined
  for (let index = 0; index < argv.length; index++) {
    const arg = argv[index]!
    if (arg === '--') break
    if (arg === '--lang') value = argv[++index]
    else if (arg.startsWith('--lang=')) value = arg.slice('--lang='.length)
  }
  return value
}

export function cliTranslator(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>
): Translator {
  const requested = langArgument(argv)
  // A malformed --lang is a usage error (cli-args.ts), said in the environment's language.
  const wellFormed = requested === undefined ? undefined : canonicalLanguageTag(requested)
  return translatorFor(chooseLanguage(wellFormed, posixLocaleLanguages(env)), {
    isolateValues: false
  })
}
