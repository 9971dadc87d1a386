import { describe, expect, it } from 'vitest'
import {
  chooseConnection,
  type ChooseOptions,
  type ConnectionChoice
} from '../../src/main/servers/choose-connection'
import type { ResourceConnection, ServerResource } from '../../src/main/servers/plex-resources'
import { manualClock, type ManualClock } from '../fake-media-server/manual-clock'
import { scriptedFetch, type Script } from '../fake-media-server/scripted-fetch'

const ID = 'a1b2c3d4e5f6a1b2c3d4e5f6a1b2c3d4e5f6a1b2'
const LOCAL_HTTPS = 'https://192.168.1.10:32400'
const LOCAL_HTTP = 'http://192.168.1.10:32401'
const REMOTE_HTTPS = 'https://203.0.113.7:32400'
const REMOTE_HTTPS_2 = 'https://203.0.113.8:32400'
const RELAY = 'https://198.51.100.9:8443'

function connection(uri: string, flags: { local?: boolean; relay?: boolean }): ResourceConnection {
  const url = new URL(uri)
  return {
    uri,
    protocol: url.protocol === 'https:' ? 'https' : 'http',
    address: url.hostname,
    port: Number(url.port),
    local: flags.local ?? false,
    relay: flags.relay ?? false
  }
}

function server(connections: ResourceConnection[]): ServerResource {
  return {
    name: 'Home',
    machineIdentifier: ID,
    owned: true,
    owner: null,
    accessToken: 'server-token-1',
    httpsRequired: false,
    publicAddressMatches: true,
    connections
  }
}

const answers = (at: number): Script => ({ answerAt: at, machineIdentifier: ID })

interface Race {
  clock: ManualClock
  calls: ReturnType<typeof scriptedFetch>['calls']
  result: () => ConnectionChoice | undefined
  progress: ConnectionChoice[]
}

function race(
  connections: ResourceConnection[],
  scripts: Record<string, Script>,
  extra: Partial<ChooseOptions> = {}
): Race {
  const clock = manualClock()
  const { fetch, calls } = scriptedFetch(clock, scripts)
  const progress: ConnectionChoice[] = []
  let result: ConnectionChoice | undefined
  void chooseConnection(server(connections), {
    fetch,
    clientIdentifier: 'client-1',
    product: 'Unit Test',
    now: clock.now,
    timers: clock.timers,
    onProgress: (choice) => progress.push(choice),
    ...extra
  }).then((choice) => (result = choice))
  return { clock, calls, result: () => result, progress }
}

const testOf = (choice: ConnectionChoice | undefined, uri: string) =>
  choice?.tests.find((test) => test.uri === uri)

describe('chooseConnection: the race', () => {
  it('probes every candidate at once, before any answer', async () => {
    const { clock, calls } = race(
      [
        connection(LOCAL_HTTPS, { local: true }),
        connection(REMOTE_HTTPS, {}),
        connection(RELAY, { relay: true })
      ],
      { [new URL(LOCAL_HTTPS).origin]: answers(500) }
    )
    await clock.advance(0)
    expect(calls.map((call) => call.url).sort()).toEqual(
      [LOCAL_HTTPS, REMOTE_HTTPS, RELAY].map((uri) => `${uri}/identity`).sort()
    )
  })

  it('a dead local address does not delay a live remote one: chosen at fastest + 250 ms', async () => {
    const { clock, calls, result } = race(
      [connection(LOCAL_HTTPS, { local: true }), connection(REMOTE_HTTPS, {})],
      { [LOCAL_HTTPS]: { never: true }, [REMOTE_HTTPS]: answers(40) }
    )
    await clock.advance(40 + 249)
    expect(result()).toBeUndefined() // the better-ranked local one still has its grace
    await clock.advance(1)
    expect(clock.now()).toBe(290) // well before the dead probe's 3 s timeout
    expect(result()?.chosen).toMatchObject({ uri: REMOTE_HTTPS, latencyMs: 40, local: false })
    // The dead probe was stopped, not waited for.
    expect(testOf(result(), LOCAL_HTTPS)).toMatchObject({ state: 'stopped', latencyMs: null })
    const dead = calls.find((call) => call.url.startsWith(LOCAL_HTTPS))
    expect(dead?.signal?.aborted).toBe(true)
  })

  it('takes an answer no pending probe can outrank at once, and stops the rest', async () => {
    const { clock, calls, result } = race(
      [connection(LOCAL_HTTPS, { local: true }), connection(REMOTE_HTTPS, {})],
      { [LOCAL_HTTPS]: answers(15), [REMOTE_HTTPS]: { never: true } }
    )
    await clock.advance(15)
    expect(result()?.chosen?.uri).toBe(LOCAL_HTTPS)
    expect(calls.find((call) => call.url.startsWith(REMOTE_HTTPS))?.signal?.aborted).toBe(true)
  })

  it('a better-ranked answer inside the grace wins over a faster one', async () => {
    const { clock, result } = race(
      [connection(LOCAL_HTTPS, { local: true }), connection(REMOTE_HTTPS, {})],
      { [LOCAL_HTTPS]: answers(200), [REMOTE_HTTPS]: answers(20) }
    )
    await clock.advance(200)
    expect(result()?.chosen).toMatchObject({ uri: LOCAL_HTTPS, local: true, latencyMs: 200 })
  })

  it('https before http on the same network, when both answer within the grace', async () => {
    const { clock, result } = race(
      [connection(LOCAL_HTTP, { local: true }), connection(LOCAL_HTTPS, { local: true })],
      { [LOCAL_HTTP]: answers(5), [LOCAL_HTTPS]: answers(60) }
    )
    await clock.advance(60)
    expect(result()?.chosen?.uri).toBe(LOCAL_HTTPS)
  })

  it('same rank: the lower latency wins without waiting for the others', async () => {
    const { clock, result } = race([connection(REMOTE_HTTPS, {}), connection(REMOTE_HTTPS_2, {})], {
      [REMOTE_HTTPS]: answers(80),
      [REMOTE_HTTPS_2]: answers(30)
    })
    await clock.advance(30)
    expect(result()?.chosen).toMatchObject({ uri: REMOTE_HTTPS_2, latencyMs: 30 })
  })

  it('a relay is not chosen while a direct connection answers, even a slower one', async () => {
    const { clock, result } = race(
      [connection(RELAY, { relay: true }), connection(REMOTE_HTTPS, {})],
      { [RELAY]: answers(10), [REMOTE_HTTPS]: answers(700) }
    )
    await clock.advance(699)
    expect(result()).toBeUndefined()
    await clock.advance(1)
    expect(result()?.chosen).toMatchObject({ uri: REMOTE_HTTPS, relay: false })
    expect(testOf(result(), RELAY)).toMatchObject({ state: 'reachable', latencyMs: 10 })
  })

  it('a relay is taken only after its grace, when no direct connection answered', async () => {
    const { clock, result } = race(
      [connection(RELAY, { relay: true }), connection(REMOTE_HTTPS, {})],
      { [RELAY]: answers(10), [REMOTE_HTTPS]: { never: true } }
    )
    await clock.advance(10 + 999)
    expect(result()).toBeUndefined()
    await clock.advance(1)
    expect(result()?.chosen).toMatchObject({ uri: RELAY, relay: true, latencyMs: 10 })
  })

  it('a relay is taken at once when every direct connection has failed', async () => {
    const { clock, result } = race(
      [connection(RELAY, { relay: true }), connection(REMOTE_HTTPS, {})],
      { [RELAY]: answers(30), [REMOTE_HTTPS]: { refuse: true } }
    )
    await clock.advance(30)
    expect(result()?.chosen?.uri).toBe(RELAY)
    expect(testOf(result(), REMOTE_HTTPS)).toMatchObject({
      state: 'failed',
      failure: { code: 'no-connection' }
    })
  })

  it('nothing answers: no connection, each probe ends at its timeout', async () => {
    const { clock, result } = race(
      [connection(LOCAL_HTTPS, { local: true }), connection(REMOTE_HTTPS, {})],
      { [LOCAL_HTTPS]: { never: true }, [REMOTE_HTTPS]: { refuse: true } }
    )
    await clock.advance(2999)
    expect(result()).toBeUndefined()
    await clock.advance(1)
    expect(result()?.chosen).toBeNull()
    expect(testOf(result(), LOCAL_HTTPS)).toMatchObject({
      state: 'failed',
      failure: { code: 'timeout' }
    })
  })

  it('probeAll: reports the choice as it is made, then finishes every probe', async () => {
    const { clock, result, progress } = race(
      [connection(LOCAL_HTTPS, { local: true }), connection(REMOTE_HTTPS, {})],
      { [LOCAL_HTTPS]: answers(20), [REMOTE_HTTPS]: answers(900) },
      { probeAll: true }
    )
    await clock.advance(20)
    expect(progress.at(-1)).toMatchObject({ chosen: { uri: LOCAL_HTTPS }, searching: true })
    expect(result()).toBeUndefined()
    await clock.advance(880)
    expect(result()?.chosen?.uri).toBe(LOCAL_HTTPS)
    expect(result()?.searching).toBe(false)
    expect(testOf(result(), REMOTE_HTTPS)).toMatchObject({ state: 'reachable', latencyMs: 900 })
  })

  it('the caller can cancel: every probe stops and nothing is chosen', async () => {
    const cancel = new AbortController()
    const { clock, calls, result } = race(
      [connection(LOCAL_HTTPS, { local: true })],
      { [LOCAL_HTTPS]: { never: true } },
      { signal: cancel.signal }
    )
    await clock.advance(10)
    cancel.abort()
    await clock.advance(0)
    expect(result()).toMatchObject({ chosen: null, searching: false })
    expect(result()?.tests[0]).toMatchObject({ state: 'stopped', failure: { code: 'cancelled' } })
    expect(calls[0]?.signal?.aborted).toBe(true)
  })

  it('a server without connections is settled at once', async () => {
    const { clock, calls, result } = race([], {})
    await clock.advance(0)
    expect(result()).toEqual({ chosen: null, tests: [], searching: false })
    expect(calls).toEqual([])
  })

  it('probes send no token, with the client id and product, redirects off', async () => {
    const { clock, calls } = race([connection(REMOTE_HTTPS, {})], {
      [REMOTE_HTTPS]: answers(5)
    })
    await clock.advance(5)
    expect(calls).toHaveLength(1)
    const [call] = calls
    expect(call?.redirect).toBe('manual')
    expect(call?.headers.get('x-plex-token')).toBeNull()
    expect(call?.url).not.toMatch(/token/i)
    expect(call?.headers.get('x-plex-client-identifier')).toBe('client-1')
    expect(call?.headers.get('x-plex-product')).toBe('Unit Test')
    expect(call?.headers.get('accept')).toBe('application/json')
  })
})
