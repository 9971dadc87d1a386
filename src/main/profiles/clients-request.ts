// One call to clients.plex.tv for the profile step, under the rules every request of this app
// follows: the account token and client id only go out as headers a platform can carry, only to
// the clients origin, never after a redirect; the answer is read with a cap on decoded bytes and
// one timeout covers it all. Statuses are handed back as they are: 404 on the Home list and 403
// with code 1041 on a switch mean something of their own.

import { isHeaderToken } from '../plex/header-value'
import { parseJson, plexErrorMessage } from '../plex/plex-answer'
import { parseRetryAfter, type DeviceInfo, type PlexFailure } from '../plex/plex-client'
import { AnswerTooLargeError, readBounded } from '../plex/read-bounded'
import { isCancelledRedirect, isRedirect, redirectMessage } from '../plex/redirect'
import { timedFetch } from '../plex/timed-fetch'
import { plexHeaders } from '../plex/device-info'

export interface ClientsOptions {
  fetch: typeof fetch
  clientsUrl: string // https://clients.plex.tv; --plex-url (tests: the fake plex.tv) replaces it
  token: string // the account's plex.tv token
  clientIdentifier: string
  device: DeviceInfo
  timeoutMs?: number
  signal?: AbortSignal // the caller's: cancelling the step aborts the request in flight
  now?: () => number // wall clock, for a Retry-After given as a date
}

export type ClientsFailure = Exclude<PlexFailure, { kind: 'expired' }>

export type ClientsAnswer =
  | { ok: true; status: number; body: unknown; retryAfter: string | null } // body: undefined if not JSON
  | ({ ok: false } & ClientsFailure)

// A Home holds at most 15 users: a few kilobytes. Anything near this is not plex.tv talking.
const MAX_ANSWER_BYTES = 1024 * 1024
const DEFAULT_TIMEOUT_MS = 10_000

export async function callClients(
  options: ClientsOptions,
  method: 'GET' | 'POST',
  path: string, // starts with /api/v2/, already encoded
  query: Record<string, string> = {}
): Promise<ClientsAnswer> {
  const { token, clientIdentifier, device } = options
  if (!isHeaderToken(token) || !isHeaderToken(clientIdentifier)) {
    // Not sent (fetch would refuse it anyway). Not a 401: plex.tv never judged this token.
    return {
      ok: false,
      kind: 'rejected',
      status: 0,
      message: 'The stored sign-in has characters a header cannot carry'
    }
  }
  const base = clientsBase(options.clientsUrl)
  if (!base) {
    return { ok: false, kind: 'unavailable', message: 'The plex.tv address is not an http(s) URL' }
  }
  const url = new URL(`${base.pathname.replace(/\/+$/, '')}${path}`, base.origin)
  for (const [name, value] of Object.entries(query)) url.searchParams.set(name, value)
  const headers = plexHeaders(device, clientIdentifier, token)
  try {
    return await timedFetch(
      options.fetch,
      url.href,
      { method, headers, ...(options.signal ? { signal: options.signal } : {}) },
      options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
      async (response): Promise<ClientsAnswer> => {
        if (isRedirect(response)) {
          return {
            ok: false,
            kind: 'unavailable',
            message: redirectMessage(response.headers.get('location'), url.href)
          }
        }
        const bytes = await readBounded(response, MAX_ANSWER_BYTES)
        return {
          ok: true,
          status: response.status,
          body: parseJson(new TextDecoder().decode(bytes)),
          retryAfter: response.headers.get('retry-after')
        }
      }
    )
  } catch (error) {
    // Never the error's own text: a timeout's names the URL, and a switch's URL holds the PIN.
    return { ok: false, kind: 'unavailable', message: networkMessage(error, base) }
  }
}

/** What an HTTP answer other than the ones a caller understands means, as a typed failure. */
export function httpFailure(
  answer: { status: number; body: unknown; retryAfter: string | null },
  now: () => number = Date.now
): ClientsFailure {
  const { status } = answer
  const message = plexErrorMessage(answer.body)
  if (status === 429) {
    const retryAfterMs = parseRetryAfter(answer.retryAfter, now())
    return {
      kind: 'rate-limited',
      message: message ?? 'plex.tv is limiting requests',
      ...(retryAfterMs === undefined ? {} : { retryAfterMs })
    }
  }
  if (status >= 400 && status < 500) {
    return {
      kind: 'rejected',
      status,
      message: message ?? `plex.tv refused the request (HTTP ${status})`
    }
  }
  return { kind: 'unavailable', message: `plex.tv is not answering properly (HTTP ${status})` }
}

function clientsBase(clientsUrl: string): URL | undefined {
  try {
    const url = new URL(clientsUrl)
    return url.protocol === 'https:' || url.protocol === 'http:' ? url : undefined
  } catch {
    return undefined
  }
}

function networkMessage(error: unknown, base: URL): string {
  if (error instanceof AnswerTooLargeError) return 'plex.tv sent an answer that is too large'
  if (isCancelledRedirect(error)) return redirectMessage(null, base.href)
  const name = error instanceof Error ? error.name : ''
  if (name === 'TimeoutError' || name === 'AbortError') return `${base.host} did not answer in time`
  return `Could not reach ${base.host}`
}
