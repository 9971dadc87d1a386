import { afterEach, describe, expect, it } from 'vitest'
import type { LoginState } from '../../src/shared/login-state'
import {
  BACKOFF_BASE_MS,
  BACKOFF_MAX_MS,
  LoginFlow,
  POLL_BACKOFF_MAX_MS,
  backoffDelay,
  pollBackoffDelay,
  type Clock,
  type LoginEvent,
  type LoginFlowOptions,
  type LoginOutcome
} from '../../src/main/login/login-flow'
import {
  createPlexClient,
  type DeviceInfo,
  type PlexAccount,
  type PlexClient,
  type PlexPin,
  type PlexResult
} from '../../src/main/plex/plex-client'
import { TEST_ACCOUNT, TEST_DEVICE } from './fixtures'

const T0 = Date.UTC(2030, 0, 1, 0, 0, 0)
const TOKEN = 'tok-SECRET-123456'
const DEVICE: DeviceInfo = { ...TEST_DEVICE, product: 'Flow Test' }
const ACCOUNT = TEST_ACCOUNT

// A manual clock: time moves only through advance(), which runs due timers in order and lets
// the promise chains they start settle before moving on.
class FakeClock implements Clock {
  private time = T0
  private nextId = 1
  private readonly timers = new Map<number, { at: number; callback: () => void }>()

  now(): number {
    return this.time
  }

  setTimeout(callback: () => void, ms: number): unknown {
    const id = this.nextId++
    this.timers.set(id, { at: this.time + Math.max(0, ms), callback })
    return id
  }

  clearTimeout(handle: unknown): void {
    this.timers.delete(handle as number)
  }

  get pending(): number {
    return this.timers.size
  }

  async advance(ms: number): Promise<void> {
    const target = this.time + ms
    await settle()
    for (;;) {
      let next: [number, { at: number; callback: () => void }] | undefined
      for (const entry of this.timers) {
        if (entry[1].at <= target && (!next || entry[1].at < next[1].at)) next = entry
      }
      if (!next) break
      this.timers.delete(next[0])
      this.time = next[1].at
      next[1].callback()
      await settle()
    }
    this.time = target
    await settle()
  }
}

// Lets promise chains that wait on I/O turns (the flow yields one before reading the account)
// run to their next timer.
const settle = async (): Promise<void> => {
  for (let turn = 0; turn < 3; turn++) await new Promise((resolve) => setImmediate(resolve))
}

type Answer<T> = PlexResult<T> | Promise<PlexResult<T>>

interface FakeClientOptions {
  clock: FakeClock
  createPin?: (n: number) => Answer<{ pin: PlexPin }>
  getPin?: (id: number, n: number) => Answer<{ pin: PlexPin }>
  getAccount?: (n: number) => Answer<{ account: PlexAccount }>
  latencyMs?: number // every answer takes this long on the fake clock
}

interface FakeClient extends PlexClient {
  creates: number[] // clock time of each createPin
  polls: { id: number; at: number }[]
  accounts: number[]
  inFlight: number
  maxInFlight: number
  readonly requests: number
}

const pin = (id: number, overrides: Partial<PlexPin> = {}): PlexPin => ({
  id,
  code: `C${id}`,
  expiresIn: 900,
  authToken: null,
  ...overrides
})

function fakeClient(options: FakeClientOptions): FakeClient {
  const { clock, latencyMs = 0 } = options
  const wrap = async <T>(answer: () => Answer<T>): Promise<PlexResult<T>> => {
    fake.inFlight += 1
    fake.maxInFlight = Math.max(fake.maxInFlight, fake.inFlight)
    try {
      if (latencyMs > 0) await new Promise<void>((resolve) => clock.setTimeout(resolve, latencyMs))
      return await answer()
    } finally {
      fake.inFlight -= 1
    }
  }
  const fake: FakeClient = {
    clientIdentifier: 'client-1',
    device: DEVICE,
    creates: [],
    polls: [],
    accounts: [],
    inFlight: 0,
    maxInFlight: 0,
    get requests() {
      return this.creates.length + this.polls.length + this.accounts.length
    },
    createPin: () => {
      fake.creates.push(clock.now())
      const n = fake.creates.length
      return wrap(() => options.createPin?.(n) ?? { ok: true, pin: pin(n) })
    },
    getPin: (id) => {
      fake.polls.push({ id, at: clock.now() })
      const n = fake.polls.length
      return wrap(() => options.getPin?.(id, n) ?? { ok: true, pin: pin(id) })
    },
    getAccount: () => {
      fake.accounts.push(clock.now())
      const n = fake.accounts.length
      return wrap(() => options.getAccount?.(n) ?? { ok: true, account: ACCOUNT })
    },
    signOut: () => Promise.resolve({ ok: true })
  }
  return fake
}

const unavailable = { ok: false, kind: 'unavailable', message: 'plex.tv is down' } as const
const rateLimited = (retryAfterMs?: number): PlexResult<never> => ({
  ok: false,
  kind: 'rate-limited',
  message: 'API rate limit exceeded',
  ...(retryAfterMs === undefined ? {} : { retryAfterMs })
})
const expired = { ok: false, kind: 'expired', message: 'Code not found or expired' } as const
const approved = (id: number): PlexResult<{ pin: PlexPin }> => ({
  ok: true,
  pin: pin(id, { authToken: TOKEN })
})

interface Harness {
  clock: FakeClock
  client: FakeClient
  flow: LoginFlow
  states: LoginState[]
  events: LoginEvent[]
  saved: [string, PlexAccount][]
  start(): Promise<LoginOutcome> & { settled: () => LoginOutcome | undefined }
}

let flows: LoginFlow[] = []
afterEach(() => {
  for (const flow of flows) flow.cancel()
  flows = []
})

function harness(
  clientOptions: Omit<FakeClientOptions, 'clock'> = {},
  flowOptions: Partial<LoginFlowOptions> = {},
  clock = new FakeClock(),
  client: PlexClient = fakeClient({ clock, ...clientOptions })
): Harness {
  const saved: [string, PlexAccount][] = []
  const flow = new LoginFlow({
    client,
    clock,
    random: () => 0.5,
    saveCredentials: (token, account) => {
      saved.push([token, account])
    },
    ...flowOptions
  })
  flows.push(flow)
  const states: LoginState[] = []
  const events: LoginEvent[] = []
  flow.onState((state) => states.push(state))
  flow.onEvent((event) => events.push(event))
  return {
    clock,
    client: client as FakeClient,
    flow,
    states,
    events,
    saved,
    start() {
      let result: LoginOutcome | undefined
      const promise = flow.start().then((outcome) => (result = outcome))
      return Object.assign(promise, { settled: () => result })
    }
  }
}

const retryDelays = (events: LoginEvent[]): number[] =>
  events.flatMap((event) => (event.type === 'retry' ? [event.delayMs] : []))

const pollTimes = (client: FakeClient): number[] => client.polls.map((poll) => poll.at - T0)

describe('backoffDelay', () => {
  it('starts at 2 s and doubles up to 30 s', () => {
    const half = (): number => 0.5
    expect([1, 2, 3, 4, 5, 6, 10].map((n) => backoffDelay(n, half))).toEqual([
      2_000, 4_000, 8_000, 16_000, 30_000, 30_000, 30_000
    ])
    expect(BACKOFF_BASE_MS).toBe(2_000)
    expect(BACKOFF_MAX_MS).toBe(30_000)
  })

  it('stays within ±25 % jitter', () => {
    expect(backoffDelay(1, () => 0)).toBe(1_500)
    expect(backoffDelay(1, () => 0.999999)).toBe(2_500)
    expect(backoffDelay(8, () => 0)).toBe(22_500)
    expect(backoffDelay(8, () => 0.999999)).toBe(37_500)
    for (let i = 0; i < 200; i++) {
      const failures = 1 + (i % 7)
      const base = Math.min(30_000, 2_000 * 2 ** (failures - 1))
      const delay = backoffDelay(failures)
      expect(delay).toBeGreaterThanOrEqual(base * 0.75)
      expect(delay).toBeLessThanOrEqual(base * 1.25)
    }
  })
})

describe('pollBackoffDelay', () => {
  it('starts at 2 s and doubles to 8 s, so that jitter never takes it past 10 s', () => {
    const half = (): number => 0.5
    expect([1, 2, 3, 4, 5, 10].map((n) => pollBackoffDelay(n, half))).toEqual([
      2_000, 4_000, 8_000, 8_000, 8_000, 8_000
    ])
    expect(POLL_BACKOFF_MAX_MS).toBe(10_000)
    expect(pollBackoffDelay(20, () => 0.999999)).toBe(10_000)
    expect(pollBackoffDelay(20, () => 0)).toBe(6_000)
  })
})

describe('LoginFlow: polling', () => {
  it('shows the code and polls about once a second', async () => {
    const h = harness()
    h.start()
    await h.clock.advance(0)
    expect(h.client.creates).toEqual([T0])
    expect(h.states).toEqual([
      { phase: 'starting' },
      {
        phase: 'waiting',
        code: 'C1',
        linkUrl: 'https://plex.tv/link/?pin=C1',
        expiresAt: T0 + 900_000,
        expiresIn: 900
      }
    ])
    expect(h.events).toEqual([
      {
        type: 'code',
        code: 'C1',
        linkUrl: 'https://plex.tv/link/?pin=C1',
        expiresIn: 900,
        renewal: 0
      }
    ])
    await h.clock.advance(999)
    expect(h.client.polls).toHaveLength(0)
    await h.clock.advance(1)
    expect(pollTimes(h.client)).toEqual([1_000])
    await h.clock.advance(5_000)
    expect(pollTimes(h.client)).toEqual([1_000, 2_000, 3_000, 4_000, 5_000, 6_000])
    expect(h.client.polls.every((poll) => poll.id === 1)).toBe(true)
  })

  it('uses the strong link for strong codes', async () => {
    const h = harness({}, { strong: true })
    h.start()
    await h.clock.advance(0)
    const waiting = h.states.at(-1)
    expect(waiting).toMatchObject({ phase: 'waiting', code: 'C1' })
    expect(waiting?.phase === 'waiting' && waiting.linkUrl).toBe(
      'https://app.plex.tv/auth#?clientID=client-1&code=C1&context%5Bdevice%5D%5Bproduct%5D=Flow%20Test'
    )
  })

  it('never has two requests in flight, even when answers are slow', async () => {
    const h = harness({ latencyMs: 1_500 })
    h.start()
    for (let i = 0; i < 40; i++) {
      h.flow.pollNow()
      await h.clock.advance(250)
    }
    expect(h.client.polls.length).toBeGreaterThan(3)
    expect(h.client.maxInFlight).toBe(1)
  })

  it('counts expiry from when the create answer arrived, using expiresIn', async () => {
    const h = harness({
      latencyMs: 2_000,
      createPin: () => ({ ok: true, pin: pin(1, { expiresIn: 60 }) })
    })
    h.start()
    await h.clock.advance(2_000)
    expect(h.states.at(-1)).toMatchObject({ phase: 'waiting', expiresAt: T0 + 2_000 + 60_000 })
  })

  it('does not take a create answer with an old expiresAt for expired', async () => {
    const clock = new FakeClock()
    let polls = 0
    const fetchStub = (async (input: string | URL | Request, init?: RequestInit) => {
      if (init?.method === 'POST') {
        return new Response(
          JSON.stringify({
            id: 77,
            code: 'OLD1',
            expiresIn: 900,
            createdAt: '2024-01-01T00:00:00Z',
            expiresAt: '2024-01-01T00:15:00Z',
            authToken: null
          }),
          { status: 201 }
        )
      }
      polls += 1
      expect(String(input)).toMatch(/\/api\/v2\/pins\/77$/)
      return new Response(JSON.stringify({ id: 77, code: 'OLD1', expiresIn: 900, authToken: null }))
    }) as typeof fetch
    const client = createPlexClient({ clientIdentifier: 'c', device: DEVICE, fetch: fetchStub })
    const h = harness({}, {}, clock, client)
    h.start()
    await h.clock.advance(0)
    expect(h.states.at(-1)).toMatchObject({
      phase: 'waiting',
      code: 'OLD1',
      expiresAt: T0 + 900_000
    })
    await h.clock.advance(10_000)
    expect(polls).toBe(10)
    expect(h.states.at(-1)).toMatchObject({ phase: 'waiting', code: 'OLD1' })
    expect(h.events.filter((event) => event.type === 'renewing')).toEqual([])
  })

  it('pollNow() polls at once during a normal interval', async () => {
    const h = harness()
    h.start()
    await h.clock.advance(300)
    expect(h.client.polls).toHaveLength(0)
    h.flow.pollNow()
    await h.clock.advance(0)
    expect(pollTimes(h.client)).toEqual([300])
    await h.clock.advance(1_000)
    expect(pollTimes(h.client)).toEqual([300, 1_300])
  })

  it('pollNow() asked again and again still polls at most twice a second', async () => {
    const h = harness()
    h.start()
    await h.clock.advance(1_000)
    for (let step = 0; step < 20; step++) {
      h.flow.pollNow()
      await h.clock.advance(100)
    }
    // 2 s of constant asking after the first poll: no more than 2 polls a second
    expect(pollTimes(h.client).length).toBeLessThanOrEqual(1 + 4)
    expect(pollTimes(h.client).length).toBeGreaterThan(2)
  })

  it('pollNow() polls at once once the first half of a backoff has passed', async () => {
    const h = harness({ getPin: (_id, n) => (n <= 4 ? unavailable : { ok: true, pin: pin(1) }) })
    h.start()
    await h.clock.advance(15_000)
    // failures at 1, 3, 7 and 15 s: the fourth asks for 8 s of quiet
    expect(pollTimes(h.client)).toEqual([1_000, 3_000, 7_000, 15_000])
    await h.clock.advance(4_500)
    h.flow.pollNow()
    await h.clock.advance(0)
    expect(pollTimes(h.client)).toEqual([1_000, 3_000, 7_000, 15_000, 19_500])
    // a good answer: back to the regular interval
    await h.clock.advance(1_000)
    expect(pollTimes(h.client).at(-1)).toBe(20_500)
  })

  it('pollNow() in the first half of a backoff polls when that half is over', async () => {
    const h = harness({ getPin: (_id, n) => (n === 1 ? unavailable : { ok: true, pin: pin(1) }) })
    h.start()
    await h.clock.advance(1_000)
    expect(retryDelays(h.events)).toEqual([2_000])
    h.flow.pollNow()
    await h.clock.advance(999)
    expect(pollTimes(h.client)).toEqual([1_000])
    await h.clock.advance(1)
    expect(pollTimes(h.client)).toEqual([1_000, 2_000])
  })

  it('pollNow() asked again and again through failures still polls at most twice a second', async () => {
    const h = harness({ getPin: () => unavailable }, { random: () => 0 })
    h.start()
    for (let step = 0; step < 300; step++) {
      h.flow.pollNow()
      await h.clock.advance(100)
    }
    const times = pollTimes(h.client)
    expect(times.length).toBeGreaterThan(10)
    for (let index = 2; index < times.length; index++) {
      expect(times[index]! - times[index - 2]!).toBeGreaterThanOrEqual(1_000)
    }
  })

  it('pollNow() never cuts short a 429’s quiet period', async () => {
    const h = harness({
      getPin: (_id, n) => (n === 1 ? rateLimited(20_000) : approved(1))
    })
    const outcome = h.start()
    await h.clock.advance(1_000)
    for (let step = 0; step < 199; step++) {
      h.flow.pollNow()
      await h.clock.advance(100)
    }
    expect(pollTimes(h.client)).toEqual([1_000])
    await h.clock.advance(100)
    expect(pollTimes(h.client)).toEqual([1_000, 21_000])
    expect(await outcome).toMatchObject({ ok: true })
  })

  it('pollNow() does nothing while the code is being created', async () => {
    const h = harness({ createPin: (n) => (n === 1 ? unavailable : { ok: true, pin: pin(n) }) })
    h.start()
    await h.clock.advance(0)
    h.flow.pollNow()
    await h.clock.advance(0)
    expect(h.client.creates).toHaveLength(1)
    expect(h.client.polls).toHaveLength(0)
  })
})

describe('LoginFlow: a new code cancels the old poller', () => {
  it('start() again stops polling the old pin', async () => {
    const h = harness()
    const first = h.start()
    await h.clock.advance(3_000)
    expect(h.client.polls.map((poll) => poll.id)).toEqual([1, 1, 1])
    const second = h.start()
    await h.clock.advance(10_000)
    expect(await first).toEqual({
      ok: false,
      code: 'cancelled',
      message: 'Sign-in was cancelled'
    })
    expect(h.client.creates).toHaveLength(2)
    const afterRestart = h.client.polls.slice(3)
    expect(afterRestart).toHaveLength(10)
    expect(afterRestart.every((poll) => poll.id === 2)).toBe(true)
    expect(second.settled()).toBeUndefined()
    expect(h.states.at(-1)).toMatchObject({ phase: 'waiting', code: 'C2' })
  })

  it('an answer for the old pin that arrives late is ignored', async () => {
    const h = harness({
      latencyMs: 500,
      getPin: (id) => (id === 1 ? approved(1) : { ok: true, pin: pin(id) })
    })
    const first = h.start()
    await h.clock.advance(1_000 + 500) // create took 500, first poll for pin 1 now in flight
    expect(h.client.polls).toEqual([{ id: 1, at: T0 + 1_500 }])
    const second = h.start()
    await h.clock.advance(5_000)
    expect(await first).toMatchObject({ ok: false, code: 'cancelled' })
    expect(h.client.accounts).toEqual([])
    expect(h.saved).toEqual([])
    expect(h.client.polls.slice(1).every((poll) => poll.id === 2)).toBe(true)
    expect(h.client.polls.length).toBeGreaterThan(3)
    expect(second.settled()).toBeUndefined()
    expect(h.states.at(-1)).toMatchObject({ phase: 'waiting', code: 'C2' })
  })
})

describe('LoginFlow: expiry and renewal', () => {
  it('renews a code that expired, counting renewals in the code event', async () => {
    const h = harness(
      { createPin: (n) => ({ ok: true, pin: pin(n, { expiresIn: 30 }) }) },
      { renewLeadMs: 0 }
    )
    h.start()
    await h.clock.advance(29_999)
    expect(h.client.creates).toHaveLength(1)
    await h.clock.advance(1)
    expect(h.client.creates).toEqual([T0, T0 + 30_000])
    expect(h.events.filter((event) => event.type !== 'code')).toEqual([
      { type: 'renewing', reason: 'expired' }
    ])
    expect(h.events.filter((event) => event.type === 'code').map((event) => event)).toMatchObject([
      { code: 'C1', renewal: 0 },
      { code: 'C2', renewal: 1 }
    ])
    const tail = h.states.slice(-2)
    expect(tail).toEqual([
      { phase: 'starting' },
      {
        phase: 'waiting',
        code: 'C2',
        linkUrl: 'https://plex.tv/link/?pin=C2',
        expiresAt: T0 + 60_000,
        expiresIn: 30
      }
    ])
  })

  it('renews at once when a poll answers 404', async () => {
    const h = harness({ getPin: (id) => (id === 1 ? expired : { ok: true, pin: pin(id) }) })
    h.start()
    await h.clock.advance(1_000)
    expect(h.client.creates).toEqual([T0, T0 + 1_000])
    expect(h.events).toContainEqual({ type: 'renewing', reason: 'expired' })
    await h.clock.advance(3_000)
    expect(h.client.polls.slice(1).map((poll) => poll.id)).toEqual([2, 2, 2])
  })

  it('gives up after 8 renewals by default', async () => {
    const h = harness({ getPin: () => expired })
    const outcome = h.start()
    await h.clock.advance(60_000)
    expect(await outcome).toEqual({
      ok: false,
      code: 'expired',
      message: expect.any(String)
    })
    expect(h.client.creates).toHaveLength(9)
    expect(h.states.at(-1)).toEqual({ phase: 'expired' })
    expect(h.events.filter((event) => event.type === 'renewing')).toHaveLength(8)
    const before = h.client.requests
    await h.clock.advance(600_000)
    expect(h.client.requests).toBe(before)
  })

  it('honours maxRenewals', async () => {
    const h = harness({ getPin: () => expired }, { maxRenewals: 2 })
    const outcome = h.start()
    await h.clock.advance(10_000)
    expect(await outcome).toMatchObject({ ok: false, code: 'expired' })
    expect(h.client.creates).toHaveLength(3)
    expect(h.states.at(-1)).toEqual({ phase: 'expired' })
  })

  it('renew:false stops at the first 404', async () => {
    const h = harness({ getPin: () => expired }, { renew: false })
    const outcome = h.start()
    await h.clock.advance(1_000)
    expect(await outcome).toMatchObject({ ok: false, code: 'expired' })
    expect(h.client.creates).toHaveLength(1)
    expect(h.states.at(-1)).toEqual({ phase: 'expired' })
    expect(h.events.some((event) => event.type === 'renewing')).toBe(false)
  })

  it('renew:false uses the code to its very end, then stops', async () => {
    const h = harness(
      { createPin: () => ({ ok: true, pin: pin(1, { expiresIn: 30 }) }) },
      { renew: false }
    )
    const outcome = h.start()
    await h.clock.advance(29_999)
    expect(outcome.settled()).toBeUndefined()
    expect(h.client.polls).toHaveLength(29)
    await h.clock.advance(1)
    expect(await outcome).toMatchObject({ ok: false, code: 'expired' })
    expect(h.client.creates).toHaveLength(1)
    expect(h.client.polls).toHaveLength(29)
    expect(h.states.at(-1)).toEqual({ phase: 'expired' })
  })

  it('asks for the next code renewLeadMs before expiry, keeping the old one on screen', async () => {
    const h = harness({}, { renewLeadMs: 5_000 })
    h.start()
    await h.clock.advance(894_999)
    expect(h.client.creates).toHaveLength(1)
    const statesBefore = h.states.length
    await h.clock.advance(1)
    expect(h.client.creates).toEqual([T0, T0 + 895_000])
    expect(h.events).toContainEqual({ type: 'renewing', reason: 'expiring' })
    // no 'starting' in between: the live code stays until its successor is there
    expect(h.states.slice(statesBefore)).toEqual([
      {
        phase: 'waiting',
        code: 'C2',
        linkUrl: 'https://plex.tv/link/?pin=C2',
        expiresAt: T0 + 895_000 + 900_000,
        expiresIn: 900
      }
    ])
  })

  it('keeps polling a code renewed early, first and then taking turns, until it expires', async () => {
    // C1 is renewed 5 s before its end; the person approves it 2 s later, after C2 is shown.
    let claimed = false
    const h = harness(
      { getPin: (id) => (id === 1 && claimed ? approved(1) : { ok: true, pin: pin(id) }) },
      { renewLeadMs: 5_000 }
    )
    const outcome = h.start()
    await h.clock.advance(895_000)
    expect(h.client.creates).toHaveLength(2)
    await h.clock.advance(1_000)
    claimed = true
    await h.clock.advance(2_000)
    const after = h.client.polls.filter((poll) => poll.at > T0 + 895_000)
    expect(after.map((poll) => poll.id)).toEqual([1, 2, 1])
    expect(await outcome).toMatchObject({ ok: true, token: TOKEN })
    expect(h.client.maxInFlight).toBe(1)
  })

  it('polls a code renewed early once more in its last second', async () => {
    const h = harness({}, { renewLeadMs: 5_000 })
    h.start()
    await h.clock.advance(895_000 + 6_000)
    const old = h.client.polls.filter((poll) => poll.id === 1 && poll.at > T0 + 895_000)
    expect(old.at(-1)!.at).toBeGreaterThanOrEqual(T0 + 899_000)
    expect(old.at(-1)!.at).toBeLessThan(T0 + 900_000)
  })

  it('when the early renewal fails, keeps the live code on screen and polled', async () => {
    let claimed = false
    const h = harness(
      {
        createPin: (n) => (n === 2 ? unavailable : { ok: true, pin: pin(n) }),
        getPin: (id) => (id === 1 && claimed ? approved(1) : { ok: true, pin: pin(id) })
      },
      { renewLeadMs: 5_000 }
    )
    const outcome = h.start()
    await h.clock.advance(895_000)
    expect(h.client.creates).toHaveLength(2)
    expect(h.states.at(-1)).toMatchObject({ phase: 'waiting', code: 'C1' })
    claimed = true
    await h.clock.advance(2_000)
    expect(await outcome).toMatchObject({ ok: true, token: TOKEN })
    expect(h.states.some((state) => state.phase === 'error')).toBe(false)
  })

  it('keeps a 429 quiet period even when the code is due for renewal in it', async () => {
    const clock = new FakeClock()
    const h = harness(
      {
        getPin: (id) =>
          clock.now() - T0 === 885_000 ? rateLimited(60_000) : { ok: true, pin: pin(id) }
      },
      { renewLeadMs: 5_000 },
      clock
    )
    h.start()
    // The 429 comes 10 s before the renewal point; it asks for a minute of quiet.
    await h.clock.advance(885_000)
    expect(h.client.creates).toHaveLength(1)
    await h.clock.advance(59_999)
    expect(h.client.creates).toHaveLength(1)
    expect(h.client.polls.filter((poll) => poll.at > T0 + 885_000)).toHaveLength(0)
    await h.clock.advance(1)
    expect(h.client.creates).toHaveLength(2)
  })

  it('stops polling the renewed code once it has expired', async () => {
    const h = harness({}, { renewLeadMs: 5_000 })
    h.start()
    await h.clock.advance(895_000 + 20_000)
    const oldPolls = h.client.polls.filter((poll) => poll.id === 1 && poll.at > T0 + 895_000)
    expect(oldPolls.length).toBeGreaterThan(0)
    expect(oldPolls.every((poll) => poll.at < T0 + 900_000)).toBe(true)
    // a second a request, whichever code it is for
    const recent = h.client.polls.filter((poll) => poll.at > T0 + 896_000)
    expect(recent.length).toBeLessThanOrEqual(19)
  })

  it('the last allowed code is used to its end', async () => {
    const h = harness({}, { renewLeadMs: 5_000, maxRenewals: 1 })
    const outcome = h.start()
    await h.clock.advance(895_000)
    expect(h.client.creates).toHaveLength(2)
    await h.clock.advance(899_999)
    expect(outcome.settled()).toBeUndefined()
    expect(h.client.creates).toHaveLength(2)
    await h.clock.advance(1)
    expect(await outcome).toMatchObject({ ok: false, code: 'expired' })
    expect(h.states.at(-1)).toEqual({ phase: 'expired' })
  })
})

describe('LoginFlow: rate limits and backoff while polling', () => {
  it('honours Retry-After (seconds) exactly', async () => {
    const h = harness({
      getPin: (_id, n) => (n === 1 ? rateLimited(7_000) : { ok: true, pin: pin(1) })
    })
    h.start()
    await h.clock.advance(1_000)
    expect(retryDelays(h.events)).toEqual([7_000])
    expect(h.events.at(-1)).toEqual({
      type: 'retry',
      reason: 'rate-limited',
      delayMs: 7_000,
      message: 'API rate limit exceeded'
    })
    await h.clock.advance(6_999)
    expect(pollTimes(h.client)).toEqual([1_000])
    await h.clock.advance(1)
    expect(pollTimes(h.client)).toEqual([1_000, 8_000])
    await h.clock.advance(1_000)
    expect(pollTimes(h.client)).toEqual([1_000, 8_000, 9_000])
    // the code stays on screen while plex.tv struggles
    expect(h.states.at(-1)).toMatchObject({ phase: 'waiting', code: 'C1' })
  })

  it.each([0, -5_000])(
    'waits at least a poll interval when Retry-After asks for %i ms',
    async (retryAfterMs) => {
      const h = harness({
        getPin: (_id, n) => (n <= 3 ? rateLimited(retryAfterMs) : { ok: true, pin: pin(1) })
      })
      h.start()
      await h.clock.advance(10_000)
      const times = pollTimes(h.client)
      for (let index = 1; index < times.length; index++) {
        expect(times[index]! - times[index - 1]!).toBeGreaterThanOrEqual(1_000)
      }
      expect(retryDelays(h.events)).toEqual([1_000, 1_000, 1_000])
    }
  )

  it('caps a huge Retry-After at 30 minutes, and keeps quiet that long', async () => {
    const h = harness({
      getPin: (_id, n) => (n === 1 ? rateLimited(10 * 86_400_000) : approved(1))
    })
    const outcome = h.start()
    await h.clock.advance(1_000)
    expect(retryDelays(h.events)).toEqual([30 * 60_000])
    await h.clock.advance(30 * 60_000 - 1)
    // nothing at all in the meantime, not even asking for a new code when this one ran out
    expect(h.client.requests).toBe(2)
    await h.clock.advance(10_000)
    expect(await outcome).toMatchObject({ ok: true })
  })

  it('honours Retry-After given as an HTTP date, through the real client', async () => {
    const clock = new FakeClock()
    let polls = 0
    const fetchStub = (async (_input: string | URL | Request, init?: RequestInit) => {
      if (init?.method === 'POST') {
        return new Response(
          JSON.stringify({ id: 5, code: 'ABCD', expiresIn: 900, authToken: null }),
          {
            status: 201
          }
        )
      }
      polls += 1
      if (polls === 1) {
        return new Response(
          JSON.stringify({ errors: [{ code: 1003, message: 'API rate limit exceeded' }] }),
          {
            status: 429,
            headers: { 'Retry-After': new Date(clock.now() + 12_000).toUTCString() }
          }
        )
      }
      return new Response(JSON.stringify({ id: 5, code: 'ABCD', expiresIn: 900, authToken: null }))
    }) as typeof fetch
    const client = createPlexClient({
      clientIdentifier: 'c',
      device: DEVICE,
      fetch: fetchStub,
      now: () => clock.now()
    })
    const h = harness({}, {}, clock, client)
    h.start()
    await h.clock.advance(1_000)
    expect(polls).toBe(1)
    expect(retryDelays(h.events)).toEqual([12_000])
    await h.clock.advance(11_999)
    expect(polls).toBe(1)
    await h.clock.advance(1)
    expect(polls).toBe(2)
  })

  it.each([
    ['unavailable (5xx, network, malformed)', unavailable],
    ['rate-limited without Retry-After', rateLimited()]
  ])('backs off from 2 s doubling to 8 s when %s', async (_label, failure) => {
    const h = harness({ getPin: () => failure })
    h.start()
    await h.clock.advance(200_000)
    expect(retryDelays(h.events).slice(0, 7)).toEqual([
      2_000, 4_000, 8_000, 8_000, 8_000, 8_000, 8_000
    ])
    expect(pollTimes(h.client).slice(0, 8)).toEqual([
      1_000, 3_000, 7_000, 15_000, 23_000, 31_000, 39_000, 47_000
    ])
    expect(h.events.find((event) => event.type === 'retry')).toMatchObject({
      reason: failure.kind,
      message: failure.message
    })
  })

  it('notices an approval made after a half-minute outage within 10 s, jitter included', async () => {
    const approvedAt = T0 + 35_000
    const h = harness(
      {
        getPin: () => {
          const now = h.clock.now()
          if (now < T0 + 31_000) return unavailable
          return now >= approvedAt ? approved(1) : { ok: true, pin: pin(1) }
        }
      },
      { random: () => 0.999999 }
    )
    const outcome = h.start()
    await h.clock.advance(100_000)
    expect(await outcome).toMatchObject({ ok: true })
    expect(Math.max(...retryDelays(h.events))).toBe(10_000)
    const times = pollTimes(h.client)
    for (let index = 1; index < times.length; index++) {
      expect(times[index]! - times[index - 1]!).toBeLessThanOrEqual(10_000)
    }
    expect(h.client.accounts[0]! - approvedAt).toBeLessThanOrEqual(10_000)
  })

  it('applies the jitter from random()', async () => {
    const h = harness({ getPin: () => unavailable }, { random: () => 0 })
    h.start()
    await h.clock.advance(20_000)
    expect(retryDelays(h.events).slice(0, 3)).toEqual([1_500, 3_000, 6_000])
    expect(pollTimes(h.client).slice(0, 4)).toEqual([1_000, 2_500, 5_500, 11_500])
  })

  it('resets the backoff after a good answer', async () => {
    const answers = [unavailable, unavailable, undefined, unavailable]
    const h = harness({ getPin: (id, n) => answers[n - 1] ?? { ok: true, pin: pin(id) } })
    h.start()
    await h.clock.advance(20_000)
    expect(retryDelays(h.events)).toEqual([2_000, 4_000, 2_000])
    expect(pollTimes(h.client).slice(0, 6)).toEqual([1_000, 3_000, 7_000, 8_000, 10_000, 11_000])
  })

  it('a 4xx while polling ends the sign-in as rejected', async () => {
    const h = harness({
      getPin: () => ({ ok: false, kind: 'rejected', status: 400, message: 'Bad pin request' })
    })
    const outcome = h.start()
    await h.clock.advance(1_000)
    expect(await outcome).toEqual({ ok: false, code: 'rejected', message: 'Bad pin request' })
    expect(h.states.at(-1)).toEqual({ phase: 'error', message: 'Bad pin request' })
    const before = h.client.requests
    await h.clock.advance(60_000)
    expect(h.client.requests).toBe(before)
  })
})

describe('LoginFlow: creating the code', () => {
  it('a 4xx on create is not retried: rejected with plex.tv’s message', async () => {
    const h = harness({
      createPin: () => ({
        ok: false,
        kind: 'rejected',
        status: 400,
        message: 'X-Plex-Client-Identifier is missing'
      })
    })
    const outcome = h.start()
    await h.clock.advance(120_000)
    expect(await outcome).toEqual({
      ok: false,
      code: 'rejected',
      message: 'X-Plex-Client-Identifier is missing'
    })
    expect(h.client.creates).toHaveLength(1)
    expect(h.states.at(-1)).toEqual({
      phase: 'error',
      message: 'X-Plex-Client-Identifier is missing'
    })
    expect(h.states.at(-1)).not.toHaveProperty('retryAt')
    expect(h.events.some((event) => event.type === 'retry')).toBe(false)
  })

  it('a transient failure shows an error with retryAt, then retries', async () => {
    const h = harness({ createPin: (n) => (n === 1 ? unavailable : { ok: true, pin: pin(n) }) })
    h.start()
    await h.clock.advance(0)
    expect(h.states).toEqual([
      { phase: 'starting' },
      { phase: 'error', message: 'plex.tv is down', retryAt: T0 + 2_000 }
    ])
    expect(h.events).toEqual([
      { type: 'retry', reason: 'unavailable', delayMs: 2_000, message: 'plex.tv is down' }
    ])
    await h.clock.advance(1_999)
    expect(h.client.creates).toHaveLength(1)
    await h.clock.advance(1)
    expect(h.client.creates).toEqual([T0, T0 + 2_000])
    expect(h.states.slice(2)).toEqual([
      { phase: 'starting' },
      expect.objectContaining({ phase: 'waiting', code: 'C2', expiresAt: T0 + 2_000 + 900_000 })
    ])
  })

  it('keeps backing off up to 30 s while no code is alive', async () => {
    const h = harness({ createPin: () => unavailable }, { maxCreateAttempts: 8 })
    const outcome = h.start()
    await h.clock.advance(200_000)
    expect(await outcome).toMatchObject({ ok: false, code: 'unavailable' })
    expect(retryDelays(h.events)).toEqual([2_000, 4_000, 8_000, 16_000, 30_000, 30_000, 30_000])
  })

  it('a 429 on create honours Retry-After in retryAt', async () => {
    const h = harness({
      createPin: (n) => (n === 1 ? rateLimited(9_000) : { ok: true, pin: pin(n) })
    })
    h.start()
    await h.clock.advance(0)
    expect(h.states.at(-1)).toEqual({
      phase: 'error',
      message: 'API rate limit exceeded',
      retryAt: T0 + 9_000
    })
    await h.clock.advance(8_999)
    expect(h.client.creates).toHaveLength(1)
    await h.clock.advance(1)
    expect(h.client.creates).toHaveLength(2)
  })

  it.each([
    ['unavailable', unavailable],
    ['rate-limited', rateLimited()]
  ])('gives up after maxCreateAttempts when %s', async (code, failure) => {
    const h = harness({ createPin: () => failure })
    const outcome = h.start()
    await h.clock.advance(120_000)
    expect(await outcome).toEqual({ ok: false, code, message: failure.message })
    expect(h.client.creates.map((at) => at - T0)).toEqual([0, 2_000, 6_000, 14_000, 30_000])
    expect(h.states.at(-1)).toEqual({ phase: 'error', message: failure.message })
    expect(h.client.polls).toEqual([])
  })

  it('honours a smaller maxCreateAttempts', async () => {
    const h = harness({ createPin: () => unavailable }, { maxCreateAttempts: 2 })
    const outcome = h.start()
    await h.clock.advance(60_000)
    expect(await outcome).toMatchObject({ ok: false, code: 'unavailable' })
    expect(h.client.creates).toHaveLength(2)
  })
})

describe('LoginFlow: approval', () => {
  it('reads the account, saves, and ends signed in', async () => {
    const h = harness({ getPin: (id, n) => (n === 3 ? approved(id) : { ok: true, pin: pin(id) }) })
    const outcome = h.start()
    await h.clock.advance(3_000)
    expect(await outcome).toEqual({ ok: true, token: TOKEN, account: ACCOUNT })
    expect(h.client.accounts).toEqual([T0 + 3_000])
    expect(h.saved).toEqual([[TOKEN, ACCOUNT]])
    expect(h.states.at(-1)).toEqual({
      phase: 'signed-in',
      user: { username: 'alice', title: 'Alice', email: 'alice@example.com', verified: true }
    })
    expect(h.events.at(-1)).toEqual({ type: 'approved' })
    const before = h.client.requests
    await h.clock.advance(60_000)
    expect(h.client.requests).toBe(before)
    expect(h.clock.pending).toBe(0)
  })

  it('retries a transient account failure a few times', async () => {
    const h = harness({
      getPin: (id) => approved(id),
      getAccount: (n) => (n <= 2 ? unavailable : { ok: true, account: ACCOUNT })
    })
    const outcome = h.start()
    await h.clock.advance(30_000)
    expect(await outcome).toMatchObject({ ok: true, token: TOKEN })
    expect(h.client.accounts.map((at) => at - T0)).toEqual([1_000, 3_000, 7_000])
    expect(h.saved).toHaveLength(1)
  })

  it('gives up on the account after maxAccountAttempts', async () => {
    const h = harness({ getPin: (id) => approved(id), getAccount: () => unavailable })
    const outcome = h.start()
    await h.clock.advance(60_000)
    const result = await outcome
    expect(result).toMatchObject({ ok: false, code: 'unavailable' })
    expect(result.ok === false && result.message).toContain('plex.tv is down')
    expect(h.client.accounts).toHaveLength(4)
    expect(h.saved).toEqual([])
    expect(h.states.at(-1)).toMatchObject({ phase: 'error' })
  })

  it('does not retry a rejected account read', async () => {
    const h = harness({
      getPin: (id) => approved(id),
      getAccount: () => ({
        ok: false,
        kind: 'rejected',
        status: 401,
        message: 'User could not be authenticated'
      })
    })
    const outcome = h.start()
    await h.clock.advance(60_000)
    expect(await outcome).toMatchObject({ ok: false, code: 'rejected' })
    expect(h.client.accounts).toHaveLength(1)
  })

  it.each([
    [
      'throws',
      () => {
        throw new Error('disk full')
      }
    ],
    ['rejects', () => Promise.reject(new Error('disk full'))]
  ])('saveCredentials that %s ends with code store', async (_label, saveCredentials) => {
    const h = harness({ getPin: (id) => approved(id) }, { saveCredentials })
    const outcome = h.start()
    await h.clock.advance(1_000)
    const result = await outcome
    expect(result).toMatchObject({ ok: false, code: 'store' })
    expect(result.ok === false && result.message).toContain('disk full')
    expect(h.states.at(-1)).toMatchObject({ phase: 'error' })
    expect(h.states.some((state) => state.phase === 'signed-in')).toBe(false)
  })

  it('never puts the token in a state or an event', async () => {
    const answers: PlexResult<{ pin: PlexPin }>[] = [unavailable, rateLimited(3_000), expired]
    const h = harness({
      getPin: (id, n) => answers[n - 1] ?? (n >= 6 ? approved(id) : { ok: true, pin: pin(id) }),
      getAccount: (n) => (n === 1 ? unavailable : { ok: true, account: ACCOUNT })
    })
    const outcome = h.start()
    await h.clock.advance(60_000)
    expect(await outcome).toMatchObject({ ok: true, token: TOKEN })
    expect(h.states.length).toBeGreaterThan(4)
    expect(h.events.length).toBeGreaterThan(5)
    for (const item of [...h.states, ...h.events]) {
      expect(JSON.stringify(item)).not.toContain(TOKEN)
    }
    expect(JSON.stringify(h.flow.state)).not.toContain(TOKEN)
  })
})

describe('LoginFlow: cancel()', () => {
  it('stops at once while waiting out the interval', async () => {
    const h = harness()
    const outcome = h.start()
    await h.clock.advance(2_500)
    const before = h.client.requests
    h.flow.cancel()
    expect(h.clock.pending).toBe(0)
    await h.clock.advance(3_600_000)
    expect(h.client.requests).toBe(before)
    expect(await outcome).toEqual({
      ok: false,
      code: 'cancelled',
      message: 'Sign-in was cancelled'
    })
    expect(h.states.at(-1)).toMatchObject({ phase: 'waiting' })
  })

  it('stops while a poll is in flight, and ignores its answer', async () => {
    const h = harness({ latencyMs: 400, getPin: (id) => approved(id) })
    const outcome = h.start()
    await h.clock.advance(400 + 1_000 + 100)
    expect(h.client.polls).toHaveLength(1)
    expect(h.client.inFlight).toBe(1)
    const statesBefore = h.states.length
    h.flow.cancel()
    await h.clock.advance(3_600_000)
    expect(h.client.polls).toHaveLength(1)
    expect(h.client.accounts).toEqual([])
    expect(h.saved).toEqual([])
    expect(h.states).toHaveLength(statesBefore)
    expect(await outcome).toMatchObject({ ok: false, code: 'cancelled' })
  })

  it('stops during a create backoff', async () => {
    const h = harness({ createPin: () => unavailable })
    const outcome = h.start()
    await h.clock.advance(1_000)
    h.flow.cancel()
    await h.clock.advance(3_600_000)
    expect(h.client.creates).toHaveLength(1)
    expect(await outcome).toMatchObject({ ok: false, code: 'cancelled' })
  })

  it('stops during an account retry', async () => {
    const h = harness({ getPin: (id) => approved(id), getAccount: () => unavailable })
    const outcome = h.start()
    await h.clock.advance(1_500)
    expect(h.client.accounts).toHaveLength(1)
    h.flow.cancel()
    await h.clock.advance(3_600_000)
    expect(h.client.accounts).toHaveLength(1)
    expect(h.saved).toEqual([])
    expect(await outcome).toMatchObject({ ok: false, code: 'cancelled' })
  })

  it('stops while the create request is in flight', async () => {
    const h = harness({ latencyMs: 1_000 })
    const outcome = h.start()
    await h.clock.advance(500)
    h.flow.cancel()
    await h.clock.advance(3_600_000)
    expect(h.client.creates).toHaveLength(1)
    expect(h.client.polls).toHaveLength(0)
    expect(h.states).toEqual([{ phase: 'starting' }])
    expect(await outcome).toMatchObject({ ok: false, code: 'cancelled' })
  })

  it('aborts the request in flight, so a new code never waits on the old poll', async () => {
    const clock = new FakeClock()
    const signals: AbortSignal[] = []
    const client: PlexClient = {
      clientIdentifier: 'client-1',
      device: DEVICE,
      createPin: (_strong, signal) => {
        if (signal) signals.push(signal)
        return new Promise(() => {})
      },
      getPin: () => new Promise(() => {}),
      getAccount: () => new Promise(() => {}),
      signOut: () => new Promise(() => {})
    }
    const flow = new LoginFlow({ client, clock, saveCredentials: () => {} })
    void flow.start()
    await settle()
    expect(signals).toHaveLength(1)
    expect(signals[0]!.aborted).toBe(false)
    flow.cancel()
    expect(signals[0]!.aborted).toBe(true)
  })

  it('is harmless when nothing runs', () => {
    const h = harness()
    expect(() => h.flow.cancel()).not.toThrow()
    expect(() => h.flow.pollNow()).not.toThrow()
    expect(h.flow.state).toEqual({ phase: 'starting' })
  })

  it('unsubscribed listeners hear nothing more', async () => {
    const h = harness()
    const late: unknown[] = []
    const offState = h.flow.onState((state) => late.push(state))
    const offEvent = h.flow.onEvent((event) => late.push(event))
    offState()
    offEvent()
    h.start()
    await h.clock.advance(5_000)
    expect(late).toEqual([])
    expect(h.states.length).toBeGreaterThan(0)
  })
})
