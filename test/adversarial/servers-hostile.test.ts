// The server step against a hostile plex.tv and hostile media servers, all on loopback: no
// redirect is followed, no answer is read past its cap, and nothing they name reaches a terminal
// uncleaned.
import { gzipSync } from 'node:zlib'
import { afterEach, describe, expect, it } from 'vitest'
import { chooseConnection } from '../../src/main/servers/choose-connection'
import { listServers, type ServerResource } from '../../src/main/servers/plex-resources'
import { probeServers } from '../../src/main/servers/probe-servers'
import { serverJson } from '../../src/main/servers/server-json'
import { FakeMediaServers } from '../fake-media-server/fake-media-server'
import { TEST_DEVICE } from '../unit/fixtures'
import { startHostileServer, type HostileServer } from './hostile-server'

const TOKEN = 'account-token-hostile'
const CLIENT_ID = 'client-id-hostile'
const ID = 'c0ffeec0ffeec0ffeec0ffeec0ffeec0ffeec0ff'

const media = new FakeMediaServers()
const hostile: HostileServer[] = []
afterEach(async () => {
  await media.closeAll()
  await Promise.all(hostile.splice(0).map((server) => server.close()))
})

async function hostilePlex(
  answer: Parameters<typeof startHostileServer>[1]
): Promise<HostileServer> {
  const server = await startHostileServer('plex', answer)
  hostile.push(server)
  return server
}

const list = (clientsUrl: string) =>
  listServers({ fetch, clientsUrl, token: TOKEN, clientIdentifier: CLIENT_ID, device: TEST_DEVICE })

function loopbackServer(uri: string): ServerResource {
  const { hostname, port } = new URL(uri)
  return {
    name: 'Target',
    machineIdentifier: ID,
    owned: true,
    owner: null,
    accessToken: 'server-token-hostile',
    httpsRequired: false,
    publicAddressMatches: true,
    connections: [
      { uri, protocol: 'http', address: hostname, port: Number(port), local: true, relay: false }
    ]
  }
}

const probe = { fetch, clientIdentifier: CLIENT_ID, product: TEST_DEVICE.product }

describe('resources from a hostile plex.tv', () => {
  it('a redirect is not followed: the token never reaches its target', async () => {
    const elsewhere = await startHostileServer('elsewhere', (_req, res) => res.end('[]'))
    hostile.push(elsewhere)
    const plex = await hostilePlex((_req, res) =>
      res.writeHead(307, { location: `${elsewhere.origin}/steal?x=1` }).end()
    )
    const result = await list(plex.origin)
    expect(result).toEqual({
      ok: false,
      kind: 'unavailable',
      message: `plex.tv answered with a redirect to ${elsewhere.origin}`
    })
    expect(elsewhere.requests).toEqual([])
  })

  it('a compressed answer that inflates past 1 MiB is refused while reading', async () => {
    const bomb = gzipSync(Buffer.from(`[${' '.repeat(8 * 1024 * 1024)}]`))
    const plex = await hostilePlex((_req, res) =>
      res
        .writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip' })
        .end(bomb)
    )
    expect(await list(plex.origin)).toEqual({
      ok: false,
      kind: 'unavailable',
      message: `${new URL(plex.origin).host} sent an answer that is too large`
    })
  })

  it('names, owners and errors are cleaned; unusable tokens and identifiers are dropped', async () => {
    const live = await media.start({
      host: '127.0.0.20',
      behaviour: { kind: 'identity', machineIdentifier: ID }
    })
    const plex = await hostilePlex((_req, res) =>
      res.writeHead(200, { 'content-type': 'application/json' }).end(
        JSON.stringify([
          {
            provides: 'server',
            clientIdentifier: ID,
            name: '\u001b]52;c;Y3VybCBldmlsLmV4YW1wbGUgfCBzaA==\u0007Home\u202e\u001b[2J',
            owned: false,
            sourceTitle: 'bob\r\n\u001b[31mADMIN\u009b0m',
            accessToken: 'tok\r\nX-Injected: 1',
            publicAddressMatches: true,
            connections: [{ uri: live.url, address: '127.0.0.20', port: live.port, local: true }]
          },
          { provides: 'server', clientIdentifier: 'bad id\u0007', name: 'Ghost' },
          { provides: 'server', clientIdentifier: 'x'.repeat(5000), name: 'Huge' }
        ])
      )
    )
    const result = await list(plex.origin)
    expect(result.ok).toBe(true)
    if (!result.ok) return
    expect(result.servers.map((server) => server.machineIdentifier)).toEqual([ID])
    const [server] = await probeServers(result.servers, probe)
    const json = serverJson(server!)
    expect(json).toMatchObject({ name: 'Home', owner: 'bob ADMIN', accessToken: null })
    expect(json.connection?.uri).toBe(live.url)
    expect(JSON.stringify(json)).not.toMatch(/\\u00[01][0-9a-f]|\\[rn]|[\u007f-\u009f\u202e]/)
  })

  it("plex.tv's error text is cleaned too", async () => {
    const plex = await hostilePlex((_req, res) =>
      res
        .writeHead(401, { 'content-type': 'application/json' })
        .end(
          JSON.stringify({ errors: [{ code: 1001, message: '\u001b]52;c;ZXZpbA==\u0007Nope' }] })
        )
    )
    expect(await list(plex.origin)).toEqual({
      ok: false,
      kind: 'rejected',
      status: 401,
      message: 'Nope'
    })
  })
})

describe('hostile media servers', () => {
  it('an identity redirect is not followed, even to the right server', async () => {
    const real = await media.start({
      host: '127.0.0.21',
      behaviour: { kind: 'identity', machineIdentifier: ID }
    })
    const redirector = await media.start({
      host: '127.0.0.22',
      behaviour: { kind: 'redirect', location: `${real.url}/identity`, status: 301 }
    })
    const choice = await chooseConnection(loopbackServer(redirector.url), probe)
    expect(choice.chosen).toBeNull()
    expect(choice.tests[0]).toMatchObject({ state: 'failed', failure: { code: 'redirect' } })
    expect(real.requests).toEqual([])
  })

  it('an oversized identity is refused, though it names the right server', async () => {
    const big = await media.start({
      host: '127.0.0.23',
      behaviour: { kind: 'oversized', machineIdentifier: ID, bytes: 256 * 1024 }
    })
    const choice = await chooseConnection(loopbackServer(big.url), probe)
    expect(choice.chosen).toBeNull()
    expect(choice.tests[0]).toMatchObject({ state: 'failed', failure: { code: 'too-large' } })
  })

  it('an error status or a body that is not an identity is not the server', async () => {
    const refusing = await media.start({
      host: '127.0.0.24',
      behaviour: { kind: 'status', status: 401 }
    })
    const choice = await chooseConnection(loopbackServer(refusing.url), probe)
    expect(choice.chosen).toBeNull()
    expect(choice.tests[0]?.failure).toEqual({ code: 'http', status: 401 })
  })
})
