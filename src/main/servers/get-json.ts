// One GET for the server step, under the rules every request of this app follows: a redirect is
// a failure (never followed, so a token or client id never travels on), the body is read as a
// stream with a cap on decoded bytes, and one timeout covers the answer and its body. Timers are
// passed in so that tests can drive the clock.

import { AnswerTooLargeError, readBounded } from '../plex/read-bounded'
import { isCancelledRedirect, isRedirect } from '../plex/redirect'

export interface Timers {
  setTimeout(callback: () => void, ms: number): unknown
  clearTimeout(handle: unknown): void
}

export const systemTimers: Timers = {
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>)
}

export interface GetJsonRequest {
  url: string
  headers: Record<string, string>
  maxBytes: number // decoded bytes
  timeoutMs: number
  signal?: AbortSignal // the caller's: aborting it ends the request as 'aborted'
}

export type GetJsonFailure =
  | { kind: 'redirect'; location: string | null } // as sent: only ever shown as an origin
  | { kind: 'too-large' }
  | { kind: 'timeout' }
  | { kind: 'aborted' }
  | { kind: 'network' }

export type GetJsonAnswer =
  | { ok: true; status: number; headers: Headers; body: unknown } // body undefined: not JSON
  | ({ ok: false } & GetJsonFailure)

export type GetJson = (request: GetJsonRequest) => Promise<GetJsonAnswer>

export function createGetJson(doFetch: typeof fetch, timers: Timers = systemTimers): GetJson {
  return async ({ url, headers, maxBytes, timeoutMs, signal }) => {
    if (signal?.aborted) return { ok: false, kind: 'aborted' }
    const controller = new AbortController()
    let timedOut = false
    const timer = timers.setTimeout(() => {
      timedOut = true
      controller.abort()
    }, timeoutMs)
    const onAbort = (): void => controller.abort()
    signal?.addEventListener('abort', onAbort, { once: true })
    try {
      const response = await doFetch(url, {
        method: 'GET',
        headers,
        redirect: 'manual',
        signal: controller.signal
      })
      if (isRedirect(response)) {
        void response.body?.cancel().catch(() => {})
        return { ok: false, kind: 'redirect', location: response.headers.get('location') }
      }
      const bytes = await readBounded(response, maxBytes)
      return { ok: true, status: response.status, headers: response.headers, body: parse(bytes) }
    } catch (error) {
      if (timedOut) return { ok: false, kind: 'timeout' }
      if (signal?.aborted) return { ok: false, kind: 'aborted' }
      if (error instanceof AnswerTooLargeError) return { ok: false, kind: 'too-large' }
      if (isCancelledRedirect(error)) return { ok: false, kind: 'redirect', location: null }
      return { ok: false, kind: 'network' }
    } finally {
      timers.clearTimeout(timer)
      signal?.removeEventListener('abort', onAbort)
    }
  }
}

function parse(bytes: Uint8Array): unknown {
  try {
    return JSON.parse(new TextDecoder().decode(bytes))
  } catch {
    return undefined
  }
}
