// The race: every candidate of a server is probed at once, and the choice is made as soon as it
// can no longer change for the better. Waiting for every probe (python-plexapi's default) makes
// one dead address cost its whole timeout; taking the first answer makes a relay win over a LAN.
//
// - An answer that no pending probe could outrank (local > remote > relay, https > http) is
//   taken at once.
// - Otherwise the first direct answer starts a short grace for better-ranked probes still out;
//   when it ends, the best answer so far wins. The choice is never later than fastest + grace.
// - A relay is only taken when no direct connection answered, after its own longer grace.

import { connectionCandidates, type Candidate } from './connection-candidates'
import { createGetJson, systemTimers, type Timers } from './get-json'
import type { ServerResource } from './plex-resources'
import { probeIdentity, PROBE_TIMEOUT_MS, type ProbeFailure } from './probe-identity'

export const GRACE_MS = 250
export const RELAY_GRACE_MS = 1000

// A probe's own failure, or the race ending it: cancelled by the caller, or not needed once a
// better connection answered.
export type ConnectionFailure = ProbeFailure | { code: 'cancelled' | 'not-needed' }

export interface ConnectionTest extends Candidate {
  state: 'probing' | 'reachable' | 'failed' | 'stopped' // stopped: aborted once a choice was made
  latencyMs: number | null // whole ms, when reachable
  failure?: ConnectionFailure // why not reachable (failed, stopped)
}

export interface ConnectionChoice {
  chosen: ConnectionTest | null
  tests: ConnectionTest[] // one per candidate, best-ranked first
  searching: boolean // probes still out
}

export interface ChooseOptions {
  fetch: typeof fetch
  clientIdentifier: string
  product: string // X-Plex-Product, as sent to plex.tv
  now?: () => number // monotonic ms
  timers?: Timers
  probeTimeoutMs?: number
  graceMs?: number
  relayGraceMs?: number
  // Keep probing after the choice, so every connection gets a result (the `servers` listing);
  // the choice itself is the same and is reported through onProgress the moment it is made.
  probeAll?: boolean
  signal?: AbortSignal // aborting it stops every probe; no connection is chosen
  onProgress?: (choice: ConnectionChoice) => void
}

export function chooseConnection(
  server: ServerResource,
  options: ChooseOptions
): Promise<ConnectionChoice> {
  const now = options.now ?? (() => performance.now())
  const timers = options.timers ?? systemTimers
  const graceMs = options.graceMs ?? GRACE_MS
  const relayGraceMs = options.relayGraceMs ?? RELAY_GRACE_MS
  const getJson = createGetJson(options.fetch, timers)
  const tests: ConnectionTest[] = connectionCandidates(server).map((candidate) => ({
    ...candidate,
    state: 'probing',
    latencyMs: null
  }))
  const stop = new AbortController()
  let chosen: ConnectionTest | null | undefined // undefined: not decided yet
  let deadline: { at: number; handle: unknown } | undefined

  const snapshot = (): ConnectionChoice => ({
    chosen: chosen ? { ...chosen } : null,
    tests: tests.map((test) => ({ ...test })),
    searching: tests.some((test) => test.state === 'probing')
  })

  return new Promise((resolve) => {
    const settle = (): void => {
      if (chosen === undefined) decide()
      options.onProgress?.(snapshot())
      if (chosen !== undefined && !tests.some((test) => test.state === 'probing')) {
        options.signal?.removeEventListener('abort', cancel)
        resolve(snapshot())
      }
    }

    const stopProbing = (failure: ConnectionFailure): void => {
      for (const test of tests) {
        if (test.state !== 'probing') continue
        test.state = 'stopped'
        test.failure = failure
      }
      stop.abort()
    }

    const choose = (test: ConnectionTest | null): void => {
      chosen = test
      if (deadline) timers.clearTimeout(deadline.handle)
      if (!options.probeAll || test === null) stopProbing({ code: 'not-needed' })
    }

    const armDeadline = (ms: number): void => {
      const at = now() + ms
      if (deadline && deadline.at <= at) return
      if (deadline) timers.clearTimeout(deadline.handle)
      deadline = {
        at,
        handle: timers.setTimeout(() => {
          if (chosen !== undefined) return
          choose(best())
          settle()
        }, ms)
      }
    }

    const best = (): ConnectionTest | null => {
      const answered = tests.filter((test) => test.state === 'reachable')
      const direct = answered.filter((test) => !test.relay)
      const pool = direct.length > 0 ? direct : answered
      return (
        pool.sort((a, b) => a.rank - b.rank || (a.latencyMs ?? 0) - (b.latencyMs ?? 0))[0] ?? null
      )
    }

    const decide = (): void => {
      const leader = best()
      const pending = tests.filter((test) => test.state === 'probing')
      if (pending.length === 0 || (leader && pending.every((test) => test.rank >= leader.rank))) {
        choose(leader)
      } else if (leader) {
        armDeadline(leader.relay ? relayGraceMs : graceMs)
      }
    }

    const cancel = (): void => {
      stopProbing({ code: 'cancelled' })
      if (chosen === undefined) choose(null)
      settle()
    }

    if (tests.length === 0 || options.signal?.aborted) return cancel()
    options.signal?.addEventListener('abort', cancel, { once: true })

    for (const test of tests) {
      void probeIdentity(test.uri, server.machineIdentifier, {
        getJson,
        clientIdentifier: options.clientIdentifier,
        product: options.product,
        now,
        timeoutMs: options.probeTimeoutMs ?? PROBE_TIMEOUT_MS,
        signal: stop.signal
      }).then((result) => {
        if (test.state !== 'probing') return
        if (result.reachable) {
          test.state = 'reachable'
          test.latencyMs = Math.round(result.latencyMs)
        } else {
          test.state = 'failed'
          test.failure = result.failure
        }
        settle()
      })
    }
  })
}
