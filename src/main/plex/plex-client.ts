// plex.tv HTTP client for the PIN sign-in. Knows nothing of Electron: `fetch` is passed in
// (the app passes Electron's net.fetch so system proxies and certificates apply).

import { cleanText } from '../../shared/sanitize-text'
import { isHeaderToken } from './header-value'
import { AnswerTooLargeError, readBounded } from './read-bounded'
import { isCancelledRedirect, isRedirect, redirectMessage } from './redirect'
import { hostOf, isRecord, parseJson, plexErrorCode, plexErrorMessage } from './plex-answer'
import { timedFetch } from './timed-fetch'
import { plexHeaders } from './device-info'

export interface PlexPin {
  id: number
  code: string
  expiresIn: number // seconds, counted from when this answer arrived
  authToken: string | null
}

// The account summary kept beside the token and printed by the CLI.
export interface PlexAccount {
  id: number
  uuid: string
  username: string
  title: string
  email: string
  thumb: string
}

export type PlexFailure =
  // A 4xx other than 404/429; or status 0: refused here, unsent (a token no header can carry).
  | { kind: 'rejected'; status: number; message: string }
  | { kind: 'expired'; message: string } // a poll's 404 / code 1020: the PIN is dead
  | { kind: 'rate-limited'; message: string; retryAfterMs?: number } // 429
  // 5xx, network error, timeout, redirect, unexpected or oversized body
  | { kind: 'unavailable'; message: string }

export type PlexResult<T> = ({ ok: true } & T) | ({ ok: false } & PlexFailure)

export interface DeviceInfo {
  product: string
  version: string
  platform: string
  platformVersion: string
  device: string
  deviceName: string
}

/** A JWT sign-in's PIN: created with the device's public key, polled with a device JWT. */
export interface PinDeviceKey {
  jwk: object // the public JWK plex.tv registers for this device
  deviceJwt: () => string // signed anew for each poll (it lives minutes)
}

export interface PlexClientOptions {
  clientIdentifier: string
  device: DeviceInfo
  baseUrl?: string // plex.tv origin, default https://plex.tv
  pinKey?: PinDeviceKey // the PIN flow with a device key (JWT sign-in, on clients.plex.tv)
  fetch?: typeof fetch
  timeoutMs?: number
  now?: () => number // for Retry-After given as an HTTP date
}

export const DEFAULT_PLEX_URL = 'https://plex.tv'
const DEFAULT_TIMEOUT_MS = 10_000
// plex.tv's answers are a few kilobytes; anything near this is not plex.tv talking.
const MAX_ANSWER_BYTES = 1024 * 1024

export interface PlexClient {
  readonly clientIdentifier: string
  readonly device: DeviceInfo
  createPin(strong: boolean, signal?: AbortSignal): Promise<PlexResult<{ pin: PlexPin }>>
  getPin(id: number, signal?: AbortSignal): Promise<PlexResult<{ pin: PlexPin }>>
  getAccount(token: string, signal?: AbortSignal): Promise<PlexResult<{ account: PlexAccount }>>
  signOut(token: string, signal?: AbortSignal): Promise<PlexResult<object>>
}

/** The JWT calls (on clients.plex.tv): a refresh's nonce and exchange, and plex.tv's keys. */
export interface PlexAuthCalls {
  getNonce(signal?: AbortSignal): Promise<PlexResult<{ nonce: string }>>
  exchangeDeviceJwt(deviceJwt: string, signal?: AbortSignal): Promise<PlexResult<{ token: string }>>
  getAuthKeys(signal?: AbortSignal): Promise<PlexResult<{ keys: unknown[] }>>
}

export function createPlexClient(options: PlexClientOptions): PlexClient & PlexAuthCalls {
  const baseUrl = (options.baseUrl ?? DEFAULT_PLEX_URL).replace(/\/+$/, '')
  const doFetch = options.fetch ?? fetch
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS
  const now = options.now ?? Date.now
  const { device, clientIdentifier } = options
  // fetch would refuse it only when sending, as a network error: say what is wrong instead.
  if (!isHeaderToken(clientIdentifier)) {
    throw new Error('The client identifier has characters a header cannot carry')
  }

  const headers = (token?: string): Record<string, string> =>
    plexHeaders(device, clientIdentifier, token)

  interface Call<T> {
    method: string
    path: string
    parse: (body: unknown) => T | undefined
    token?: string
    signal?: AbortSignal // the caller's: cancelling a sign-in aborts its request in flight
    pinPoll?: boolean // only a poll's 404 means the PIN is dead
    json?: object // a JSON body
  }

  async function request<T>({
    method,
    path,
    parse,
    token,
    signal,
    pinPoll = false,
    json
  }: Call<T>): Promise<PlexResult<T>> {
    if (token !== undefined && !isHeaderToken(token)) {
      // Not sent (fetch would refuse it anyway). Not a 401: plex.tv never judged this token.
      return { ok: false, kind: 'rejected', status: 0, message: BAD_TOKEN_MESSAGE }
    }
    const url = `${baseUrl}${path}`
    let answer: Answer
    try {
      answer = await timedFetch(
        doFetch,
        url,
        {
          method,
          headers: {
            ...headers(token),
            ...(json ? { 'Content-Type': 'application/json' } : {})
          },
          ...(json ? { body: JSON.stringify(json) } : {}),
          ...(signal ? { signal } : {})
        },
        timeoutMs,
        (response) => readAnswer(response, url)
      )
    } catch (error) {
      return { ok: false, kind: 'unavailable', message: describeNetworkError(error, baseUrl) }
    }
    if ('redirect' in answer) return { ok: false, kind: 'unavailable', message: answer.redirect }
    const { response, text } = answer
    if (response.ok) {
      const value = response.status === 204 ? parse({}) : parse(parseJson(text))
      if (value === undefined) {
        return {
          ok: false,
          kind: 'unavailable',
          message: 'plex.tv sent an answer this app does not understand'
        }
      }
      return { ok: true, ...value }
    }
    return failureFor(response, text, now, pinPoll)
  }

  const pinAnswer = (body: unknown): { pin: PlexPin } | undefined => {
    const pin = toPin(body)
    return pin && { pin }
  }

  const { pinKey } = options
  return {
    clientIdentifier,
    device,
    createPin: (strong, signal) =>
      request({
        method: 'POST',
        // With a key, `strong` goes in the JSON body beside it, as plex.tv documents.
        path: `/api/v2/pins${strong && !pinKey ? '?strong=true' : ''}`,
        parse: pinAnswer,
        signal,
        ...(pinKey ? { json: { jwk: pinKey.jwk, ...(strong ? { strong: true } : {}) } } : {})
      }),
    getPin: (id, signal) =>
      request({
        method: 'GET',
        path:
          `/api/v2/pins/${encodeURIComponent(String(id))}` +
          (pinKey ? `?deviceJWT=${encodeURIComponent(pinKey.deviceJwt())}` : ''),
        parse: pinAnswer,
        signal,
        pinPoll: true
      }),
    getAccount: (token, signal) =>
      request({
        method: 'GET',
        path: '/api/v2/user',
        token,
        signal,
        parse: (body) => {
          const account = toAccount(body)
          return account && { account }
        }
      }),
    signOut: (token, signal) =>
      request({
        method: 'DELETE',
        path: '/api/v2/users/signout',
        token,
        signal,
        parse: () => ({})
      }),
    getNonce: (signal) =>
      request({
        method: 'GET',
        path: '/api/v2/auth/nonce',
        signal,
        parse: (body) => {
          const nonce = isRecord(body) ? body.nonce : undefined
          return typeof nonce === 'string' && NONCE.test(nonce) ? { nonce } : undefined
        }
      }),
    exchangeDeviceJwt: (deviceJwt, signal) =>
      request({
        method: 'POST',
        path: '/api/v2/auth/token',
        signal,
        json: { jwt: deviceJwt },
        parse: (body) => {
          if (!isRecord(body)) return undefined
          // snake_case here, unlike the PIN's authToken; both are taken.
          const token = body.auth_token ?? body.authToken
          return typeof token === 'string' && isHeaderToken(token) ? { token } : undefined
        }
      }),
    getAuthKeys: (signal) =>
      request({
        method: 'GET',
        path: '/api/v2/auth/keys',
        signal,
        parse: (body) => {
          const keys = isRecord(body) ? body.keys : undefined
          return Array.isArray(keys) ? { keys } : undefined
        }
      })
  }
}

// A UUID as plex.tv sends it; anything else (long, odd characters) is not signed into a JWT.
const NONCE = /^[A-Za-z0-9-]{1,128}$/

type Answer = { response: Response; text: string } | { redirect: string }

async function readAnswer(response: Response, url: string): Promise<Answer> {
  if (isRedirect(response))
    return { redirect: redirectMessage(response.headers.get('location'), url) }
  const bytes = await readBounded(response, MAX_ANSWER_BYTES)
  return { response, text: new TextDecoder().decode(bytes) }
}

const BAD_TOKEN_MESSAGE = 'The stored token has characters a header cannot carry'
// plex.tv's words for it are terse; this one says what to do.
const ISSUER_MISMATCH = 1097
const ISSUER_MISMATCH_MESSAGE =
  'plex.tv refused the device JWT: its issuer is not the client identifier the device key ' +
  'belongs to (error 1097); sign in again with login --jwt'

function failureFor(
  response: Response,
  text: string,
  now: () => number,
  pinPoll: boolean
): PlexResult<never> {
  const { status } = response
  const message = plexErrorMessage(parseJson(text))
  const code = plexErrorCode(parseJson(text))
  if (pinPoll && (status === 404 || code === 1020)) {
    return { ok: false, kind: 'expired', message: message ?? 'The code expired' }
  }
  if (status === 429) {
    const retryAfterMs = parseRetryAfter(response.headers.get('retry-after'), now())
    return {
      ok: false,
      kind: 'rate-limited',
      message: message ?? 'plex.tv is limiting requests',
      ...(retryAfterMs === undefined ? {} : { retryAfterMs })
    }
  }
  if (status >= 400 && status < 500) {
    return {
      ok: false,
      kind: 'rejected',
      status,
      message:
        code === ISSUER_MISMATCH
          ? ISSUER_MISMATCH_MESSAGE
          : (message ?? `plex.tv refused the request (HTTP ${status})`)
    }
  }
  return {
    ok: false,
    kind: 'unavailable',
    message: `plex.tv is not answering properly (HTTP ${status})`
  }
}

/** Retry-After is either delay-seconds or an HTTP date (RFC 9110 §10.2.3). */
export function parseRetryAfter(value: string | null, nowMs: number): number | undefined {
  if (value === null) return undefined
  const trimmed = value.trim()
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000)
  // Only something that reads as a date: Date.parse also takes bare numbers like "1.5".
  const date = /[a-z]/i.test(trimmed) ? Date.parse(trimmed) : Number.NaN
  if (Number.isNaN(date)) return undefined
  return Math.max(0, date - nowMs)
}

function describeNetworkError(error: unknown, baseUrl: string): string {
  if (error instanceof AnswerTooLargeError) return 'plex.tv sent an answer that is too large'
  if (isCancelledRedirect(error)) return redirectMessage(null, baseUrl)
  const name = error instanceof Error ? error.name : ''
  if (name === 'TimeoutError' || name === 'AbortError')
    return `${hostOf(baseUrl)} did not answer in time`
  return `Could not reach ${hostOf(baseUrl)}`
}

// A PIN code is shown and typed: letters and digits only (4 for a short PIN, 25 for a strong one).
const PIN_CODE = /^[A-Za-z0-9]{4,64}$/
// plex.tv gives minutes; more than a day is not a lifetime but a broken or hostile answer.
const MAX_EXPIRES_IN_S = 86_400
const ACCOUNT_UUID = /^[A-Za-z0-9-]{1,64}$/
const MAX_THUMB_LENGTH = 2048

function toPin(body: unknown): PlexPin | undefined {
  if (!isRecord(body)) return undefined
  const { id, code, expiresIn, authToken } = body
  if (!isPositiveSafeInteger(id)) return undefined
  if (typeof code !== 'string' || !PIN_CODE.test(code)) return undefined
  if (typeof expiresIn !== 'number' || !(expiresIn > 0 && expiresIn <= MAX_EXPIRES_IN_S))
    return undefined
  if (authToken === null || authToken === undefined || authToken === '')
    return { id, code, expiresIn, authToken: null }
  // The token is sent as a header from now on: one that cannot be is no token.
  if (typeof authToken !== 'string' || !isHeaderToken(authToken)) return undefined
  return { id, code, expiresIn, authToken }
}

function toAccount(body: unknown): PlexAccount | undefined {
  if (!isRecord(body)) return undefined
  const text = (key: string): string =>
    typeof body[key] === 'string' ? cleanText(body[key] as string) : ''
  const username = text('username')
  const title = text('title')
  if (!isPositiveSafeInteger(body.id) || (!username && !title)) return undefined
  return {
    id: body.id,
    uuid: typeof body.uuid === 'string' && ACCOUNT_UUID.test(body.uuid) ? body.uuid : '',
    username: username || title,
    title: title || username,
    email: text('email'),
    thumb: httpsUrl(body.thumb)
  }
}

function isPositiveSafeInteger(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value > 0
}

/** The avatar URL, only if it is a plain https one ('' otherwise: there is simply no picture). */
function httpsUrl(value: unknown): string {
  if (typeof value !== 'string' || value.length > MAX_THUMB_LENGTH) return ''
  if (!/^[\x21-\x7e]+$/.test(value)) return ''
  try {
    return new URL(value).protocol === 'https:' ? value : ''
  } catch {
    return ''
  }
}
