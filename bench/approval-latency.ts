// Section 2: approval → noticed and approval → signed in, ours and the peer side by side.
// Both run in this process against one fake plex.tv with real timers. Each run starts one
// sign-in of each; once a code is out, each is approved at its own moment: one poll period
// after the code (so polling is in its steady rhythm), plus a uniformly random offset within
// one more period, so the approval lands at a uniformly random phase of the poll cycle. The
// offsets are stratified (run i of n draws uniformly from the i-th n-th of the period, in
// shuffled order, separately per side): each is still uniform, but 20 runs cover the cycle
// evenly instead of clumping, so the medians are not at the mercy of a lucky draw.
//   approved  = the fake marks the PIN claimed (onClaim)
//   noticed   = the first poll answer carrying the authToken leaves the fake (onTokenSent)
//   signed in = ours: LoginFlow resolves { ok: true } (after reading the account and saving it
//               with the CLI's conf store); peer: checkForAuthToken() resolves with the token.

import { randomUUID } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { setTimeout as sleep } from 'node:timers/promises'
import { LoginFlow } from '../src/main/login/login-flow'
import { createPlexClient } from '../src/main/plex/plex-client'
import { deviceInfo } from '../src/main/plex/device-info'
import { CredentialStore } from '../src/main/store/credential-store'
import { openJsonFileStorage } from '../src/main/store/json-file-storage'
import { startFakePlex, type FakePin, type FakePlex } from '../test/fake-plex/fake-plex-server'
import { createPeer, forgetPeerRoute } from './peer-plex-oauth'

export type Side = 'ours' | 'peer'

export const POLL_INTERVAL_MS = 1_000 // ours by default; the peer's requestDelay

export interface ApprovalSample {
  side: Side
  delayMs: number
  noticedMs: number
  signedInMs: number
  requests: Record<'create' | 'poll' | 'user' | 'other', number>
  connections: number // distinct TCP connections this sign-in's requests came on
  pollConnections: number // the same, for asking for the code and polling only
}

interface PinWatch {
  claimedAt?: number
  tokenSentAt?: number
}

/** Lets several sign-ins share one fake: its hooks fan out by pin id, timed with performance.now(). */
function watchPins(fake: FakePlex): Map<number, PinWatch> {
  const watches = new Map<number, PinWatch>()
  const watch = (pin: FakePin): PinWatch => {
    let w = watches.get(pin.id)
    if (!w) watches.set(pin.id, (w = {}))
    return w
  }
  fake.onClaim = (pin) => void (watch(pin).claimedAt = performance.now())
  fake.onTokenSent = (pin) => void (watch(pin).tokenSentAt = performance.now())
  return watches
}

export function requestsOf(fake: FakePlex, clientId: string): FakePlex['requests'] {
  return fake.requests.filter((r) => r.headers['x-plex-client-identifier'] === clientId)
}

const distinct = (requests: FakePlex['requests']): number =>
  new Set(requests.map((r) => r.connection)).size

function tally(
  fake: FakePlex,
  clientId: string
): Pick<ApprovalSample, 'requests' | 'connections' | 'pollConnections'> {
  const mine = requestsOf(fake, clientId)
  const requests = { create: 0, poll: 0, user: 0, other: 0 }
  for (const r of mine) requests[r.route === 'signout' ? 'other' : r.route] += 1
  return {
    requests,
    connections: distinct(mine),
    pollConnections: distinct(mine.filter((r) => r.route === 'create' || r.route === 'poll'))
  }
}

const approvalDelay = (delayMs: number, phase: number): number => {
  const period = POLL_INTERVAL_MS + delayMs // one poll cycle: the wait plus the round trip
  return period + phase * period
}

/** n phases in [0, 1): one uniformly random point in each n-th, in random order. */
export function stratifiedPhases(n: number): number[] {
  const phases = Array.from({ length: n }, (_, i) => (i + Math.random()) / n)
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1))
    ;[phases[i], phases[j]] = [phases[j], phases[i]]
  }
  return phases
}

function sample(
  side: Side,
  delayMs: number,
  watch: PinWatch | undefined,
  signedInAt: number,
  fake: FakePlex,
  clientId: string
): ApprovalSample {
  if (watch?.claimedAt === undefined || watch.tokenSentAt === undefined)
    throw new Error(`${side}: the fake saw no claim or no token answer`)
  return {
    side,
    delayMs,
    noticedMs: watch.tokenSentAt - watch.claimedAt,
    signedInMs: signedInAt - watch.claimedAt,
    ...tally(fake, clientId)
  }
}

async function oursOnce(
  fake: FakePlex,
  watches: Map<number, PinWatch>,
  delayMs: number,
  phase: number
): Promise<ApprovalSample> {
  const clientId = randomUUID()
  const storeDir = mkdtempSync(join(tmpdir(), 'plex-bench-flow-'))
  try {
    const store = new CredentialStore(openJsonFileStorage(storeDir, () => {}))
    const client = createPlexClient({
      baseUrl: fake.url,
      clientIdentifier: clientId,
      device: deviceInfo('Plex Login Helper', 'bench')
    })
    const flow = new LoginFlow({
      client,
      pollIntervalMs: POLL_INTERVAL_MS,
      saveCredentials: (token, account) => store.save(token, account)
    })
    let approving: Promise<void> | undefined
    flow.onEvent((event) => {
      if (event.type !== 'code') return
      const pin = fake.pins.find((p) => p.code === event.code && p.clientIdentifier === clientId)
      if (!pin) throw new Error('ours: the shown code is not at the fake')
      approving = sleep(approvalDelay(delayMs, phase)).then(() => void fake.approve(pin.id))
    })
    const outcome = await flow.start()
    const signedInAt = performance.now()
    await approving
    if (!outcome.ok) throw new Error(`ours: sign-in failed: ${outcome.message}`)
    const pin = fake.pins.find((p) => p.clientIdentifier === clientId)
    return sample('ours', delayMs, pin && watches.get(pin.id), signedInAt, fake, clientId)
  } finally {
    rmSync(storeDir, { recursive: true, force: true })
  }
}

async function peerOnce(
  fake: FakePlex,
  watches: Map<number, PinWatch>,
  delayMs: number,
  phase: number
): Promise<ApprovalSample> {
  const clientId = `bench-peer-${randomUUID()}`
  const peer = createPeer(fake.url, clientId)
  try {
    const { pinId } = await peer.requestPin()
    const approving = sleep(approvalDelay(delayMs, phase)).then(() => void fake.approve(pinId))
    const token = await peer.waitForToken(pinId, POLL_INTERVAL_MS)
    const signedInAt = performance.now()
    await approving
    if (!token) throw new Error('peer: no token')
    return sample('peer', delayMs, watches.get(pinId), signedInAt, fake, clientId)
  } finally {
    forgetPeerRoute(clientId)
  }
}

export async function measureApprovalLatency(
  delayMs: number,
  runs: number,
  progress: (text: string) => void
): Promise<ApprovalSample[]> {
  const fake = await startFakePlex({ delayMs })
  const watches = watchPins(fake)
  const samples: ApprovalSample[] = []
  const oursPhases = stratifiedPhases(runs)
  const peerPhases = stratifiedPhases(runs)
  try {
    for (let i = 0; i < runs; i++) {
      const pair = await Promise.all([
        oursOnce(fake, watches, delayMs, oursPhases[i]),
        peerOnce(fake, watches, delayMs, peerPhases[i])
      ])
      samples.push(...pair)
      progress(`approval latency, ${delayMs} ms: run ${i + 1}/${runs}`)
    }
  } finally {
    await fake.close()
  }
  return samples
}
