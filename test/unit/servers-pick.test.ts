import { describe, expect, it } from 'vitest'
import type { ConnectionTest } from '../../src/main/servers/choose-connection'
import { findServer, pickServer } from '../../src/main/servers/pick-server'
import type { ServerResource } from '../../src/main/servers/plex-resources'
import { orderServers, type ProbedServer } from '../../src/main/servers/probe-servers'
import { serverJson } from '../../src/main/servers/server-json'

function test(uri: string, rank: number, latencyMs: number | null): ConnectionTest {
  return {
    uri,
    local: rank < 2,
    relay: rank >= 4,
    https: rank % 2 === 0,
    rank,
    state: latencyMs === null ? 'failed' : 'reachable',
    latencyMs,
    ...(latencyMs === null ? { failure: { code: 'no-connection' } } : {})
  }
}

function probed(
  name: string,
  chosen: ConnectionTest | null,
  extra: Partial<ServerResource> = {},
  tests: ConnectionTest[] = chosen ? [chosen] : []
): ProbedServer {
  return {
    resource: {
      name,
      machineIdentifier: `id-${name.toLowerCase()}`,
      owned: true,
      owner: null,
      accessToken: `token-${name}`,
      httpsRequired: false,
      publicAddressMatches: true,
      connections: [],
      ...extra
    },
    choice: { chosen, tests, searching: false }
  }
}

describe('orderServers', () => {
  it('best first: reachable, owned, rank, latency', () => {
    const servers = [
      probed('Down', null),
      probed('SharedLocal', test('http://a', 0, 5), { owned: false, owner: 'x' }),
      probed('OwnedRelay', test('http://b', 4, 5)),
      probed('OwnedLocalSlow', test('http://c', 0, 90)),
      probed('OwnedLocalFast', test('http://d', 0, 10)),
      probed('OwnedRemote', test('http://e', 2, 1)),
      probed('SharedDown', null, { owned: false, owner: 'x' })
    ]
    expect(orderServers(servers).map((s) => s.resource.name)).toEqual([
      'OwnedLocalFast',
      'OwnedLocalSlow',
      'OwnedRemote',
      'OwnedRelay',
      'SharedLocal',
      'Down',
      'SharedDown'
    ])
  })
})

describe('serverJson', () => {
  it('has exactly the Server shape; untested or failed connections are unreachable', () => {
    const chosen = test('https://10.0.0.2:32400', 0, 12)
    const failed = test('http://10.0.0.2:32400', 1, null)
    const stopped: ConnectionTest = {
      ...test('https://203.0.113.7:32400', 2, null),
      state: 'stopped'
    }
    const json = serverJson(probed('Home', chosen, {}, [chosen, failed, stopped]))
    expect(json).toStrictEqual({
      name: 'Home',
      machineIdentifier: 'id-home',
      owned: true,
      owner: null,
      accessToken: 'token-Home',
      connection: { uri: 'https://10.0.0.2:32400', local: true, relay: false, latencyMs: 12 },
      connections: [
        {
          uri: 'https://10.0.0.2:32400',
          local: true,
          relay: false,
          reachable: true,
          latencyMs: 12
        },
        {
          uri: 'http://10.0.0.2:32400',
          local: true,
          relay: false,
          reachable: false,
          latencyMs: null
        },
        {
          uri: 'https://203.0.113.7:32400',
          local: false,
          relay: false,
          reachable: false,
          latencyMs: null
        }
      ]
    })
  })

  it('no connection chosen → connection null', () => {
    expect(serverJson(probed('Down', null)).connection).toBeNull()
  })
})

describe('pickServer / findServer', () => {
  const ordered = orderServers([
    probed('NoToken', test('http://a', 0, 1), { accessToken: null }),
    probed('Shared', test('http://b', 0, 1), { owned: false, owner: 'x' }),
    probed('Mine', test('http://c', 2, 50)),
    probed('Offline', null)
  ])

  it('auto: the best reachable server with a token, owned first', () => {
    expect(pickServer(ordered, 'auto')).toMatchObject({
      ok: true,
      server: { resource: { name: 'Mine' } }
    })
  })

  it('auto: says why nothing can be used', () => {
    expect(pickServer([], 'auto')).toEqual({
      ok: false,
      message: 'This account has no media server'
    })
    expect(pickServer([probed('Offline', null)], 'auto')).toEqual({
      ok: false,
      message: 'No server answered from this computer'
    })
    expect(
      pickServer([probed('NoToken', test('http://a', 0, 1), { accessToken: null })], 'auto')
    ).toEqual({ ok: false, message: 'No reachable server gives this account an access token' })
  })

  it('by machineIdentifier or name; a server without token or answer is refused', () => {
    expect(pickServer(ordered, 'id-shared')).toMatchObject({
      ok: true,
      server: { resource: { name: 'Shared' } }
    })
    expect(pickServer(ordered, 'mine')).toMatchObject({ ok: true }) // name, any case
    expect(pickServer(ordered, 'NoToken')).toEqual({
      ok: false,
      message: 'plex.tv gives no access token for NoToken'
    })
    expect(pickServer(ordered, 'Offline')).toEqual({
      ok: false,
      message: 'Offline did not answer from this computer'
    })
    expect(pickServer(ordered, 'Nope')).toMatchObject({ ok: false })
  })

  it('a name two servers share must be given as a machineIdentifier', () => {
    const twins = [
      probed('Twin', null, { machineIdentifier: 'one' }),
      probed('Twin', null, { machineIdentifier: 'two' })
    ].map((s) => s.resource)
    expect(findServer(twins, 'Twin')).toEqual({
      ok: false,
      message: 'Several servers are called "Twin": give its machineIdentifier'
    })
    expect(findServer(twins, 'two')).toMatchObject({
      ok: true,
      server: { machineIdentifier: 'two' }
    })
  })
})
