// The server step against real sockets: a fake plex.tv listing fake media servers that listen on
// several 127.0.0.x addresses. Timing is asserted as behaviour (what was stopped, what answered),
// never as a duration.
import { afterEach, describe, expect, it, vi } from 'vitest'
import { chooseConnection, type ChooseOptions } from '../../src/main/servers/choose-connection'
import { listServers, type ServerResource } from '../../src/main/servers/plex-resources'
import { probeServers } from '../../src/main/servers/probe-servers'
import { serverJson } from '../../src/main/servers/server-json'
import { FakeMediaServers, refusedPort } from '../fake-media-server/fake-media-server'
import { fakePlexResources, loopbackConnection } from '../fake-plex/fake-plex-resources'
import { startFakePlex, type FakePlex } from '../fake-plex/fake-plex-server'
import { TEST_DEVICE } from './fixtures'

const CLIENT_ID = 'client-id-loopback'
const ACCOUNT_TOKEN = 'account-token-loopback'
const SERVER_TOKEN = 'server-token-loopback'
const ID = 'f00dfeedf00dfeedf00dfeedf00dfeedf00dfeed'

const media = new FakeMediaServers()
let plex: FakePlex | undefined
afterEach(async () => {
  await media.closeAll()
  await plex?.close()
  plex = undefined
})

const chooseOptions = (extra: Partial<ChooseOptions> = {}): ChooseOptions => ({
  fetch,
  clientIdentifier: CLIENT_ID,
  product: TEST_DEVICE.product,
  ...extra
})

function resource(
  connections: ServerResource['connections'],
  extra: Partial<ServerResource> = {}
): ServerResource {
  return {
    name: 'Loopback',
    machineIdentifier: ID,
    owned: true,
    owner: null,
    accessToken: SERVER_TOKEN,
    httpsRequired: false,
    publicAddressMatches: false,
    connections,
    ...extra
  }
}

function http(url: string, flags: { local?: boolean; relay?: boolean } = {}) {
  const { hostname, port } = new URL(url)
  return {
    uri: url,
    protocol: 'http' as const,
    address: hostname,
    port: Number(port),
    local: flags.local ?? false,
    relay: flags.relay ?? false
  }
}

describe('servers on loopback', () => {
  it('lists, probes and describes servers; no token ever reaches a probe', async () => {
    const home = await media.start({
      host: '127.0.0.2',
      behaviour: { kind: 'identity', machineIdentifier: ID }
    })
    const friend = await media.start({
      host: '127.0.0.3',
      behaviour: { kind: 'identity', machineIdentifier: 'friend-id' }
    })
    plex = await startFakePlex({
      routes: [
        fakePlexResources(() => [
          {
            name: 'Home',
            clientIdentifier: ID,
            accessToken: SERVER_TOKEN,
            owned: true,
            connections: [loopbackConnection(home.url)]
          },
          {
            name: 'Friend',
            clientIdentifier: 'friend-id',
            accessToken: 'friend-token',
            owned: false,
            sourceTitle: 'carol',
            connections: [loopbackConnection(friend.url, { local: false })]
          }
        ])
      ]
    })
    plex.addToken(ACCOUNT_TOKEN)
    const listed = await listServers({
      fetch,
      clientsUrl: plex.url,
      token: ACCOUNT_TOKEN,
      clientIdentifier: CLIENT_ID,
      device: TEST_DEVICE
    })
    expect(listed.ok).toBe(true)
    if (!listed.ok) return
    const progress: number[] = []
    const probed = await probeServers(listed.servers, {
      ...chooseOptions(),
      onProgress: (servers) => progress.push(servers.length)
    })
    const json = probed.map(serverJson)
    expect(json).toEqual([
      {
        name: 'Home',
        machineIdentifier: ID,
        owned: true,
        owner: null,
        accessToken: SERVER_TOKEN,
        connection: { uri: home.url, local: true, relay: false, latencyMs: expect.any(Number) },
        connections: [
          {
            uri: home.url,
            local: true,
            relay: false,
            reachable: true,
            latencyMs: expect.any(Number)
          }
        ]
      },
      {
        name: 'Friend',
        machineIdentifier: 'friend-id',
        owned: false,
        owner: 'carol',
        accessToken: 'friend-token',
        connection: { uri: friend.url, local: false, relay: false, latencyMs: expect.any(Number) },
        connections: [
          {
            uri: friend.url,
            local: false,
            relay: false,
            reachable: true,
            latencyMs: expect.any(Number)
          }
        ]
      }
    ])
    expect(progress.length).toBeGreaterThanOrEqual(2) // one update per answer at least
    const probes = [...home.requests, ...friend.requests]
    expect(probes.map((request) => request.path)).toEqual(['/identity', '/identity'])
    for (const probe of probes) {
      expect(probe.headers['x-plex-token']).toBeUndefined()
      expect(JSON.stringify(probe)).not.toContain(SERVER_TOKEN)
      expect(JSON.stringify(probe)).not.toContain(ACCOUNT_TOKEN)
      expect(probe.headers['x-plex-client-identifier']).toBe(CLIENT_ID)
      expect(probe.headers['x-plex-product']).toBe(TEST_DEVICE.product)
    }
  })

  it('a silent local address does not hold up a live remote one: its probe is aborted', async () => {
    const silent = await media.start({ host: '127.0.0.4', behaviour: { kind: 'silent' } })
    const live = await media.start({
      host: '127.0.0.5',
      behaviour: { kind: 'identity', machineIdentifier: ID }
    })
    const choice = await chooseConnection(
      resource([http(silent.url, { local: true }), http(live.url)]),
      chooseOptions({ probeTimeoutMs: 20_000 })
    )
    expect(choice.chosen?.uri).toBe(live.url)
    // Chosen while the silent probe was still out (a timeout would read 'failed'); then it was
    // cancelled, which the silent server sees as its client hanging up.
    expect(choice.tests.find((test) => test.uri === silent.url)?.state).toBe('stopped')
    await vi.waitFor(() => expect(silent.requests[0]?.closedEarly).toBe(true))
  })

  it('a wrong identity is never chosen, even when it answers first and is local', async () => {
    const impostor = await media.start({
      host: '127.0.0.6',
      behaviour: { kind: 'identity', machineIdentifier: 'someone-else' }
    })
    const real = await media.start({
      host: '127.0.0.7',
      behaviour: { kind: 'identity', machineIdentifier: ID, delayMs: 50 }
    })
    const choice = await chooseConnection(
      resource([http(impostor.url, { local: true }), http(real.url)]),
      chooseOptions()
    )
    expect(choice.chosen?.uri).toBe(real.url)
    expect(choice.tests[0]).toMatchObject({ state: 'failed', failure: { code: 'other-server' } })

    const alone = await chooseConnection(
      resource([http(impostor.url, { local: true })]),
      chooseOptions()
    )
    expect(alone.chosen).toBeNull()
  })

  it('a refused port fails at once and does not stop a working one', async () => {
    const port = await refusedPort('127.0.0.8')
    const live = await media.start({
      host: '127.0.0.9',
      behaviour: { kind: 'identity', machineIdentifier: ID }
    })
    const refused = `http://127.0.0.8:${port}`
    const choice = await chooseConnection(
      resource([http(refused, { local: true }), http(live.url)]),
      chooseOptions()
    )
    expect(choice.chosen?.uri).toBe(live.url)
    expect(choice.tests[0]).toMatchObject({ state: 'failed', failure: { code: 'no-connection' } })
  })

  it("a shared server's local address is not probed unless publicAddressMatches", async () => {
    const lan = await media.start({
      host: '127.0.0.10',
      behaviour: { kind: 'identity', machineIdentifier: ID }
    })
    const wan = await media.start({
      host: '127.0.0.11',
      behaviour: { kind: 'identity', machineIdentifier: ID }
    })
    const connections = [http(lan.url, { local: true }), http(wan.url)]
    const away = await chooseConnection(
      resource(connections, { owned: false, owner: 'dave', publicAddressMatches: false }),
      chooseOptions()
    )
    expect(away.chosen?.uri).toBe(wan.url)
    expect(away.tests.map((test) => test.uri)).toEqual([wan.url])
    expect(lan.requests).toEqual([])

    const sameNetwork = await chooseConnection(
      resource(connections, { owned: false, owner: 'dave', publicAddressMatches: true }),
      chooseOptions()
    )
    expect(sameNetwork.chosen?.uri).toBe(lan.url)
  })

  it('plex.direct blocked by DNS-rebinding protection: plain http on the raw address works', async () => {
    const pms = await media.start({
      host: '127.0.0.12',
      behaviour: { kind: 'identity', machineIdentifier: ID }
    })
    const direct = `https://127-0-0-12.0123456789abcdef.plex.direct:${pms.port}`
    // The router refuses to resolve *.plex.direct to a private address.
    const rebindingSafeFetch = (async (input: string | URL | Request, init?: RequestInit) => {
      if (new URL(String(input)).hostname.endsWith('.plex.direct')) {
        throw new TypeError('fetch failed', { cause: new Error('getaddrinfo ENOTFOUND') })
      }
      return fetch(input, init)
    }) as typeof fetch
    const connection = {
      uri: direct,
      protocol: 'https' as const,
      address: pms.host,
      port: pms.port,
      local: true,
      relay: false
    }
    const choice = await chooseConnection(
      resource([connection]),
      chooseOptions({ fetch: rebindingSafeFetch })
    )
    expect(choice.chosen).toMatchObject({ uri: pms.url, local: true, https: false })
    expect(choice.tests[0]).toMatchObject({ uri: direct, state: 'failed' })

    const strict = await chooseConnection(
      resource([connection], { httpsRequired: true }),
      chooseOptions({ fetch: rebindingSafeFetch })
    )
    expect(strict.chosen).toBeNull()
    expect(strict.tests.map((test) => test.uri)).toEqual([direct])
  })
})
