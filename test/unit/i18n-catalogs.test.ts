// The catalogs against English: the same keys, and in every message the same arguments of the
// same kind, read from the ICU MessageFormat syntax tree intl-messageformat parses.

import { readdirSync, readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { IntlMessageFormat } from 'intl-messageformat'
import { describe, expect, it } from 'vitest'
import { CATALOGS, type MessageKey } from '../../src/shared/i18n/catalogs'
import { LANGUAGES, type Language } from '../../src/shared/i18n/languages'

const ROOT = resolve(import.meta.dirname, '../..')
const english = CATALOGS.en as Record<MessageKey, string>
const KEYS = Object.keys(english).sort() as MessageKey[]

type Ast = ReturnType<IntlMessageFormat['getAst']>
type Element = Ast[number]

// The parser's element types (@formatjs/icu-messageformat-parser TYPE).
const KIND: Record<number, string> = {
  1: 'text', // {name}
  2: 'number', // {name, number}
  3: 'date',
  4: 'time',
  5: 'select',
  6: 'number', // {name, plural, …}: a number too, only worded by its plural category
  8: 'tag'
}

interface Argument {
  name: string
  kind: string
  selectKeys?: string[]
  pluralKeys?: string[]
}

function argumentsOf(ast: Ast, found: Argument[] = []): Argument[] {
  for (const element of ast as Element[]) {
    const kind = KIND[element.type]
    if (!kind || !('value' in element)) continue
    const argument: Argument = { name: String(element.value), kind }
    if ('options' in element) {
      const keys = Object.keys(element.options).sort()
      if (kind === 'select') argument.selectKeys = keys
      else argument.pluralKeys = keys
      for (const option of Object.values(element.options)) argumentsOf(option.value, found)
    }
    if ('children' in element) argumentsOf(element.children, found)
    found.push(argument)
  }
  return found
}

const parse = (language: Language, key: MessageKey): Ast =>
  new IntlMessageFormat(CATALOGS[language][key] ?? '', language, undefined, {
    ignoreTag: true
  }).getAst()

/** name:kind for every argument, each once, sorted: what a caller has to pass. */
const signature = (args: Argument[]): string[] =>
  [...new Set(args.map(({ name, kind }) => `${name}:${kind}`))].sort()

const count = (text: string, pattern: RegExp): number => text.match(pattern)?.length ?? 0

describe('message catalogs', () => {
  it('are one JSON file per language in src/locales, and nothing else', () => {
    const files = readdirSync(join(ROOT, 'src/locales')).sort()
    expect(files).toEqual(LANGUAGES.map((language) => `${language}.json`).sort())
  })

  describe.each(LANGUAGES.filter((language) => language !== 'en'))('%s', (language) => {
    const catalog = CATALOGS[language] as Record<string, string>

    it('has every key English has, and no other', () => {
      const keys = Object.keys(catalog)
      expect(
        KEYS.filter((key) => !keys.includes(key)),
        'missing'
      ).toEqual([])
      expect(
        keys.filter((key) => !(key in english)),
        'not in English'
      ).toEqual([])
    })

    it('takes the same arguments as English in every message, of the same kind', () => {
      for (const key of KEYS) {
        expect(signature(argumentsOf(parse(language, key))), key).toEqual(
          signature(argumentsOf(parse('en', key)))
        )
      }
    })

    it('chooses only with the select keys English has and plural categories this language has', () => {
      const categories = new Intl.PluralRules(language).resolvedOptions().pluralCategories
      for (const key of KEYS) {
        const selects = (args: Argument[]) =>
          args.filter((arg) => arg.selectKeys).map((arg) => `${arg.name}:${arg.selectKeys}`)
        const args = argumentsOf(parse(language, key))
        expect(selects(args), key).toEqual(selects(argumentsOf(parse('en', key))))
        for (const plural of args.filter((arg) => arg.pluralKeys)) {
          expect(plural.pluralKeys, key).toContain('other')
          const unknown = plural.pluralKeys!.filter(
            (option) => !/^=\d+$/.test(option) && !categories.includes(option as never)
          )
          expect(unknown, `${key}: not plural categories of ${language}`).toEqual([])
        }
      }
    })

    it('keeps Plex and plex.tv as they are, untranslated', () => {
      for (const key of KEYS) {
        const text = catalog[key] ?? ''
        expect(count(text, /plex\.tv/g), key).toBe(count(english[key], /plex\.tv/g))
        expect(count(text, /\bPlex\b/g), key).toBe(count(english[key], /\bPlex\b/g))
      }
    })
  })

  it('has no empty message in any language', () => {
    for (const language of LANGUAGES) {
      for (const key of KEYS)
        expect(CATALOGS[language][key]?.trim(), `${language} ${key}`).toBeTruthy()
    }
  })

  it('has every key index.html names (data-i18n, data-i18n-aria-label)', () => {
    const html = readFileSync(join(ROOT, 'src/renderer/index.html'), 'utf8')
    const named = [...html.matchAll(/data-i18n(?:-aria-label)?="([^"]+)"/g)].map(
      (match) => match[1]
    )
    expect(named.length).toBeGreaterThan(10)
    expect(named.filter((key) => !(key! in english))).toEqual([])
  })
})
