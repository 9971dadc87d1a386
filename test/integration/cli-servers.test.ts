// `plex-login servers` and `login --server`, the built command against the fake plex.tv listing
// fake media servers on loopback that record every request (issue 10 §2).
import type { TestContext } from 'vitest'
import { describe, expect, it } from 'vitest'
import { FakeMediaServers, refusedPort } from '../fake-media-server/fake-media-server'
import { createFakeHome, DEMO_HOME_USERS } from '../fake-plex/fake-plex-home'
import {
  fakePlexResources,
  loopbackConnection,
  type FakeResource
} from '../fake-plex/fake-plex-resources'
import {
  approveShownCode,
  jsonOut,
  runPlexLogin,
  setup,
  signIn,
  startPlexLogin
} from './run-plex-login'

const OWN = 'aaaa0000000000000000000000000000000000own'
const SHARED = 'bbbb000000000000000000000000000000shared'
const TOKENLESS = 'cccc00000000000000000000000000tokenless'
const SERVER_TOKENS = { own: 'own-server-token', shared: 'shared-server-token' }

/**
 * An owned server (a live remote address, a dead relay), a shared one, and an owned one without
 * a token whose local address ranks it first: `auto` has to pass it over.
 */
async function withServers(context: Pick<TestContext, 'onTestFinished'>) {
  const media = new FakeMediaServers() // per test: the tests run at once
  context.onTestFinished(() => media.closeAll())
  const own = await media.start({ behaviour: { kind: 'identity', machineIdentifier: OWN } })
  const shared = await media.start({ behaviour: { kind: 'identity', machineIdentifier: SHARED } })
  const tokenless = await media.start({
    behaviour: { kind: 'identity', machineIdentifier: TOKENLESS }
  })
  const deadRelay = `http://127.0.0.1:${await refusedPort()}`
  const resources: FakeResource[] = [
    {
      name: 'Tokenless',
      clientIdentifier: TOKENLESS,
      accessToken: null,
      owned: true,
      connections: [loopbackConnection(tokenless.url)]
    },
    {
      name: 'Shared',
      clientIdentifier: SHARED,
      accessToken: SERVER_TOKENS.shared,
      owned: false,
      sourceTitle: 'friend',
      connections: [loopbackConnection(shared.url, { local: false })]
    },
    {
      name: 'Own',
      clientIdentifier: OWN,
      accessToken: SERVER_TOKENS.own,
      owned: true,
      connections: [
        loopbackConnection(own.url, { local: false }),
        loopbackConnection(deadRelay, { local: false, relay: true })
      ]
    }
  ]
  const home = createFakeHome({
    users: DEMO_HOME_USERS,
    addToken: (token) => started.fake.addToken(token)
  })
  const started = await setup(context, {
    routes: [home.handler, fakePlexResources(() => resources)]
  })
  return { ...started, home, own, shared, tokenless, deadRelay }
}

const SERVER_KEYS = [
  'name',
  'machineIdentifier',
  'owned',
  'owner',
  'accessToken',
  'connection',
  'connections'
]

describe.concurrent('plex-login servers', () => {
  it('lists every server best first with every connection tested, exactly the documented keys', async (context) => {
    const { fake, storeDir, base, own, deadRelay, shared, tokenless } = await withServers(context)
    const { token } = await signIn(fake, storeDir)

    const result = await runPlexLogin(['servers', '--json', ...base])

    expect(result.code).toBe(0)
    const answer = jsonOut(result) as { ok: boolean; servers: Record<string, unknown>[] }
    expect(Object.keys(answer)).toEqual(['ok', 'servers'])
    for (const server of answer.servers) expect(Object.keys(server)).toEqual(SERVER_KEYS)
    // Reachable and owned first; among owned, a local address before a remote one.
    expect(answer.servers.map((server) => server.name)).toEqual(['Tokenless', 'Own', 'Shared'])
    const ownJson = answer.servers[1]!
    expect(ownJson).toEqual({
      name: 'Own',
      machineIdentifier: OWN,
      owned: true,
      owner: null,
      accessToken: SERVER_TOKENS.own,
      connection: { uri: own.url, local: false, relay: false, latencyMs: expect.any(Number) },
      connections: [
        {
          uri: own.url,
          local: false,
          relay: false,
          reachable: true,
          latencyMs: expect.any(Number)
        },
        { uri: deadRelay, local: false, relay: true, reachable: false, latencyMs: null }
      ]
    })
    expect(answer.servers[0]).toMatchObject({
      accessToken: null,
      connection: { uri: tokenless.url }
    })
    expect(answer.servers[2]).toMatchObject({
      owned: false,
      owner: 'friend',
      connection: { uri: shared.url }
    })
    expect(result.stderr).toContain('Shared shared by friend at')
    expect(result.stderr).not.toContain(token)
    expect(result.stderr).not.toContain(SERVER_TOKENS.own)
  })

  it('an account without servers: [] and exit 0; not signed in: exit 4', async (context) => {
    const { fake, storeDir, base } = await setup(context, { routes: [fakePlexResources(() => [])] })
    const before = await runPlexLogin(['servers', '--json', ...base])
    expect(before.code).toBe(4)
    expect(jsonOut(before)).toEqual({ ok: true, signedIn: false })

    await signIn(fake, storeDir)
    const result = await runPlexLogin(['servers', '--json', ...base])
    expect(result.code).toBe(0)
    expect(jsonOut(result)).toEqual({ ok: true, servers: [] })
  })

  it('no probe ever carries a token: not the account’s, not a server’s', async (context) => {
    const { fake, storeDir, base, own, shared, tokenless } = await withServers(context)
    const { token, clientIdentifier } = await signIn(fake, storeDir)

    await runPlexLogin(['servers', '--json', ...base])
    await runPlexLogin(['login', '--reuse', '--json', ...base, '--server', 'auto'])

    const probes = [own, shared, tokenless].flatMap((server) => server.requests)
    expect(probes.length).toBeGreaterThanOrEqual(6)
    for (const probe of probes) {
      expect(probe.path).toBe('/identity')
      expect(probe.headers['x-plex-token']).toBeUndefined()
      expect(probe.headers['x-plex-client-identifier']).toBe(clientIdentifier)
      const sent = JSON.stringify(probe)
      for (const secret of [token, SERVER_TOKENS.own, SERVER_TOKENS.shared]) {
        expect(sent).not.toContain(secret)
      }
    }
  })
})

describe.concurrent('plex-login login --server', () => {
  it('auto: the owned reachable server with a token, never the tokenless one', async (context) => {
    const { fake, base, own } = await withServers(context)
    const run = startPlexLogin(['login', '--json', ...base, '--server', 'auto'])
    await approveShownCode(run, fake)
    const result = await run.done

    expect(result.code).toBe(0)
    const answer = jsonOut(result)
    expect(Object.keys(answer)).toEqual([
      'ok',
      'authToken',
      'clientIdentifier',
      'user',
      'server',
      'tokenType'
    ])
    expect(answer.server).toMatchObject({
      name: 'Own',
      machineIdentifier: OWN,
      accessToken: SERVER_TOKENS.own,
      connection: { uri: own.url, local: false, relay: false }
    })
    expect(result.stderr).toContain(`Server: Own at ${own.url} (remote,`)
  })

  it('by name or machineIdentifier; unknown → `server`; tokenless → `server`', async (context) => {
    const { fake, storeDir, base } = await withServers(context)
    await signIn(fake, storeDir)
    const login = (server: string) =>
      runPlexLogin(['login', '--reuse', '--json', ...base, '--server', server])

    const byName = await login('shared')
    expect(byName.code).toBe(0)
    expect(jsonOut(byName).server).toMatchObject({ machineIdentifier: SHARED, owner: 'friend' })

    const unknown = await login('Nowhere')
    expect(unknown.code).toBe(1)
    expect(jsonOut(unknown)).toMatchObject({ ok: false, error: { code: 'server' } })

    const tokenless = await login(TOKENLESS)
    expect(tokenless.code).toBe(1)
    expect(jsonOut(tokenless)).toEqual({
      ok: false,
      error: { code: 'server', message: 'plex.tv gives no access token for Tokenless' }
    })
  })

  it('--server ask without a terminal: exit 2 before any code is asked for', async (context) => {
    const { fake, base } = await withServers(context)
    const result = await runPlexLogin(['login', '--json', ...base, '--server', 'ask'])

    expect(result.code).toBe(2)
    expect(jsonOut(result)).toEqual({
      ok: false,
      error: {
        code: 'usage',
        message: '--server ask needs a terminal to ask on (stdin and stderr); name one instead'
      }
    })
    expect(fake.pins).toEqual([])
  })

  it('--reuse with both steps: the profile’s token lists the servers', async (context) => {
    const { fake, storeDir, base, home } = await withServers(context)
    const { token } = await signIn(fake, storeDir)

    const result = await runPlexLogin([
      ...['login', '--reuse', '--json', ...base],
      ...['--profile', 'Kids', '--server', 'auto']
    ])

    expect(result.code).toBe(0)
    expect(fake.pins).toHaveLength(1) // the sign-in before; --reuse asked for no code
    const kidsToken = home.switches[0]!.token!
    const answer = jsonOut(result)
    expect(answer).toMatchObject({
      authToken: kidsToken,
      profile: { title: 'Kids', restricted: true },
      server: { machineIdentifier: OWN }
    })
    expect(kidsToken).not.toBe(token)
    const listing = fake.requests.filter((request) => request.path.startsWith('/api/v2/resources'))
    expect(listing.map((request) => request.headers['x-plex-token'])).toEqual([kidsToken])
  })
})
