// The window's language: the main process chose it and put it in the page's address (`lang=`);
// anything but one of our languages reads as English. Every renderer file takes its words from
// here: `import { t } from './i18n'`.

import { FALLBACK_LANGUAGE, isLanguage } from '../shared/i18n/languages'
import type { MessageKey } from '../shared/i18n/catalogs'
import { translatorFor } from '../shared/i18n/translator'

const requested = new URLSearchParams(location.search).get('lang')

export const translator = translatorFor(isLanguage(requested) ? requested : FALLBACK_LANGUAGE)

export const { t } = translator

// The page's own words are named in index.html: data-i18n="key" for an element's text (its
// children marked data-i18n-arg="name" stand for {name} in the message, wherever the language
// puts them), data-i18n-aria-label="key" for its label.
export function translatePage(): void {
  document.documentElement.lang = translator.language
  document.documentElement.dir = translator.dir
  for (const element of document.querySelectorAll<HTMLElement>('[data-i18n]')) {
    const args: Record<string, HTMLElement> = {}
    for (const arg of element.querySelectorAll<HTMLElement>('[data-i18n-arg]'))
      args[arg.dataset.i18nArg ?? ''] = arg
    element.replaceChildren(...translator.parts(element.dataset.i18n as MessageKey, args))
  }
  for (const element of document.querySelectorAll<HTMLElement>('[data-i18n-aria-label]')) {
    element.setAttribute('aria-label', t(element.dataset.i18nAriaLabel as MessageKey))
  }
}
