// The profile and server steps as the window runs them (issue 10 §3), against the fake plex.tv
// with a Home and fake media servers on loopback: what the window is shown (names and flags,
// never a token or an address) and how its answers, chooseProfile and chooseServer, are taken.
import { afterEach, describe, expect, it, vi } from 'vitest'
import {
  WindowSteps,
  type WindowStepsOptions,
  type WindowStepsOutcome
} from '../../src/main/login/window-steps'
import { createPlexClient } from '../../src/main/plex/plex-client'
import { translatorFor } from '../../src/shared/i18n/translator'
import type { LoginState } from '../../src/shared/login-state'
import {
  FakeMediaServers,
  refusedPort,
  type FakeMediaServer
} from '../fake-media-server/fake-media-server'
import { createFakeHome, DEMO_HOME_USERS, type FakeHome } from '../fake-plex/fake-plex-home'
import {
  fakePlexResources,
  loopbackConnection,
  type FakeResource
} from '../fake-plex/fake-plex-resources'
import { startFakePlex, type FakePlex } from '../fake-plex/fake-plex-server'
import { TEST_ACCOUNT, TEST_DEVICE } from './fixtures'

const ACCOUNT_TOKEN = 'account-token-window'
const CLIENT_ID = 'client-id-window'
const ADMIN = DEMO_HOME_USERS[0]!
const KIDS = DEMO_HOME_USERS[1]! // open, managed
const ALEX = DEMO_HOME_USERS[2]! // protected, PIN 1234
const OWN = 'aaaa00000000000000000000000000000window-own'
const SHARED = 'bbbb0000000000000000000000000window-shared'
const SERVER_TOKENS = { own: 'own-server-token-w', shared: 'shared-server-token-w' }
const PROFILE_KEYS = ['uuid', 'title', 'protected', 'admin', 'restricted']
const SERVER_OPTION_KEYS = [
  'machineIdentifier',
  'name',
  'owned',
  'owner',
  'reachable',
  'connection'
]
const WAIT = { timeout: 10_000, interval: 10 }

const media = new FakeMediaServers()
const cleanups: Array<() => unknown> = []
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
  await media.closeAll()
})

async function start(
  options: { users?: typeof DEMO_HOME_USERS; resources?: FakeResource[] } = {}
): Promise<{ plex: FakePlex; home: FakeHome }> {
  const home = createFakeHome({
    users: options.users ?? DEMO_HOME_USERS,
    addToken: (token) => plex.addToken(token)
  })
  const plex = await startFakePlex({
    routes: [home.handler, fakePlexResources(() => options.resources ?? [])]
  })
  cleanups.push(() => plex.close())
  plex.addToken(ACCOUNT_TOKEN)
  return { plex, home }
}

interface Run {
  steps: WindowSteps
  states: LoginState[]
  outcome: Promise<WindowStepsOutcome>
  stop: AbortController
}

function runSteps(
  plex: FakePlex,
  options: Omit<WindowStepsOptions, 'steps'> & { fetch?: typeof fetch } = {}
): Run {
  const { fetch: doFetch = fetch, ...rest } = options
  const client = createPlexClient({
    baseUrl: plex.url,
    clientIdentifier: CLIENT_ID,
    device: TEST_DEVICE
  })
  const steps = new WindowSteps({
    ...rest,
    steps: {
      fetch: doFetch,
      clientsUrl: plex.url,
      device: TEST_DEVICE,
      getAccount: client.getAccount
    }
  })
  const states: LoginState[] = []
  const stop = new AbortController()
  // A test that fails half-way still ends the steps, so no probe outlives it.
  cleanups.push(() => stop.abort())
  const outcome = steps.run(
    { token: ACCOUNT_TOKEN, account: TEST_ACCOUNT, clientIdentifier: CLIENT_ID },
    (state) => states.push(state),
    stop.signal
  )
  return { steps, states, outcome, stop }
}

type Phase<P extends LoginState['phase']> = Extract<LoginState, { phase: P }>

/** The first state published from index `from` on that is of `phase` and passes `test`. */
async function stateAfter<P extends LoginState['phase']>(
  run: Run,
  phase: P,
  from = 0,
  test: (state: Phase<P>) => boolean = () => true
): Promise<{ state: Phase<P>; index: number }> {
  return vi.waitFor(() => {
    const index = run.states.findIndex(
      (state, at) => at >= from && state.phase === phase && test(state as Phase<P>)
    )
    if (index < 0) throw new Error(`no ${phase} state yet`)
    return { state: run.states[index] as Phase<P>, index }
  }, WAIT)
}

function option(user: (typeof DEMO_HOME_USERS)[number]) {
  return {
    uuid: user.uuid,
    title: user.title,
    protected: user.pin !== undefined,
    admin: user.admin ?? false,
    restricted: user.restricted ?? false
  }
}

describe('WindowSteps --profile', () => {
  it('shows the Home’s profiles as names and flags only; a pick switches to that profile', async () => {
    const { plex, home } = await start()
    const run = runSteps(plex, { profile: 'ask' })

    const { state } = await stateAfter(run, 'choose-profile')
    expect(state).toEqual({
      phase: 'choose-profile',
      profiles: [option(ADMIN), option(KIDS), option(ALEX)]
    })
    for (const profile of state.profiles) expect(Object.keys(profile)).toEqual(PROFILE_KEYS)
    // The fake gives every user a thumb on plex.tv: only a data: URL may ever reach the window.
    expect(JSON.stringify(run.states)).not.toMatch(/https?:|thumb|account-token/)

    run.steps.chooseProfile(KIDS.uuid)
    const outcome = await run.outcome

    expect(home.switches).toHaveLength(1)
    expect(outcome).toEqual({
      ok: true,
      token: home.switches[0]!.token,
      account: expect.objectContaining({ uuid: KIDS.uuid, title: 'Kids' }),
      json: { profile: { uuid: KIDS.uuid, title: 'Kids', restricted: true } },
      shown: { profile: { title: 'Kids' } }
    })
  })

  it('a protected profile picked with its PIN switches with one request', async () => {
    const { plex, home } = await start()
    const run = runSteps(plex, { profile: 'ask' })
    await stateAfter(run, 'choose-profile')

    run.steps.chooseProfile(ALEX.uuid, '1234')
    const outcome = await run.outcome

    expect(home.switches.map((s) => [s.uuid, s.pin, s.status])).toEqual([[ALEX.uuid, '1234', 201]])
    expect(outcome).toMatchObject({
      ok: true,
      token: home.switches[0]!.token,
      json: { profile: { uuid: ALEX.uuid, title: 'Alex', restricted: false } },
      shown: { profile: { title: 'Alex' } }
    })
    // The PIN went straight to plex.tv: the window was not asked for it a second time.
    expect(run.states.filter((state) => state.phase === 'choose-profile')).toHaveLength(1)
  })

  it('a wrong PIN shows the profiles again with the error and the tries left; the right one switches', async () => {
    const { plex, home } = await start()
    const run = runSteps(plex, { profile: 'ask' })
    const first = await stateAfter(run, 'choose-profile')

    run.steps.chooseProfile(ALEX.uuid, '0000')
    const { state } = await stateAfter(run, 'choose-profile', first.index + 1)
    expect(state).toEqual({
      phase: 'choose-profile',
      profiles: [option(ADMIN), option(KIDS), option(ALEX)],
      error: 'Wrong PIN for Alex (4 tries left)'
    })

    run.steps.chooseProfile(ALEX.uuid, '1234')
    const outcome = await run.outcome

    expect(home.switches.map((s) => [s.pin, s.status])).toEqual([
      ['0000', 403],
      ['1234', 201]
    ])
    expect(outcome).toMatchObject({ ok: true, token: home.switches[1]!.token })
    expect(JSON.stringify(run.states)).not.toMatch(/0000|1234/)
  })

  it('words the PIN errors in the window’s language, from the profile and the tries left', async () => {
    const { plex } = await start()
    const run = runSteps(plex, { profile: 'ask', translator: translatorFor('de') })
    const first = await stateAfter(run, 'choose-profile')

    run.steps.chooseProfile(ALEX.uuid, '0000')
    const wrong = await stateAfter(run, 'choose-profile', first.index + 1)
    expect(wrong.state.error).toBe('Falsche PIN für Alex (noch 4 Versuche)')

    // Picked without a PIN from the pad: asked again, not counted as a try.
    run.steps.chooseProfile(ALEX.uuid)
    const again = await stateAfter(run, 'choose-profile', wrong.index + 1)
    expect(again.state.error).toBe('Alex ist durch eine PIN geschützt.')
    run.stop.abort()
    await run.outcome
  })

  it('after a wrong PIN the person may pick an open profile instead', async () => {
    const { plex, home } = await start()
    const run = runSteps(plex, { profile: 'ask' })
    const first = await stateAfter(run, 'choose-profile')
    run.steps.chooseProfile(ALEX.uuid, '9999')
    await stateAfter(run, 'choose-profile', first.index + 1, (state) => state.error !== undefined)

    run.steps.chooseProfile(KIDS.uuid)
    const outcome = await run.outcome

    expect(home.switches.map((s) => [s.uuid, s.pin, s.status])).toEqual([
      [ALEX.uuid, '9999', 403],
      [KIDS.uuid, undefined, 201]
    ])
    expect(outcome).toMatchObject({
      ok: true,
      token: home.switches[1]!.token,
      shown: { profile: { title: 'Kids' } }
    })
  })

  it('five wrong PINs end the step with `profile`', async () => {
    const { plex, home } = await start()
    const run = runSteps(plex, { profile: 'ask' })
    let { index } = await stateAfter(run, 'choose-profile')
    const errors: string[] = []

    for (const pin of ['0000', '1111', '2222', '3333']) {
      run.steps.chooseProfile(ALEX.uuid, pin)
      const next = await stateAfter(run, 'choose-profile', index + 1)
      index = next.index
      errors.push(next.state.error ?? '')
    }
    run.steps.chooseProfile(ALEX.uuid, '4444')
    const outcome = await run.outcome

    expect(errors).toEqual([4, 3, 2, 1].map((n) => expect.stringContaining(`(${n} tr`)))
    expect(outcome).toEqual({
      ok: false,
      code: 'profile',
      message: 'Wrong profile PIN 5 times; try again later'
    })
    expect(home.switches).toHaveLength(5)
    expect(home.switches.every((s) => s.status === 403)).toBe(true)
  })

  it('refuses a profile not on offer; a press when no profile is asked for is ignored', async () => {
    const { plex, home } = await start()
    const steps = runSteps(plex, { server: 'auto' }).steps
    // Asked nothing yet, or only a server: nothing happens, nothing throws.
    expect(() => steps.chooseProfile(KIDS.uuid)).not.toThrow()

    const run = runSteps(plex, { profile: 'ask' })
    await stateAfter(run, 'choose-profile')
    expect(() => run.steps.chooseProfile('not-a-profile-uuid')).toThrow(/Refused/)
    expect(home.switches).toEqual([])

    run.steps.chooseProfile(KIDS.uuid)
    await run.outcome
    const published = run.states.length
    expect(() => run.steps.chooseProfile(ALEX.uuid, '1234')).not.toThrow()
    await new Promise((resolve) => setImmediate(resolve))
    expect(home.switches).toHaveLength(1)
    expect(run.states).toHaveLength(published)
  })

  it('--profile Alex (named, protected): only Alex is shown, asking its PIN, without an error', async () => {
    const { plex, home } = await start()
    const run = runSteps(plex, { profile: 'Alex' })

    const { state } = await stateAfter(run, 'choose-profile')
    expect(state).toEqual({ phase: 'choose-profile', profiles: [option(ALEX)] })
    expect(home.switches).toEqual([]) // no switch is tried without the PIN
    expect(() => run.steps.chooseProfile(KIDS.uuid)).toThrow(/Refused/)

    run.steps.chooseProfile(ALEX.uuid, '1234')
    expect(await run.outcome).toMatchObject({ ok: true, shown: { profile: { title: 'Alex' } } })
    expect(home.switches.map((s) => s.pin)).toEqual(['1234'])
  })

  it('a second run (Try again) starts over: no error carried over from the first', async () => {
    const { plex } = await start()
    const first = runSteps(plex, { profile: 'Alex' })
    await stateAfter(first, 'choose-profile')
    first.stop.abort()
    await first.outcome

    const states: LoginState[] = []
    const outcome = first.steps.run(
      { token: ACCOUNT_TOKEN, account: TEST_ACCOUNT, clientIdentifier: CLIENT_ID },
      (state) => states.push(state),
      new AbortController().signal
    )
    await vi.waitFor(() => expect(states).toHaveLength(1), WAIT)
    expect(states[0]).toEqual({ phase: 'choose-profile', profiles: [option(ALEX)] })

    first.steps.chooseProfile(ALEX.uuid, '1234')
    expect(await outcome).toMatchObject({ ok: true, shown: { profile: { title: 'Alex' } } })
  })

  it('a profile’s picture is shown as a data: URL once fetched; a picture refused stays out', async () => {
    const kidsThumb = 'https://plex.tv/users/kids/avatar?c=1'
    const users = DEMO_HOME_USERS.map((user) =>
      user.uuid === KIDS.uuid ? { ...user, thumb: kidsThumb } : user
    )
    const { plex } = await start({ users })
    const asked: string[] = []
    const picture = 'data:image/png;base64,iVBORw0KGgo='
    const fetchAvatar = async (url: string): Promise<string | undefined> => {
      asked.push(url)
      return url === kidsThumb ? picture : undefined // the others: not an image, too large…
    }
    const run = runSteps(plex, { profile: 'ask', fetchAvatar })

    const { state } = await stateAfter(run, 'choose-profile', 0, (s) =>
      s.profiles.some((profile) => profile.avatar)
    )
    expect(state.profiles).toEqual([
      option(ADMIN),
      { ...option(KIDS), avatar: picture },
      option(ALEX)
    ])
    expect(asked).toHaveLength(3)
    expect(asked).toContain(kidsThumb)
    // First the names, then the picture in a new state: the one published is left as it was.
    expect(run.states[0]).toEqual({
      phase: 'choose-profile',
      profiles: [option(ADMIN), option(KIDS), option(ALEX)]
    })
    expect(JSON.stringify(run.states)).not.toMatch(/https?:/)
  })

  it('after a wrong PIN the pictures stay: shown with the error at once, not fetched again', async () => {
    const { plex } = await start()
    const asked: string[] = []
    const picture = 'data:image/png;base64,iVBORw0KGgo='
    const fetchAvatar = async (url: string): Promise<string | undefined> => {
      asked.push(url)
      return url.includes(KIDS.uuid) ? picture : undefined
    }
    const run = runSteps(plex, { profile: 'ask', fetchAvatar })
    const shown = await stateAfter(run, 'choose-profile', 0, (s) =>
      s.profiles.some((profile) => profile.avatar)
    )

    run.steps.chooseProfile(ALEX.uuid, '0000')
    const { state } = await stateAfter(run, 'choose-profile', shown.index + 1, (s) => !!s.error)

    expect(state.error).toMatch(/Wrong PIN/)
    expect(state.profiles.map((profile) => profile.avatar)).toEqual([undefined, picture, undefined])
    expect(asked.filter((url) => url.includes(KIDS.uuid))).toHaveLength(1)
  })

  it('a picture that arrives after the step is over is not shown', async () => {
    const { plex } = await start()
    let deliver: (avatar: string) => void = () => {}
    const fetchAvatar = (): Promise<string | undefined> =>
      new Promise((resolve) => (deliver = resolve))
    const run = runSteps(plex, { profile: 'ask', fetchAvatar })
    await stateAfter(run, 'choose-profile')

    run.steps.chooseProfile(KIDS.uuid)
    await run.outcome
    const published = run.states.length
    deliver('data:image/png;base64,AAAA')
    await new Promise((resolve) => setImmediate(resolve))
    expect(run.states).toHaveLength(published)
  })

  it('the signal ended while a profile is asked for: `interrupted`, no switch', async () => {
    const { plex, home } = await start()
    const run = runSteps(plex, { profile: 'ask' })
    await stateAfter(run, 'choose-profile')

    run.stop.abort()

    expect(await run.outcome).toMatchObject({ ok: false, code: 'interrupted' })
    expect(home.switches).toEqual([])
  })
})

/** An owned server with a local address and a friend's server with a remote one. */
async function twoServers() {
  const own = await media.start({ behaviour: { kind: 'identity', machineIdentifier: OWN } })
  const shared = await media.start({
    host: '127.0.0.2',
    behaviour: { kind: 'identity', machineIdentifier: SHARED }
  })
  const resources: FakeResource[] = [
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
      connections: [loopbackConnection(own.url)]
    }
  ]
  return { own, shared, resources }
}

/** A fetch that goes to the network and keeps each request's signal, by URL. */
function recordingFetch(): { fetch: typeof fetch; signals: Map<string, AbortSignal> } {
  const signals = new Map<string, AbortSignal>()
  const recording = (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    if (init?.signal) signals.set(String(input), init.signal)
    return fetch(input, init)
  }
  return { fetch: recording as typeof fetch, signals }
}

/** Own answering on a remote address, and Quiet's local address never answering. */
async function ownAndQuiet(): Promise<{ silent: FakeMediaServer; resources: FakeResource[] }> {
  const good = await media.start({ behaviour: { kind: 'identity', machineIdentifier: OWN } })
  const silent = await media.start({ host: '127.0.0.3', behaviour: { kind: 'silent' } })
  const resources: FakeResource[] = [
    {
      name: 'Own',
      clientIdentifier: OWN,
      accessToken: SERVER_TOKENS.own,
      owned: true,
      connections: [loopbackConnection(good.url, { local: false })]
    },
    {
      // A local address still being tested could beat Own's remote one: `auto` waits for it.
      name: 'Quiet',
      clientIdentifier: SHARED,
      accessToken: SERVER_TOKENS.shared,
      owned: true,
      connections: [loopbackConnection(silent.url)]
    }
  ]
  return { silent, resources }
}

describe('WindowSteps --server', () => {
  it('ask: shown searching, then the tested list with names and flags only; the pick is handed over', async () => {
    const { own, shared, resources } = await twoServers()
    const { plex } = await start({ resources })
    const run = runSteps(plex, { server: 'ask' })

    const done = await stateAfter(run, 'choose-server', 0, (state) => !state.searching)
    expect(run.states[0]).toEqual({ phase: 'choose-server', servers: [], searching: true })
    const latency = { latencyMs: expect.any(Number) }
    expect(done.state.servers).toEqual([
      {
        machineIdentifier: OWN,
        name: 'Own',
        owned: true,
        reachable: true,
        connection: { local: true, relay: false, ...latency }
      },
      {
        machineIdentifier: SHARED,
        name: 'Shared',
        owned: false,
        owner: 'friend',
        reachable: true,
        connection: { local: false, relay: false, ...latency }
      }
    ])
    for (const state of run.states) {
      if (state.phase !== 'choose-server') continue
      for (const server of state.servers) {
        expect(SERVER_OPTION_KEYS).toEqual(expect.arrayContaining(Object.keys(server)))
      }
    }
    const everything = JSON.stringify(run.states)
    for (const secret of [ACCOUNT_TOKEN, SERVER_TOKENS.own, SERVER_TOKENS.shared]) {
      expect(everything).not.toContain(secret)
    }
    for (const server of [own, shared]) {
      expect(everything).not.toContain(server.host)
      expect(everything).not.toContain(String(server.port))
    }

    run.steps.chooseServer(SHARED)
    const outcome = await run.outcome

    expect(outcome).toEqual({
      ok: true,
      token: ACCOUNT_TOKEN,
      account: TEST_ACCOUNT,
      json: {
        server: {
          name: 'Shared',
          machineIdentifier: SHARED,
          owned: false,
          owner: 'friend',
          accessToken: SERVER_TOKENS.shared,
          connection: { uri: shared.url, local: false, relay: false, ...latency },
          connections: [
            { uri: shared.url, local: false, relay: false, reachable: true, ...latency }
          ]
        }
      },
      shown: { server: { name: 'Shared' } }
    })
    // Probes prove an address before any token could go there; none carries one.
    const probes = [own, shared].flatMap((server) => server.requests)
    expect(probes.length).toBeGreaterThanOrEqual(2)
    for (const probe of probes) expect(probe.headers['x-plex-token']).toBeUndefined()
  })

  it('a pick while a silent address is still tested ends the step without waiting for it', async () => {
    const { silent, resources } = await ownAndQuiet()
    const { plex } = await start({ resources })
    const recording = recordingFetch()
    const run = runSteps(plex, { server: 'ask', fetch: recording.fetch })

    await stateAfter(run, 'choose-server', 0, (state) =>
      state.servers.some((server) => server.machineIdentifier === OWN && server.reachable)
    )
    await vi.waitFor(() => expect(silent.requests).toHaveLength(1), WAIT)
    const silentProbe = recording.signals.get(`${silent.url}/identity`)
    expect(silentProbe?.aborted).toBe(false) // still being tested when the person picks

    run.steps.chooseServer(OWN)

    // The pick itself stops the silent probe, not its timeout.
    expect(silentProbe?.aborted).toBe(true)
    const outcome = await run.outcome
    expect(outcome).toMatchObject({
      ok: true,
      json: { server: { machineIdentifier: OWN, accessToken: SERVER_TOKENS.own } },
      shown: { server: { name: 'Own' } }
    })
    expect(run.states.at(-1)).toMatchObject({ phase: 'choose-server', searching: false })
    await vi.waitFor(() => expect(silent.requests[0]!.closedEarly).toBe(true), WAIT)
  })

  it('refuses a server without a token, one that did not answer, and one not listed', async () => {
    const tokenless = await media.start({ behaviour: { kind: 'identity', machineIdentifier: OWN } })
    const usable = await media.start({
      host: '127.0.0.2',
      behaviour: { kind: 'identity', machineIdentifier: SHARED }
    })
    const dead = `http://127.0.0.1:${await refusedPort()}`
    const DEAD = 'dddd000000000000000000000000000window-dead'
    const resources: FakeResource[] = [
      {
        name: 'Tokenless',
        clientIdentifier: OWN,
        accessToken: null,
        owned: true,
        connections: [loopbackConnection(tokenless.url)]
      },
      {
        name: 'Dead',
        clientIdentifier: DEAD,
        accessToken: 'dead-server-token',
        owned: true,
        connections: [loopbackConnection(dead)]
      },
      {
        name: 'Usable',
        clientIdentifier: SHARED,
        accessToken: SERVER_TOKENS.shared,
        owned: false,
        connections: [loopbackConnection(usable.url, { local: false })]
      }
    ]
    const { plex } = await start({ resources })
    const run = runSteps(plex, { server: 'ask' })
    const { state } = await stateAfter(run, 'choose-server', 0, (s) => !s.searching)

    // Those the person can pick first; the others listed, not reachable.
    expect(state.servers.map((s) => [s.name, s.reachable, s.connection !== undefined])).toEqual([
      ['Usable', true, true],
      ['Tokenless', false, true],
      ['Dead', false, false]
    ])
    expect(() => run.steps.chooseServer(OWN)).toThrow(/Refused/)
    expect(() => run.steps.chooseServer(DEAD)).toThrow(/Refused/)
    expect(() => run.steps.chooseServer('not-a-server')).toThrow(/Refused/)

    run.steps.chooseServer(SHARED)
    expect(await run.outcome).toMatchObject({ ok: true, shown: { server: { name: 'Usable' } } })
    // Once the step is over, a late press on any of them is ignored like a profile's.
    const published = run.states.length
    for (const id of [OWN, DEAD, SHARED, 'not-a-server']) {
      expect(() => run.steps.chooseServer(id)).not.toThrow()
    }
    expect(run.states).toHaveLength(published)
  })

  it('a press when no server is asked for is ignored', async () => {
    const { resources } = await twoServers()
    const { plex } = await start({ resources })
    const run = runSteps(plex, { profile: 'ask', server: 'ask' })
    await stateAfter(run, 'choose-profile')

    expect(() => run.steps.chooseServer(OWN)).not.toThrow()
    await new Promise((resolve) => setImmediate(resolve))
    expect(run.states.map((state) => state.phase)).toEqual(['choose-profile'])
  })

  it('the signal ended while a server is asked for: `interrupted`', async () => {
    const { resources } = await twoServers()
    const { plex } = await start({ resources })
    const run = runSteps(plex, { server: 'ask' })
    await stateAfter(run, 'choose-server', 0, (state) => !state.searching)

    run.stop.abort()

    expect(await run.outcome).toMatchObject({ ok: false, code: 'interrupted' })
  })

  it('the signal ended while addresses are tested: `interrupted`, not a server found', async () => {
    const { resources } = await ownAndQuiet()
    const { plex } = await start({ resources })
    const run = runSteps(plex, { server: 'auto' })
    await stateAfter(run, 'choose-server', 0, (state) =>
      state.servers.some((server) => server.reachable)
    )

    run.stop.abort()

    expect(await run.outcome).toMatchObject({ ok: false, code: 'interrupted' })
  })

  it('auto: nothing is asked; the owned reachable server is handed over', async () => {
    const { own, resources } = await twoServers()
    const { plex } = await start({ resources })
    const run = runSteps(plex, { server: 'auto' })

    const outcome = await run.outcome

    expect(outcome).toMatchObject({
      ok: true,
      token: ACCOUNT_TOKEN,
      json: {
        server: {
          machineIdentifier: OWN,
          accessToken: SERVER_TOKENS.own,
          connection: { uri: own.url, local: true }
        }
      },
      shown: { server: { name: 'Own' } }
    })
    expect(run.states.at(-1)).toMatchObject({ phase: 'choose-server', searching: false })
  })

  it('a profile, then a server: the servers are listed with the profile’s token', async () => {
    const { resources } = await twoServers()
    const { plex, home } = await start({ resources })
    const run = runSteps(plex, { profile: 'Kids', server: 'auto' })

    const outcome = await run.outcome

    const kidsToken = home.switches[0]!.token!
    expect(outcome).toMatchObject({
      ok: true,
      token: kidsToken,
      json: { profile: { title: 'Kids' }, server: { machineIdentifier: OWN } },
      shown: { profile: { title: 'Kids' }, server: { name: 'Own' } }
    })
    const listing = plex.requests.filter((r) => r.path.startsWith('/api/v2/resources'))
    expect(listing.map((request) => request.headers['x-plex-token'])).toEqual([kidsToken])
  })
})
