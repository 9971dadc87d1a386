// The languages the window (and later the command) speaks, and which way each is written.

/** English first: it is the fallback and the catalog every other one is checked against. */
export const LANGUAGES = [
  'en',
  'de',
  'fr',
  'es',
  'it',
  'nl',
  'pt-BR',
  'sv',
  'pl',
  'ja',
  'ar'
] as const

export type Language = (typeof LANGUAGES)[number]

export const FALLBACK_LANGUAGE: Language = 'en'

export const isLanguage = (value: unknown): value is Language =>
  (LANGUAGES as readonly unknown[]).includes(value)

// Scripts written right to left (ISO 15924), so that a language added later gets `dir` right
// from its likely script alone.
const RTL_SCRIPTS = new Set(['Arab', 'Hebr', 'Syrc', 'Thaa', 'Nkoo', 'Adlm', 'Rohg', 'Mand'])

export function textDirection(language: Language): 'ltr' | 'rtl' {
  const script = new Intl.Locale(language).maximize().script
  return script && RTL_SCRIPTS.has(script) ? 'rtl' : 'ltr'
}
