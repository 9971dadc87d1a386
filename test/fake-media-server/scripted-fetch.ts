// A fetch for the race's unit tests: each address answers /identity at a chosen time on a
// manual clock (or never, or refuses), and every call is kept with its headers and signal.

import type { ManualClock } from './manual-clock'

export type Script =
  | { answerAt: number; machineIdentifier: string } // ms on the manual clock
  | { never: true } // silent: pends until aborted
  | { refuse: true } // connection refused

export interface ScriptedCall {
  url: string
  headers: Headers
  redirect: RequestInit['redirect']
  signal: AbortSignal | undefined
}

export function scriptedFetch(
  clock: ManualClock,
  scripts: Record<string, Script> // by origin
): { fetch: typeof fetch; calls: ScriptedCall[] } {
  const calls: ScriptedCall[] = []
  const stub = (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const url = String(input)
    const signal = init?.signal ?? undefined
    calls.push({ url, headers: new Headers(init?.headers), redirect: init?.redirect, signal })
    const script = scripts[new URL(url).origin]
    return new Promise((resolve, reject) => {
      const aborted = (): void => reject(new DOMException('aborted', 'AbortError'))
      if (signal?.aborted) return aborted()
      signal?.addEventListener('abort', aborted, { once: true })
      if (!script || 'refuse' in script) return reject(new TypeError('fetch failed'))
      if ('never' in script) return
      clock.timers.setTimeout(
        () =>
          resolve(
            Response.json({ MediaContainer: { machineIdentifier: script.machineIdentifier } })
          ),
        script.answerAt - clock.now()
      )
    })
  }
  return { fetch: stub as typeof fetch, calls }
}
