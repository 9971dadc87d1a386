// Section 3, requests: per sign-in (from the approval runs), per idle minute (from the idle
// run) and during a 429's Retry-After window, which must see none. For the last, the fake
// answers one poll with 429 + `Retry-After: 3`; every request the same client sends in the
// 3 s after that answer left the fake is counted.

import { randomUUID } from 'node:crypto'
import { setTimeout as sleep } from 'node:timers/promises'
import { LoginFlow } from '../src/main/login/login-flow'
import { createPlexClient } from '../src/main/plex/plex-client'
import { deviceInfo } from '../src/main/plex/device-info'
import { startFakePlex, type FakePlex } from '../test/fake-plex/fake-plex-server'
import { POLL_INTERVAL_MS, requestsOf, type Side } from './approval-latency'
import { createPeer, forgetPeerRoute } from './peer-plex-oauth'

export const RETRY_AFTER_S = 3

export interface RetryAfterResult {
  side: Side
  delayMs: number
  inWindow: number // requests sent during the Retry-After window (expected 0)
  nextAfterMs?: number // first request after the 429 answer, ms after it left the fake
  note: string
}

async function until(check: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!check()) {
    if (Date.now() > deadline) throw new Error('timed out')
    await sleep(10)
  }
}

async function retryAfterWindow(
  side: Side,
  delayMs: number,
  start: (fake: FakePlex, clientId: string) => { stop(): void; error(): string | undefined }
): Promise<RetryAfterResult> {
  const fake = await startFakePlex({ delayMs })
  const clientId = `bench-${side}-${randomUUID()}`
  const mine = (): FakePlex['requests'] => requestsOf(fake, clientId)
  const running = start(fake, clientId)
  try {
    // Two answered polls first, so the client is in its regular rhythm.
    await until(() => mine().filter((r) => r.route === 'poll' && r.status).length >= 2, 10_000)
    fake.fault('poll', { status: 429, retryAfter: String(RETRY_AFTER_S) })
    await until(() => mine().some((r) => r.status === 429), 10_000)
    const limited = mine().find((r) => r.status === 429)
    const answeredAt = limited?.answeredAt ?? Date.now()
    const windowEnd = answeredAt + RETRY_AFTER_S * 1000
    await sleep(Math.max(0, windowEnd - Date.now()) + 1_500 + delayMs)
    const after = mine().filter((r) => r !== limited && r.at >= answeredAt)
    const error = running.error()
    return {
      side,
      delayMs,
      inWindow: after.filter((r) => r.at < windowEnd).length,
      nextAfterMs: after.length ? after[0].at - answeredAt : undefined,
      note: error
        ? `stopped polling: ${error}`
        : after.length
          ? 'resumed polling after the window'
          : 'no request within 1.5 s after the window'
    }
  } finally {
    running.stop()
    await fake.close()
  }
}

function ours(fake: FakePlex, clientId: string): { stop(): void; error(): string | undefined } {
  const flow = new LoginFlow({
    client: createPlexClient({
      baseUrl: fake.url,
      clientIdentifier: clientId,
      device: deviceInfo('Plex Login Helper', 'bench')
    }),
    pollIntervalMs: POLL_INTERVAL_MS,
    saveCredentials: () => {}
  })
  let failure: string | undefined
  void flow.start().then((outcome) => {
    if (!outcome.ok && outcome.code !== 'cancelled') failure = outcome.message
  })
  return { stop: () => flow.cancel(), error: () => failure }
}

function peer(fake: FakePlex, clientId: string): { stop(): void; error(): string | undefined } {
  const oauth = createPeer(fake.url, clientId)
  let failure: string | undefined
  oauth
    .requestPin()
    .then(({ pinId }) => oauth.waitForToken(pinId, POLL_INTERVAL_MS))
    .catch((error: unknown) => {
      failure = error instanceof Error ? error.message : String(error)
    })
  // plex-oauth offers no way to stop polling: it runs on until maxRetries, against a fake
  // that is closed by then, so it ends with a connection error nobody waits for.
  return { stop: () => forgetPeerRoute(clientId), error: () => failure }
}

export async function measureRetryAfter(delays: number[]): Promise<RetryAfterResult[]> {
  return Promise.all(
    delays.flatMap((delayMs) => [
      retryAfterWindow('ours', delayMs, ours),
      retryAfterWindow('peer', delayMs, peer)
    ])
  )
}
