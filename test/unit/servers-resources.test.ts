import { afterEach, describe, expect, it } from 'vitest'
import { listServers, type ListServersOptions } from '../../src/main/servers/plex-resources'
import { fakePlexResources, type FakeResource } from '../fake-plex/fake-plex-resources'
import { startFakePlex, type FakePlex } from '../fake-plex/fake-plex-server'
import { TEST_DEVICE } from './fixtures'

const CLIENT_ID = 'client-id-servers'
const TOKEN = 'account-token-servers'

let plex: FakePlex | undefined
afterEach(async () => {
  await plex?.close()
  plex = undefined
})

async function fakePlexWith(resources: FakeResource[]): Promise<FakePlex> {
  plex = await startFakePlex({ routes: [fakePlexResources(() => resources)] })
  plex.addToken(TOKEN)
  return plex
}

function stubbed(body: unknown, status = 200): Partial<ListServersOptions> {
  return { fetch: (async () => Response.json(body, { status })) as typeof fetch }
}

const options = (clientsUrl: string, extra: Partial<ListServersOptions> = {}) => ({
  fetch,
  clientsUrl,
  token: TOKEN,
  clientIdentifier: CLIENT_ID,
  device: TEST_DEVICE,
  ...extra
})

describe('listServers', () => {
  it('asks clients.plex.tv for resources with the token and keeps only servers', async () => {
    const fake = await fakePlexWith([
      {
        name: 'Home',
        clientIdentifier: 'srv-home',
        accessToken: 'srv-token',
        owned: true,
        connections: [
          {
            protocol: 'http',
            address: '127.0.0.2',
            port: 32400,
            uri: 'http://127.0.0.2:32400',
            local: true,
            relay: false
          }
        ]
      },
      {
        name: 'Phone',
        clientIdentifier: 'player-1',
        accessToken: 'x',
        owned: true,
        provides: 'client,player,pubsub-player',
        connections: []
      },
      {
        name: "Bob's",
        clientIdentifier: 'srv-bob',
        accessToken: null,
        owned: false,
        sourceTitle: 'bob',
        publicAddressMatches: false,
        httpsRequired: true,
        connections: []
      }
    ])
    const result = await listServers(options(fake.url))
    expect(result).toEqual({
      ok: true,
      servers: [
        {
          name: 'Home',
          machineIdentifier: 'srv-home',
          owned: true,
          owner: null,
          accessToken: 'srv-token',
          httpsRequired: false,
          publicAddressMatches: true,
          connections: [
            {
              uri: 'http://127.0.0.2:32400',
              protocol: 'http',
              address: '127.0.0.2',
              port: 32400,
              local: true,
              relay: false
            }
          ]
        },
        {
          name: "Bob's",
          machineIdentifier: 'srv-bob',
          owned: false,
          owner: 'bob',
          accessToken: null, // listed, not selectable
          httpsRequired: true,
          publicAddressMatches: false,
          connections: []
        }
      ]
    })
    const [request] = fake.requests
    expect(request?.path).toBe('/api/v2/resources?includeHttps=1&includeRelay=1&includeIPv6=1')
    expect(request?.headers['x-plex-token']).toBe(TOKEN)
    expect(request?.headers['x-plex-client-identifier']).toBe(CLIENT_ID)
    expect(request?.headers['x-plex-product']).toBe(TEST_DEVICE.product)
  })

  it('an unknown token is rejected (401), not an outage', async () => {
    const fake = await fakePlexWith([])
    const result = await listServers(options(fake.url, { token: 'not-issued' }))
    expect(result).toMatchObject({ ok: false, kind: 'rejected', status: 401 })
  })

  it('429 is rate-limited with its Retry-After', async () => {
    const result = await listServers({
      ...options('https://clients.plex.tv'),
      fetch: (async () =>
        Response.json(
          { errors: [{ code: 1003, message: 'slow down' }] },
          {
            status: 429,
            headers: { 'retry-after': '7' }
          }
        )) as typeof fetch
    })
    expect(result).toEqual({
      ok: false,
      kind: 'rate-limited',
      message: 'slow down',
      retryAfterMs: 7000
    })
  })

  it('5xx and network failures are unavailable', async () => {
    expect(
      await listServers({ ...options('https://clients.plex.tv'), ...stubbed({}, 503) })
    ).toMatchObject({ ok: false, kind: 'unavailable' })
    const refused = await listServers({
      ...options('https://clients.plex.tv'),
      fetch: (async () => {
        throw new TypeError('fetch failed')
      }) as typeof fetch
    })
    expect(refused).toEqual({
      ok: false,
      kind: 'unavailable',
      message: 'Could not reach clients.plex.tv'
    })
  })

  it('an answer that is not a list is not understood', async () => {
    const result = await listServers({
      ...options('https://clients.plex.tv'),
      ...stubbed({ MediaContainer: {} })
    })
    expect(result).toMatchObject({ ok: false, kind: 'unavailable' })
  })

  it('tolerates missing and odd fields, and skips entries it cannot use', async () => {
    const result = await listServers({
      ...options('https://clients.plex.tv'),
      ...stubbed([
        { provides: 'server', clientIdentifier: 'bare' }, // nearly nothing: still listed
        { provides: ['server'], clientIdentifier: 'listed-as-array', owned: 1, name: 'Array' },
        { provides: 'server' }, // no machine identifier: nothing could prove an address
        null,
        'junk',
        {
          provides: 'server,player',
          clientIdentifier: 'odd-connections',
          connections: [
            { uri: 'not a url' },
            { uri: 'ftp://10.0.0.1/' },
            { uri: 'http://user:pw@10.0.0.1:32400' },
            { uri: 'https://10.0.0.1:32400/', address: 'not-an-ip', port: 'x', local: 'yes' },
            42
          ]
        }
      ])
    })
    expect(result.ok).toBe(true)
    if (!result.ok) return
    expect(result.servers).toEqual([
      {
        name: 'bare',
        machineIdentifier: 'bare',
        owned: false,
        owner: null,
        accessToken: null,
        httpsRequired: false,
        publicAddressMatches: false,
        connections: []
      },
      expect.objectContaining({ name: 'Array', machineIdentifier: 'listed-as-array', owned: true }),
      expect.objectContaining({
        machineIdentifier: 'odd-connections',
        connections: [
          {
            uri: 'https://10.0.0.1:32400',
            protocol: 'https',
            address: null,
            port: 32400,
            local: false,
            relay: false
          }
        ]
      })
    ])
  })

  it('a stored token no header can carry is refused before sending', async () => {
    let sent = false
    const result = await listServers({
      ...options('https://clients.plex.tv'),
      token: 'bad\r\nX-Evil: 1',
      fetch: (async () => {
        sent = true
        return Response.json([])
      }) as typeof fetch
    })
    expect(result).toMatchObject({ ok: false, kind: 'rejected', status: 0 })
    expect(sent).toBe(false)
  })
})
