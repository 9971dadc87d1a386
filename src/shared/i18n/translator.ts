// Messages in one language: ICU MessageFormat through intl-messageformat, which formats numbers
// and picks plural forms with Intl (NumberFormat, PluralRules) in that language. It interprets
// messages rather than compiling them to code, so the page's CSP needs no 'unsafe-eval'.

import { IntlMessageFormat } from 'intl-messageformat'
import { CATALOGS, type MessageKey } from './catalogs'
import { FALLBACK_LANGUAGE, textDirection, type Language } from './languages'

export type MessageValues = Record<string, string | number>

export interface Translator {
  readonly language: Language
  readonly dir: 'ltr' | 'rtl'
  /** The message as text. */
  t(key: MessageKey, values?: MessageValues): string
  /** The message as text pieces around `values` that are not text (elements, for the page). */
  parts<T extends object>(
    key: MessageKey,
    values: Record<string, string | number | T>
  ): (string | T)[]
}

// First strong isolate … pop directional isolate: a name, a code or a site inside a
// right-to-left sentence keeps its own direction and does not reorder the words around it.
const isolate = (text: string): string => `\u2068${text}\u2069`

function createTranslator(language: Language, isolateValues: boolean): Translator {
  const dir = textDirection(language)
  const formats = new Map<MessageKey, IntlMessageFormat>()
  const format = (key: MessageKey): IntlMessageFormat => {
    let compiled = formats.get(key)
    if (!compiled) {
      // A message missing here (the catalog test stops that from shipping) reads in English.
      const source = CATALOGS[language][key] ?? CATALOGS[FALLBACK_LANGUAGE][key] ?? key
      // ignoreTag: '<' in a translation is plain text, not rich-text markup.
      compiled = new IntlMessageFormat(source, language, undefined, { ignoreTag: true })
      formats.set(key, compiled)
    }
    return compiled
  }
  const bidi = <V>(values: Record<string, V>): Record<string, V | string> =>
    dir === 'ltr' || !isolateValues
      ? values
      : Object.fromEntries(
          Object.entries(values).map(([name, value]) => [
            name,
            typeof value === 'string' ? isolate(value) : value
          ])
        )
  return {
    language,
    dir,
    t: (key, values = {}) => String(format(key).format(bidi(values))),
    parts<T extends object>(key: MessageKey, values: Record<string, string | number | T>) {
      const formatted = format(key).format<T>(bidi(values))
      const list = Array.isArray(formatted) ? formatted : [formatted]
      return list.map((part) => (typeof part === 'object' ? part : String(part)))
    }
  }
}

const translators = new Map<string, Translator>()

/**
 * One translator per language, made on first use. `isolateValues: false` is for a terminal,
 * which lays out each line by itself and would show the isolation marks as blanks.
 */
export function translatorFor(language: Language, { isolateValues = true } = {}): Translator {
  const key = `${language} ${isolateValues}`
  let translator = translators.get(key)
  if (!translator) {
    translator = createTranslator(language, isolateValues)
    translators.set(key, translator)
  }
  return translator
}
