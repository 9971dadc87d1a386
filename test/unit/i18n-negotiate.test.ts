import { describe, expect, it } from 'vitest'
import { textDirection, LANGUAGES } from '../../src/shared/i18n/languages'
import {
  canonicalLanguageTag,
  chooseLanguage,
  negotiateLanguage
} from '../../src/shared/i18n/negotiate-language'
import { posixLocaleLanguages } from '../../src/shared/i18n/posix-locale'

describe('negotiateLanguage', () => {
  it('takes one of our languages as it is, whatever its case', () => {
    for (const language of LANGUAGES) expect(negotiateLanguage([language])).toBe(language)
    expect(negotiateLanguage(['PT-br'])).toBe('pt-BR')
    expect(negotiateLanguage(['DE'])).toBe('de')
  })

  it('falls back to the same language elsewhere: pt-PT → pt-BR, de-CH → de, en-GB → en', () => {
    expect(negotiateLanguage(['pt-PT'])).toBe('pt-BR')
    expect(negotiateLanguage(['pt'])).toBe('pt-BR')
    expect(negotiateLanguage(['de-CH'])).toBe('de')
    expect(negotiateLanguage(['de-AT'])).toBe('de')
    expect(negotiateLanguage(['fr-CA'])).toBe('fr')
    expect(negotiateLanguage(['es-419'])).toBe('es')
    expect(negotiateLanguage(['sv-FI'])).toBe('sv')
    expect(negotiateLanguage(['ar-EG'])).toBe('ar')
    expect(negotiateLanguage(['ja-JP'])).toBe('ja')
    expect(negotiateLanguage(['en-GB'])).toBe('en')
  })

  it('goes down the person’s list before giving up, and keeps its order', () => {
    expect(negotiateLanguage(['fi-FI', 'sv-FI', 'en-US'])).toBe('sv')
    expect(negotiateLanguage(['fr-CA', 'de-DE'])).toBe('fr')
    expect(negotiateLanguage(['de-DE', 'fr-CA'])).toBe('de')
  })

  it('is English when nothing matches: another script, another language, nothing at all', () => {
    expect(negotiateLanguage(['zh-Hant'])).toBe('en')
    expect(negotiateLanguage(['zh-TW', 'ko'])).toBe('en')
    expect(negotiateLanguage(['sr-Latn-RS'])).toBe('en')
    expect(negotiateLanguage([])).toBe('en')
    expect(negotiateLanguage([undefined])).toBe('en')
  })

  it('passes over malformed tags without throwing', () => {
    const garbage = ['', ' ', '!!', 'de_DE', 'en-', '-de', 'x'.repeat(200), 'de-' + 'a'.repeat(70)]
    expect(negotiateLanguage(garbage)).toBe('en')
    expect(negotiateLanguage([...garbage, 'nl-BE'])).toBe('nl')
    // 'und' is "undetermined": likely subtags would make it English, but it asks for nothing.
    expect(negotiateLanguage(['und', 'ja'])).toBe('ja')
  })
})

describe('chooseLanguage', () => {
  it('takes --lang over the system’s languages, even when we lack it', () => {
    expect(chooseLanguage('pt-PT', ['de-DE'])).toBe('pt-BR')
    expect(chooseLanguage('fi', ['de-DE'])).toBe('en')
  })

  it('without --lang, takes the system’s languages in order', () => {
    expect(chooseLanguage(undefined, ['fi-FI', 'it-IT', 'en-US'])).toBe('it')
    expect(chooseLanguage(undefined, [])).toBe('en')
  })
})

describe('canonicalLanguageTag', () => {
  it('gives the canonical form of a well-formed tag', () => {
    expect(canonicalLanguageTag('DE-at')).toBe('de-AT')
    expect(canonicalLanguageTag(' pt-br ')).toBe('pt-BR')
    expect(canonicalLanguageTag('zh-hant-tw')).toBe('zh-Hant-TW')
  })

  it('refuses what is not a BCP 47 tag', () => {
    for (const input of ['', 'de_DE', 'de.UTF-8', 'C', 'en-', '12', 'x'.repeat(100)])
      expect(canonicalLanguageTag(input), input).toBeUndefined()
  })
})

describe('posixLocaleLanguages', () => {
  it('reads LANG-style values: language_territory.codeset@modifier', () => {
    expect(posixLocaleLanguages({ LANG: 'de_DE.UTF-8' })).toEqual(['de-DE'])
    expect(posixLocaleLanguages({ LANG: 'pt_BR' })).toEqual(['pt-BR'])
    expect(posixLocaleLanguages({ LANG: 'sr_RS@latin' })).toEqual(['sr-RS'])
    expect(posixLocaleLanguages({ LANG: 'ja' })).toEqual(['ja'])
    expect(negotiateLanguage(posixLocaleLanguages({ LANG: 'de_AT.UTF-8' }))).toBe('de')
    expect(negotiateLanguage(posixLocaleLanguages({ LANG: 'pt_PT.UTF-8' }))).toBe('pt-BR')
  })

  it('LC_ALL over LC_MESSAGES over LANG, an empty one counting as unset', () => {
    const env = { LC_ALL: 'fr_FR.UTF-8', LC_MESSAGES: 'it_IT.UTF-8', LANG: 'de_DE.UTF-8' }
    expect(posixLocaleLanguages(env)).toEqual(['fr-FR'])
    expect(posixLocaleLanguages({ ...env, LC_ALL: '' })).toEqual(['it-IT'])
    expect(posixLocaleLanguages({ ...env, LC_ALL: undefined, LC_MESSAGES: '' })).toEqual(['de-DE'])
  })

  it('C and POSIX are no language: English', () => {
    for (const value of ['C', 'POSIX', 'C.UTF-8', 'C.utf8']) {
      expect(posixLocaleLanguages({ LANG: value }), value).toEqual([])
      expect(negotiateLanguage(posixLocaleLanguages({ LANG: value }))).toBe('en')
    }
    // LC_ALL=C wins over a translated LANG: the person asked for untranslated output.
    expect(posixLocaleLanguages({ LC_ALL: 'C', LANG: 'de_DE.UTF-8' })).toEqual([])
    expect(posixLocaleLanguages({})).toEqual([])
  })

  it('never throws on garbage, which negotiation then passes over', () => {
    for (const value of ['_', '.UTF-8', '@', 'de__DE', '€€€'])
      expect(negotiateLanguage(posixLocaleLanguages({ LANG: value })), value).toBe('en')
  })
})

describe('textDirection', () => {
  it('is right to left for Arabic only, of our languages', () => {
    expect(LANGUAGES.filter((language) => textDirection(language) === 'rtl')).toEqual(['ar'])
  })
})
