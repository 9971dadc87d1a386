// Values both the command and the desktop app take (--plex-url, --product, --timeout, …),
// checked the same way so that an installer can pass the same options to either.

import type { MessageKey } from '../../shared/i18n/catalogs'
import { FALLBACK_LANGUAGE } from '../../shared/i18n/languages'
import { translatorFor, type MessageValues } from '../../shared/i18n/translator'
import { DEFAULT_PLEX_URL } from '../plex/plex-client'
import { PRODUCT_NAME } from '../store/store-paths'

// message: English, for the JSON answer and the log; key and values: for the person's language.
export type Checked<T> =
  { ok: true; value: T } | { ok: false; message: string; key?: MessageKey; values?: MessageValues }

const ENGLISH = translatorFor(FALLBACK_LANGUAGE, { isolateValues: false })

/** A refusal: English for the JSON answer, its key and values for the person's language. */
export function refuse(key: MessageKey, values?: MessageValues): Checked<never> {
  return { ok: false, message: ENGLISH.t(key, values), key, ...(values ? { values } : {}) }
}

const LOOPBACK_HOSTS = new Set(['localhost', '[::1]'])

/**
 * An origin: https anywhere, http only on loopback (for the fake plex.tv in tests and demos).
 * With `loopbackOnly` (the desktop app), only loopback hosts at all.
 */
export function parsePlexUrl(input: string, loopbackOnly = false): Checked<string> {
  let url: URL
  try {
    url = new URL(input)
  } catch {
    return refuse('options.plexUrlNotUrl', { input })
  }
  const loopback = LOOPBACK_HOSTS.has(url.hostname) || /^127(\.\d{1,3}){3}$/.test(url.hostname)
  if (loopbackOnly && !loopback && url.origin !== DEFAULT_PLEX_URL) {
    return refuse('options.plexUrlLoopbackOnly')
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback)) {
    return refuse('options.plexUrlScheme')
  }
  if (url.username || url.password || url.search || url.hash || url.pathname !== '/') {
    return refuse('options.plexUrlOrigin')
  }
  return { ok: true, value: url.origin }
}

export const MAX_TIMEOUT_SECONDS = Math.floor((2 ** 31 - 1) / 1000)

export function parseTimeout(input: string): Checked<number> {
  const seconds = Number(input)
  if (!input.trim() || !Number.isFinite(seconds) || seconds <= 0) {
    return refuse('options.timeoutPositive', { input })
  }
  // A timer cannot wait longer than 2^31 - 1 ms (about 24 days): anything longer would fire at once.
  if (seconds > MAX_TIMEOUT_SECONDS) {
    return refuse('options.timeoutMax', { max: String(MAX_TIMEOUT_SECONDS) })
  }
  return { ok: true, value: Math.ceil(seconds * 1000) }
}

export function parseProduct(input: string): Checked<string> {
  const value = input.trim()
  // It goes into an HTTP header: printable characters only, and short.
  if (!value || value.length > 100 || /[^\x20-\x7e]/.test(value)) {
    return refuse('options.product')
  }
  return { ok: true, value }
}

export function parseClientId(input: string): Checked<string> {
  if (!/^[\x21-\x7e]{1,128}$/.test(input)) {
    return refuse('options.clientId')
  }
  return { ok: true, value: input }
}

/** The sign-in options the command and the app share, as parseArgs gives them. */
export interface SignInValues {
  json?: boolean
  'plex-url'?: string
  product?: string
  'client-id'?: string
  strong?: boolean
  'no-renew'?: boolean
  timeout?: string
  jwt?: boolean
}

export interface SignInOptions {
  json: boolean
  plexUrl: string
  product: string
  clientId?: string
  strong: boolean
  renew: boolean
  timeoutMs?: number
  jwt?: true // sign in with a device key and a Plex JWT (issue 11) instead of a classic token
}

export const SIGN_IN_ARG_OPTIONS = {
  json: { type: 'boolean' },
  'plex-url': { type: 'string' },
  product: { type: 'string' },
  'client-id': { type: 'string' },
  strong: { type: 'boolean' },
  'no-renew': { type: 'boolean' },
  timeout: { type: 'string' },
  jwt: { type: 'boolean' }
} as const

export function parseSignInOptions(
  values: SignInValues,
  env: NodeJS.ProcessEnv,
  { loopbackOnly = false } = {}
): Checked<SignInOptions> {
  // An empty PLEX_LOGIN_PLEX_URL is as good as unset.
  const explicitUrl = values['plex-url'] ?? (env.PLEX_LOGIN_PLEX_URL || undefined)
  const plexUrl = parsePlexUrl(
    explicitUrl ?? DEFAULT_PLEX_URL,
    loopbackOnly && explicitUrl !== undefined
  )
  if (!plexUrl.ok) return plexUrl
  const product = parseProduct(values.product ?? PRODUCT_NAME)
  if (!product.ok) return product
  const clientId =
    values['client-id'] === undefined ? undefined : parseClientId(values['client-id'])
  if (clientId && !clientId.ok) return clientId
  const timeout = values.timeout === undefined ? undefined : parseTimeout(values.timeout)
  if (timeout && !timeout.ok) return timeout
  return {
    ok: true,
    value: {
      json: values.json ?? false,
      plexUrl: plexUrl.value,
      product: product.value,
      ...(clientId?.ok ? { clientId: clientId.value } : {}),
      strong: values.strong ?? false,
      renew: !values['no-renew'],
      ...(timeout?.ok ? { timeoutMs: timeout.value } : {}),
      ...(values.jwt ? { jwt: true as const } : {})
    }
  }
}
