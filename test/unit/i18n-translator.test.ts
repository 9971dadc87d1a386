// Messages in a language: numbers and plural forms through Intl, arguments isolated in
// right-to-left text, and the window's error wording in more than English.

import { describe, expect, it } from 'vitest'
import { errorWording, formatWait } from '../../src/shared/error-wording'
import { LANGUAGES } from '../../src/shared/i18n/languages'
import { translatorFor } from '../../src/shared/i18n/translator'

const NOW = 1_000_000
const busy = (waitMs: number) =>
  ({
    phase: 'error',
    message: 'plex.tv is not answering properly (HTTP 503)',
    retryAt: NOW + waitMs
  }) as const

describe('translatorFor', () => {
  it('gives each language its own messages, direction and tag', () => {
    const titles = new Set(LANGUAGES.map((language) => translatorFor(language).t('window.title')))
    expect(titles.size).toBe(LANGUAGES.length)
    expect(translatorFor('de').t('window.title')).toBe('Bei Plex anmelden')
    expect(translatorFor('ar').dir).toBe('rtl')
    expect(translatorFor('ja').dir).toBe('ltr')
    expect(translatorFor('pt-BR').language).toBe('pt-BR')
  })

  it('formats numbers in the language (NumberFormat)', () => {
    const day = 24 * 60 * 60_000
    expect(formatWait(day)).toBe('1,440\u00a0min')
    expect(formatWait(day, translatorFor('de'))).toBe('1.440\u00a0min')
    expect(formatWait(day, translatorFor('fr'))).toMatch(/^1\u202f440\u00a0min$/)
  })

  it('picks the plural form of the language (PluralRules): Arabic has six', () => {
    const ar = translatorFor('ar')
    expect(formatWait(1_000, ar)).toBe('ثانية واحدة')
    expect(formatWait(2_000, ar)).toBe('ثانيتين')
    expect(formatWait(3_000, ar)).toBe('3 ثوانٍ')
    expect(formatWait(11_000, ar)).toBe('11 ثانية')
    expect(formatWait(2 * 60_000 + 1, ar)).toBe('3 دقائق')
  })

  it('keeps a name, a code or a site in its own direction inside right-to-left text', () => {
    const name = 'Alice Example'
    const arabic = translatorFor('ar').t('signedIn.announce', { name })
    expect(arabic).toContain(`\u2068${name}\u2069`)
    expect(translatorFor('en').t('signedIn.announce', { name })).toBe(`Signed in as ${name}.`)
  })

  it('places an element where the language puts its argument', () => {
    const link = { element: 'a' }
    expect(translatorFor('en').parts('action.openLink', { site: link })).toEqual(['Open ', link])
    expect(translatorFor('de').parts('action.openLink', { site: link })).toEqual([link, ' öffnen'])
    expect(translatorFor('ja').parts('action.openLink', { site: link })).toEqual([link, ' を開く'])
  })
})

describe('errorWording in other languages', () => {
  it('is English by default, word for word as before', () => {
    expect(errorWording(busy(30_000), NOW).sentence).toBe(
      'plex.tv is busy; trying again in 30\u00a0s.'
    )
  })

  it('words the wait and the advice in the window’s language', () => {
    expect(errorWording(busy(30_000), NOW, translatorFor('de'))).toEqual({
      sentence: 'plex.tv ist ausgelastet; neuer Versuch in 30\u00a0s.',
      advice: 'Dein Code erscheint hier, sobald plex.tv einen sendet.'
    })
    const offline = { phase: 'error', message: 'Could not reach plex.tv' } as const
    expect(errorWording(offline, NOW, translatorFor('ja')).sentence).toBe(
      'plex.tv に接続できません。'
    )
  })

  it('keeps plex.tv’s own words as they are, in every language', () => {
    for (const language of LANGUAGES) {
      const said = errorWording(
        { phase: 'error', message: 'Bad Request' },
        NOW,
        translatorFor(language)
      )
      expect(said.plexSaid, language).toBe('Bad Request')
    }
  })
})
