// The command's language (issue 12): which one it speaks, and that only the words on stderr
// change with it; the usage error's English message (the JSON answer's) stays node:util's or ours.
import { parseArgs } from 'node:util'
import { describe, expect, it } from 'vitest'
import { parseCliArgs, type ParsedCli } from '../../src/main/cli/cli-args'
import { cliTranslator, langArgument } from '../../src/main/cli/cli-language'
import { translatorFor } from '../../src/shared/i18n/translator'

const GERMAN = translatorFor('de', { isolateValues: false })

function usageError(argv: string[]): Extract<ParsedCli, { kind: 'usage-error' }> {
  const parsed = parseCliArgs(argv, {}, GERMAN)
  if (parsed.kind !== 'usage-error') throw new Error(`expected a usage error: ${argv.join(' ')}`)
  return parsed
}

// node:util's own first sentence, which the English message must still be.
function nodeSays(argv: string[]): string {
  try {
    parseArgs({
      args: argv,
      strict: true,
      allowPositionals: true,
      options: { 'store-dir': { type: 'string' }, json: { type: 'boolean' } }
    })
  } catch (error) {
    return (error as Error).message.split(/\.\s/)[0]!.replace(/\.$/, '')
  }
  throw new Error('expected node:util to refuse')
}

describe('the command’s language', () => {
  it('--lang wins, then LC_ALL, LC_MESSAGES, LANG; C and POSIX are English', () => {
    const language = (argv: string[], env: Record<string, string>) =>
      cliTranslator(argv, env).language
    expect(language(['--lang', 'de'], { LC_ALL: 'ja_JP.UTF-8' })).toBe('de')
    expect(language(['--lang=pt-PT'], {})).toBe('pt-BR')
    expect(language([], { LC_ALL: 'ja_JP.UTF-8', LANG: 'de_DE.UTF-8' })).toBe('ja')
    expect(language([], { LC_MESSAGES: 'sv_SE', LANG: 'de_DE.UTF-8' })).toBe('sv')
    expect(language([], { LANG: 'ar_EG.UTF-8' })).toBe('ar')
    expect(language([], { LANG: 'C.UTF-8' })).toBe('en')
    expect(language([], { LC_ALL: 'POSIX', LANG: 'de_DE' })).toBe('en')
    // A malformed --lang is a usage error, worded in the environment's language.
    expect(language(['--lang', 'no such tag'], { LANG: 'de_DE' })).toBe('de')
    // A terminal gets no bidi isolation marks around names.
    expect(cliTranslator([], { LANG: 'ar' }).t('cli.signedInAs', { name: 'x' })).not.toMatch(
      /[\u2066-\u2069]/
    )
  })

  it('reads the last --lang before `--`', () => {
    expect(langArgument(['--lang', 'de', 'status', '--lang=fr'])).toBe('fr')
    expect(langArgument(['status', '--', '--lang', 'de'])).toBeUndefined()
    expect(langArgument(['--language', 'de'])).toBeUndefined()
  })

  it('words usage errors for stderr in German, keeping the English message for JSON', () => {
    expect(usageError(['signin'])).toMatchObject({
      message: 'unknown command "signin" (use login, status, logout, profiles, servers or token)',
      text: 'unbekannter Befehl "signin" (login, status, logout, profiles, servers oder token verwenden)'
    })
    expect(usageError(['status', '--server', 'auto']).text).toBe('--server gilt nur für login')
    expect(usageError(['--lang', 'x y'])).toMatchObject({
      message: '--lang needs a language tag such as de, pt-BR or ar',
      text: '--lang braucht ein Sprachkürzel wie de, pt-BR oder ar'
    })
  })

  it.each([
    [['--bogus'], 'Unbekannte Option „--bogus“'],
    [['--store-dir'], 'Option „--store-dir <Wert>“: der Wert fehlt'],
    [['--json=false'], 'Option „--json“ nimmt keinen Wert'],
    [['--store-dir', '--json'], 'Der Wert der Option „--store-dir“ ist mehrdeutig']
  ])('node:util’s refusal of %j: its English as it was, German on stderr', (argv, german) => {
    expect(usageError(argv)).toMatchObject({ message: nodeSays(argv), text: german })
  })
})
