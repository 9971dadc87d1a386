// Which of our languages to speak, from the person's own list in order of preference, by BCP 47
// rules: the exact tag, else the same language in the same script (pt-PT → pt-BR, de-CH → de),
// else the next language on the list, and English when none matches. Tags come from the command
// line, the OS and the environment: a malformed one is passed over, never thrown on.

import { FALLBACK_LANGUAGE, LANGUAGES, type Language } from './languages'

// Far longer than any real tag; anything longer is not worth parsing.
const MAX_TAG_LENGTH = 64

/** The canonical form of a well-formed BCP 47 tag ('DE-at' → 'de-AT'), or undefined. */
export function canonicalLanguageTag(input: string): string | undefined {
  const tag = input.trim()
  if (!tag || tag.length > MAX_TAG_LENGTH) return undefined
  try {
    return Intl.getCanonicalLocales(tag)[0]
  } catch {
    return undefined
  }
}

interface Subtags {
  language: string
  script?: string
  region?: string
}

// Likely subtags (CLDR) fill in what a tag leaves out: 'pt' is pt-Latn-BR, 'zh-TW' is Hant.
function likelySubtags(tag: string): Subtags {
  const { language, script, region } = new Intl.Locale(tag).maximize()
  return { language, script, region }
}

const SUPPORTED = LANGUAGES.map((tag) => ({ tag, ...likelySubtags(tag) }))

function bestMatch(tag: string): Language | undefined {
  const exact = LANGUAGES.find((language) => language.toLowerCase() === tag.toLowerCase())
  if (exact) return exact
  // 'und' (undetermined; V8 gives its language as undefined) names no language, though its
  // likely subtags would make it English.
  const { language } = new Intl.Locale(tag)
  if (!language || language === 'und') return undefined
  const wanted = likelySubtags(tag)
  const sameLanguage = SUPPORTED.filter(
    (supported) => supported.language === wanted.language && supported.script === wanted.script
  )
  return (sameLanguage.find((supported) => supported.region === wanted.region) ?? sameLanguage[0])
    ?.tag
}

/** The first of `preferred` (most wanted first) that one of our languages matches, else English. */
export function negotiateLanguage(preferred: Iterable<string | undefined>): Language {
  for (const input of preferred) {
    const tag = input === undefined ? undefined : canonicalLanguageTag(input)
    const match = tag === undefined ? undefined : bestMatch(tag)
    if (match) return match
  }
  return FALLBACK_LANGUAGE
}

/**
 * --lang when given (a language we lack is English then, not the OS's choice: the person asked
 * for that one), else the system's languages in the person's order.
 */
export function chooseLanguage(requested: string | undefined, system: Iterable<string>): Language {
  return negotiateLanguage(requested === undefined ? system : [requested])
}
