// plex.tv HTTP client for the PIN sign-in. Knows nothing of Electron: `fetch` is passed in
// (the app passes Electron's net.fetch so system proxies and certificates apply).

import { timedFetch } from './timed-fetch'

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
  | { kind: 'rejected'; status: number; message: string } // a 4xx other than 404/429
  | { kind: 'expired'; message: string } // a poll's 404 / code 1020: the PIN is dead
  | { kind: 'rate-limited'; message: string; retryAfterMs?: number } // 429
  | { kind: 'unavailable'; message: string } // 5xx, network error, timeout, unexpected body

export type PlexResult<T> = ({ ok: true } & T) | ({ ok: false } & PlexFailure)

export interface DeviceInfo {
  product: string
  version: string
  platform: string
  platformVersion: string
  device: string
  deviceName: string
}

export interface PlexClientOptions {
  clientIdentifier: string
  device: DeviceInfo
  baseUrl?: string // plex.tv origin, default https://plex.tv
  fetch?: typeof fetch
  timeoutMs?: number
  now?: () => number // for Retry-After given as an HTTP date
}

export const DEFAULT_PLEX_URL = 'https://plex.tv'
const DEFAULT_TIMEOUT_MS = 10_000

export interface PlexClient {
  readonly clientIdentifier: string
  readonly device: DeviceInfo
  createPin(strong: boolean, signal?: AbortSignal): Promise<PlexResult<{ pin: PlexPin }>>
  getPin(id: number, signal?: AbortSignal): Promise<PlexResult<{ pin: PlexPin }>>
  getAccount(token: string, signal?: AbortSignal): Promise<PlexResult<{ account: PlexAccount }>>
  signOut(token: string, signal?: AbortSignal): Promise<PlexResult<object>>
}

export function createPlexClient(options: PlexClientOptions): PlexClient {
  const baseUrl = (options.baseUrl ?? DEFAULT_PLEX_URL).replace(/\/+$/, '')
  const doFetch = options.fetch ?? fetch
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS
  const now = options.now ?? Date.now
  const { device, clientIdentifier } = options

  const headers = (token?: string): Record<string, string> => ({
    Accept: 'application/json',
    'X-Plex-Client-Identifier': clientIdentifier,
    'X-Plex-Product': device.product,
    'X-Plex-Version': device.version,
    'X-Plex-Platform': device.platform,
    'X-Plex-Platform-Version': device.platformVersion,
    'X-Plex-Device': device.device,
    'X-Plex-Device-Name': device.deviceName,
    ...(token ? { 'X-Plex-Token': token } : {})
  })

  interface Call<T> {
    method: string
    path: string
    parse: (body: unknown) => T | undefined
    token?: string
    signal?: AbortSignal // the caller's: cancelling a sign-in aborts its request in flight
    pinPoll?: boolean // only a poll's 404 means the PIN is dead
  }

  async function request<T>({
    method,
    path,
    parse,
    token,
    signal,
    pinPoll = false
  }: Call<T>): Promise<PlexResult<T>> {
    let answer: { response: Response; text: string }
    try {
      answer = await timedFetch(
        doFetch,
        `${baseUrl}${path}`,
        { method, headers: headers(token), ...(signal ? { signal } : {}) },
        timeoutMs,
        async (response) => ({ response, text: await response.text() })
      )
    } catch (error) {
      return { ok: false, kind: 'unavailable', message: describeNetworkError(error, baseUrl) }
    }
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

  return {
    clientIdentifier,
    device,
    createPin: (strong, signal) =>
      request({
        method: 'POST',
        path: `/api/v2/pins${strong ? '?strong=true' : ''}`,
        parse: pinAnswer,
        signal
      }),
    getPin: (id, signal) =>
      request({
        method: 'GET',
        path: `/api/v2/pins/${encodeURIComponent(String(id))}`,
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
      request({ method: 'DELETE', path: '/api/v2/users/signout', token, signal, parse: () => ({}) })
  }
}

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
      message: message ?? `plex.tv refused the request (HTTP ${status})`
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

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    return undefined
  }
}

function firstError(body: unknown): Record<string, unknown> | undefined {
  if (!isRecord(body) || !Array.isArray(body.errors)) return undefined
  const first: unknown = body.errors[0]
  return isRecord(first) ? first : undefined
}

// eslint-disable-next-line no-control-regex
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f-\u009f]+/g

function plexErrorMessage(body: unknown): string | undefined {
  const message = firstError(body)?.message
  if (typeof message !== 'string') return undefined
  // plex.tv's own words, on one line without control characters and trimmed, so that an odd
  // answer can neither flood nor steer a terminal or the window.
  const text = message.replace(CONTROL_CHARACTERS, ' ').trim().slice(0, 200)
  return text || undefined
}

function plexErrorCode(body: unknown): number | undefined {
  const code = firstError(body)?.code
  return typeof code === 'number' ? code : undefined
}

function describeNetworkError(error: unknown, baseUrl: string): string {
  const name = error instanceof Error ? error.name : ''
  if (name === 'TimeoutError' || name === 'AbortError')
    return `${hostOf(baseUrl)} did not answer in time`
  return `Could not reach ${hostOf(baseUrl)}`
}

function hostOf(url: string): string {
  try {
    return new URL(url).host
  } catch {
    return url
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function toPin(body: unknown): PlexPin | undefined {
  if (!isRecord(body)) return undefined
  const { id, code, expiresIn, authToken } = body
  if (typeof id !== 'number' || !Number.isInteger(id)) return undefined
  if (typeof code !== 'string' || code.length === 0) return undefined
  if (typeof expiresIn !== 'number' || !Number.isFinite(expiresIn) || expiresIn <= 0)
    return undefined
  if (authToken !== null && authToken !== undefined && typeof authToken !== 'string')
    return undefined
  return {
    id,
    code,
    expiresIn,
    authToken: typeof authToken === 'string' && authToken ? authToken : null
  }
}

function toAccount(body: unknown): PlexAccount | undefined {
  if (!isRecord(body)) return undefined
  const text = (key: string): string => (typeof body[key] === 'string' ? (body[key] as string) : '')
  if (typeof body.id !== 'number' || (!text('username') && !text('title'))) return undefined
  return {
    id: body.id,
    uuid: text('uuid'),
    username: text('username') || text('title'),
    title: text('title') || text('username'),
    email: text('email'),
    thumb: text('thumb')
  }
}
