// `--server auto` across servers: the best server that answered is handed over as soon as no
// server still being tested could beat it, so a dead address of another server never holds it
// back for the probe timeout (issue 10 §1). Behaviour is asserted (which probes were stopped),
// never durations.
import { afterEach, describe, expect, it } from 'vitest'
import { chooseServer } from '../../src/main/login/after-sign-in'
import { createPlexClient } from '../../src/main/plex/plex-client'
import type { ConnectionTest } from '../../src/main/servers/choose-connection'
import type { ServerResource } from '../../src/main/servers/plex-resources'
import { autoPickSettled } from '../../src/main/servers/pick-server'
import type { ProbedServer } from '../../src/main/servers/probe-servers'
import { FakeMediaServers } from '../fake-media-server/fake-media-server'
import { fakePlexResources, loopbackConnection } from '../fake-plex/fake-plex-resources'
import { startFakePlex, type FakePlex } from '../fake-plex/fake-plex-server'
import { TEST_DEVICE } from './fixtures'

const TOKEN = 'account-token-auto-race'
const CLIENT_ID = 'client-id-auto-race'

function test(rank: number, state: ConnectionTest['state']): ConnectionTest {
  return {
    uri: `http://127.0.0.1:${32400 + rank}`,
    https: rank % 2 === 0,
    local: rank < 2,
    relay: rank >= 4,
    rank,
    state,
    latencyMs: state === 'reachable' ? 10 : null
  }
}

function server(
  id: string,
  { owned = true, token = 'server-token' as string | null } = {},
  tests: ConnectionTest[]
): ProbedServer {
  const resource: ServerResource = {
    name: id,
    machineIdentifier: id,
    owned,
    owner: owned ? null : 'friend',
    accessToken: token,
    httpsRequired: false,
    publicAddressMatches: true,
    connections: []
  }
  const chosen = tests.find((t) => t.state === 'reachable') ?? null
  const searching = tests.some((t) => t.state === 'probing')
  return { resource, choice: { chosen: searching ? null : chosen, tests, searching } }
}

describe('autoPickSettled', () => {
  const decided = server('own-a', {}, [test(1, 'reachable')])

  it('waits while nothing usable answered', () => {
    expect(autoPickSettled([server('own-b', {}, [test(1, 'probing')])])).toBe(false)
    const noToken = server('own-c', { token: null }, [test(0, 'reachable')])
    expect(autoPickSettled([noToken, server('own-d', {}, [test(1, 'probing')])])).toBe(false)
  })

  it('is settled when the others can only answer with a rank as good or worse', () => {
    expect(autoPickSettled([decided])).toBe(true)
    expect(autoPickSettled([decided, server('own-b', {}, [test(1, 'probing')])])).toBe(true)
    expect(autoPickSettled([decided, server('own-b', {}, [test(3, 'probing')])])).toBe(true)
  })

  it('waits for a server still testing a better-ranked address', () => {
    expect(autoPickSettled([decided, server('own-b', {}, [test(0, 'probing')])])).toBe(false)
  })

  it('waits for an own server while the best so far is shared, not the other way round', () => {
    const shared = server('shared-a', { owned: false }, [test(0, 'reachable')])
    expect(autoPickSettled([shared, server('own-b', {}, [test(5, 'probing')])])).toBe(false)
    const sharedPending = server('shared-b', { owned: false }, [test(0, 'probing')])
    expect(autoPickSettled([decided, sharedPending])).toBe(true)
  })

  it('does not wait for a server that could never be picked (no token)', () => {
    const noToken = server('own-b', { token: null }, [test(0, 'probing')])
    expect(autoPickSettled([decided, noToken])).toBe(true)
  })
})

describe('chooseServer auto', () => {
  const media = new FakeMediaServers()
  let plex: FakePlex | undefined
  afterEach(async () => {
    await plex?.close()
    await media.closeAll()
  })

  it('hands over the server that answered without waiting for a silent server', async () => {
    const good = await media.start({
      behaviour: { kind: 'identity', machineIdentifier: 'good-own-server' }
    })
    const silent = await media.start({ host: '127.0.0.2', behaviour: { kind: 'silent' } })
    const resources = [
      {
        name: 'Good',
        clientIdentifier: 'good-own-server',
        accessToken: 'good-server-token',
        owned: true,
        connections: [loopbackConnection(good.url)]
      },
      {
        name: 'Silent',
        clientIdentifier: 'silent-shared-server',
        accessToken: 'silent-server-token',
        owned: false,
        sourceTitle: 'friend',
        connections: [loopbackConnection(silent.url, { local: false })]
      }
    ]
    plex = await startFakePlex({ routes: [fakePlexResources(() => resources)] })
    plex.addToken(TOKEN)
    const client = createPlexClient({
      baseUrl: plex.url,
      clientIdentifier: CLIENT_ID,
      device: TEST_DEVICE
    })
    const questions = {
      chooseProfile: () => Promise.reject(new Error('not asked')),
      profilePin: () => Promise.reject(new Error('not asked')),
      chooseServer: () => Promise.reject(new Error('not asked'))
    }
    let final: readonly ProbedServer[] = []
    const result = await chooseServer(TOKEN, 'auto', {
      onServers: (servers, searching) => {
        if (!searching) final = servers
      },
      fetch,
      clientsUrl: plex.url,
      clientIdentifier: CLIENT_ID,
      device: TEST_DEVICE,
      getAccount: client.getAccount,
      questions
    })
    expect(result.ok && result.server.resource.machineIdentifier).toBe('good-own-server')
    // The silent server's probe was stopped once the pick was settled, not left to time out.
    const silentTests = final.find((s) => s.resource.name === 'Silent')!.choice.tests
    expect(silentTests.map((t) => [t.state, t.failure])).toEqual([
      ['stopped', { code: 'cancelled' }]
    ])
    await expect.poll(() => silent.requests[0]?.closedEarly).toBe(true)
  })
})
