// Refreshing a JWT sign-in and the 498 retry, against the fake plex.tv's JWT endpoints served
// in memory, on a clock the test moves: one refresh at a time, a 429 honoured, a dead key
// forgotten, a JWT that does not verify never stored.
import { describe, expect, it } from 'vitest'
import { manualClock, settle, type ManualClock } from '../fake-media-server/manual-clock'
import { createFakeJwt, type FakeJwt, type FakeJwtOptions } from '../fake-plex/fake-plex-jwt'
import type { FakeRouteAnswer } from '../fake-plex/fake-routes'
import { JwtAuth } from '../../src/main/jwt/jwt-auth'
import { jwtClient } from '../../src/main/jwt/jwt-sign-in'
import { memoryStorage } from '../../src/main/store/credential-store'
import { JwtStore } from '../../src/main/store/jwt-store'
import type { Clock } from '../../src/main/login/login-flow'

const PLEX_URL = 'http://127.0.0.1:9'
const DEVICE = {
  product: 'Test',
  version: '1',
  platform: 'Linux',
  platformVersion: '6',
  device: 'PC',
  deviceName: 'test'
}
const USER = { id: 7, uuid: 'u7', username: 'jwtuser', title: 'jwtuser', email: 'j@example.com' }
const ACCOUNT = { ...USER, thumb: '' }
const START = Date.UTC(2026, 11, 1)

interface Harness {
  fake: FakeJwt
  clock: ManualClock
  store: JwtStore
  auth: JwtAuth
  paths: string[] // every request, in order
  script: Map<string, FakeRouteAnswer[]> // canned answers by path, used before the fake's
  signIn(): Promise<{ token: string; clientIdentifier: string }>
}

/** A fetch that answers from the fake's handler (and /api/v2/user), never the network. */
async function harness(options: FakeJwtOptions = {}, clientId?: string): Promise<Harness> {
  const clock = manualClock()
  const at = (): number => START + clock.now()
  const fake = createFakeJwt({ now: at, ...options })
  const tokens = new Set<string>()
  fake.connect({ user: USER, addToken: (token) => tokens.add(token) })
  const paths: string[] = []
  const script = new Map<string, FakeRouteAnswer[]>()
  const fetchStub = async (input: string | URL | Request, init?: RequestInit) => {
    const url = new URL(String(input))
    paths.push(url.pathname)
    const headers = Object.fromEntries(
      Object.entries((init?.headers ?? {}) as Record<string, string>).map(([k, v]) => [
        k.toLowerCase(),
        v
      ])
    )
    const token = headers['x-plex-token']
    const canned = script.get(url.pathname)?.shift()
    const answer: FakeRouteAnswer | undefined =
      canned ??
      (url.pathname === '/api/v2/user'
        ? (fake.checkToken(token) ??
          (token && tokens.has(token) ? { status: 200, body: USER } : { status: 401 }))
        : await fake.handler({
            method: init?.method ?? 'GET',
            url,
            headers,
            token,
            body: String(init?.body ?? ''),
            isValidToken: (t) => tokens.has(t)
          }))
    const { status, body, headers: answerHeaders } = answer ?? { status: 404 }
    return new Response(body === undefined ? null : JSON.stringify(body), {
      status,
      headers: answerHeaders
    })
  }
  const store = new JwtStore(memoryStorage(), { origin: PLEX_URL })
  const timedClock: Clock = {
    now: at,
    setTimeout: (run, ms) => clock.timers.setTimeout(run, ms),
    clearTimeout: (handle) => clock.timers.clearTimeout(handle)
  }
  const context = {
    plexUrl: PLEX_URL,
    device: DEVICE,
    fetch: fetchStub as typeof fetch,
    clock: timedClock
  }
  const device = await store.device()
  const client = jwtClient(context, clientId ?? device.clientIdentifier)
  const auth = new JwtAuth({ client, store, clock: timedClock })
  return {
    fake,
    clock,
    store,
    auth,
    paths,
    script,
    async signIn() {
      // As a PIN approval would: the key registered, a Plex JWT issued, verified and stored.
      const body = JSON.stringify({
        jwk: { ...device.key.publicJwk, kid: device.key.kid, alg: 'EdDSA' }
      })
      fake.createPin(body, device.clientIdentifier)
      const token = fake.issue(device.clientIdentifier)
      const verified = await auth.verify(token, device.clientIdentifier, device.key.kid)
      if (!verified.ok) throw new Error(verified.message)
      await store.save(device, token, verified.expiresAt, ACCOUNT)
      paths.length = 0
      return { token, clientIdentifier: device.clientIdentifier }
    }
  }
}

async function storedToken(store: JwtStore): Promise<string | undefined> {
  const stored = await store.inspect()
  return stored.kind === 'stored' ? stored.signIn.token : undefined
}

describe('JwtAuth.refresh', () => {
  it('nonce, then a signed device JWT, then a new Plex JWT, verified and stored', async () => {
    const h = await harness()
    const { token } = await h.signIn()
    await h.clock.advance(60_000)
    const refreshed = await h.auth.refresh()

    expect(refreshed.ok).toBe(true)
    const next = refreshed.ok ? refreshed.signIn.token : ''
    expect(next).not.toBe(token)
    expect(h.fake.refreshes).toBe(1)
    expect(h.paths).toEqual(['/api/v2/auth/nonce', '/api/v2/auth/token'])
    expect(await storedToken(h.store)).toBe(next)
    expect(refreshed.ok && refreshed.signIn.expiresAt).toBe(START + 60_000 + 7 * 86_400_000)
  })

  it('never runs two at once: callers meanwhile share the one under way', async () => {
    const h = await harness()
    await h.signIn()
    const results = await Promise.all([h.auth.refresh(), h.auth.refresh(), h.auth.refresh()])

    expect(h.fake.nonceRequests).toHaveLength(1)
    expect(h.fake.refreshes).toBe(1)
    expect(new Set(results.map((r) => (r.ok ? r.signIn.token : '')))).toHaveLength(1)
    await h.auth.refresh() // once it is done, the next one is a new refresh
    expect(h.fake.refreshes).toBe(2)
  })

  it('honours a 429’s Retry-After: nothing is sent before it has passed', async () => {
    const h = await harness()
    await h.signIn()
    h.script.set('/api/v2/auth/nonce', [
      { status: 429, headers: { 'retry-after': '20' }, body: { errors: [{ code: 1003 }] } }
    ])
    let done = false
    const refreshing = h.auth.refresh().then((result) => {
      done = true
      return result
    })
    await settle()
    expect(h.paths).toEqual(['/api/v2/auth/nonce'])
    await h.clock.advance(19_999)
    expect(h.paths).toEqual(['/api/v2/auth/nonce'])
    expect(done).toBe(false)
    await h.clock.advance(1)
    expect((await refreshing).ok).toBe(true)
    expect(h.paths).toEqual(['/api/v2/auth/nonce', '/api/v2/auth/nonce', '/api/v2/auth/token'])
  })

  it('a 429 asking for longer than a minute fails at once, and so does the next try', async () => {
    const h = await harness()
    const { token } = await h.signIn()
    h.script.set('/api/v2/auth/nonce', [{ status: 429, headers: { 'retry-after': '600' } }])
    const first = await h.auth.refresh()
    expect(first).toMatchObject({ ok: false, kind: 'rate-limited' })
    const second = await h.auth.refresh()
    expect(second).toMatchObject({ ok: false, kind: 'rate-limited', message: /try again in/ })
    expect(h.paths).toEqual(['/api/v2/auth/nonce'])
    expect(await storedToken(h.store)).toBe(token)
  })

  it('the fake’s own nonce limit (bursts answer 429) is kept to', async () => {
    const h = await harness({ nonceLimit: { max: 2, windowMs: 60_000, retryAfter: '30' } })
    await h.signIn()
    expect((await h.auth.refresh()).ok).toBe(true)
    expect((await h.auth.refresh()).ok).toBe(true)
    const third = h.auth.refresh()
    await settle()
    expect(h.fake.nonceRequests).toHaveLength(3) // the third got a 429
    await h.clock.advance(30_000)
    expect(h.fake.nonceRequests).toHaveLength(4) // and only after 30 s asked again
    await h.clock.advance(30_000)
    expect((await third).ok).toBe(true)
  })

  it('a key plex.tv no longer knows: the sign-in and the device are forgotten', async () => {
    const h = await harness()
    const { clientIdentifier } = await h.signIn()
    h.fake.forgetDevice(clientIdentifier)
    const result = await h.auth.refresh()

    expect(result).toMatchObject({ ok: false, keyUnknown: true, message: /login --jwt/ })
    expect(await h.store.inspect()).toEqual({ kind: 'none' })
    expect((await h.store.device()).clientIdentifier).not.toBe(clientIdentifier)
  })

  it.for([
    ['an outage', { status: 503 }],
    ['a refusal that says nothing of the key', { status: 400 }]
  ] as const)('after %s the stored JWT is kept', async ([, answer]) => {
    const h = await harness()
    const { token } = await h.signIn()
    h.script.set('/api/v2/auth/token', [answer])
    expect((await h.auth.refresh()).ok).toBe(false)
    expect(await storedToken(h.store)).toBe(token)
  })

  it('a device JWT whose iss is not the device: error 1097, said plainly, JWT kept', async () => {
    const h = await harness({}, 'another-client-id')
    const { token } = await h.signIn()
    const result = await h.auth.refresh()

    expect(result).toMatchObject({ ok: false, kind: 'rejected', message: /error 1097/ })
    expect(h.paths).toEqual(['/api/v2/auth/nonce', '/api/v2/auth/token'])
    expect(await storedToken(h.store)).toBe(token)
  })

  it('a refreshed JWT signed by a key plex.tv does not publish is not stored', async () => {
    const h = await harness()
    const { token } = await h.signIn()
    h.fake.signWithUnknownKey(true)
    const result = await h.auth.refresh()
    expect(result).toMatchObject({ ok: false, message: /not signed by any of plex\.tv’s keys/ })
    expect(await storedToken(h.store)).toBe(token)
  })
})

describe('JwtAuth.withToken', () => {
  it('on a 498: refreshes once, then runs the call again with the new JWT', async () => {
    const h = await harness()
    const { token } = await h.signIn()
    h.fake.expire(token)
    const stored = await h.store.inspect()
    if (stored.kind !== 'stored') throw new Error('not stored')
    const seen: string[] = []
    const result = await h.auth.withToken(stored.signIn, async (current) => {
      seen.push(current)
      const status = h.fake.checkToken(current)?.status ?? 200
      return status === 200
        ? { ok: true, value: current }
        : { ok: false, kind: 'rejected', status, message: 'expired' }
    })

    expect(result).toEqual({ ok: true, value: seen[1] })
    expect(seen).toHaveLength(2)
    expect(seen[0]).toBe(token)
    expect(seen[1]).not.toBe(token)
    expect(h.fake.refreshes).toBe(1)
  })

  it('refreshes only once: a second 498 is the answer', async () => {
    const h = await harness()
    await h.signIn()
    const stored = await h.store.inspect()
    if (stored.kind !== 'stored') throw new Error('not stored')
    let calls = 0
    const result = await h.auth.withToken(stored.signIn, async () => {
      calls += 1
      return { ok: false, kind: 'rejected', status: 498, message: 'expired' } as const
    })
    expect(result).toMatchObject({ ok: false, status: 498 })
    expect(calls).toBe(2)
    expect(h.fake.refreshes).toBe(1)
  })

  it('anything but a 498 is answered as it is, without a refresh', async () => {
    const h = await harness()
    await h.signIn()
    const stored = await h.store.inspect()
    if (stored.kind !== 'stored') throw new Error('not stored')
    const result = await h.auth.withToken(stored.signIn, async () => {
      return { ok: false, kind: 'rejected', status: 401, message: 'no' } as const
    })
    expect(result).toMatchObject({ ok: false, status: 401 })
    expect(h.paths).toEqual([])
  })
})
