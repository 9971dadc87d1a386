// The window's session with --profile/--server (issue 10 §3): a sign-in, stored or new, only
// counts once the steps ran; a failed step can be tried again on the same sign-in; signing out
// ends a step. Against the fake plex.tv with a Home and a fake media server on loopback.
import { afterEach, describe, expect, it, vi } from 'vitest'
import { LoginSession, type SignIn } from '../../src/main/login/login-session'
import { WindowSteps, type WindowStepsOptions } from '../../src/main/login/window-steps'
import { createPlexClient } from '../../src/main/plex/plex-client'
import { CredentialStore, memoryStorage } from '../../src/main/store/credential-store'
import type { LoginState } from '../../src/shared/login-state'
import { FakeMediaServers } from '../fake-media-server/fake-media-server'
import { createFakeHome, DEMO_HOME_USERS, type FakeHome } from '../fake-plex/fake-plex-home'
import {
  fakePlexResources,
  loopbackConnection,
  type FakeResource
} from '../fake-plex/fake-plex-resources'
import { startFakePlex, type FakePlex } from '../fake-plex/fake-plex-server'
import { TEST_DEVICE } from './fixtures'

const STORED_TOKEN = 'stored-token-session-steps'
const STORED_DEVICE = 'stored-device-id'
const KIDS = DEMO_HOME_USERS[1]!
const OWN = 'aaaa0000000000000000000000000session-own'
const SERVER_TOKEN = 'own-server-token-session'
const WAIT = { timeout: 10_000, interval: 10 }

const media = new FakeMediaServers()
const cleanups: Array<() => unknown> = []
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
  await media.closeAll()
})

interface Setup {
  steps: Omit<WindowStepsOptions, 'steps'>
  stored?: boolean // default true: a sign-in kept from an earlier run
  resources?: FakeResource[] // default: one owned server that answers
}

interface Harness {
  plex: FakePlex
  home: FakeHome
  session: LoginSession
  store: CredentialStore
  states: LoginState[]
  signIns: SignIn[]
  failures: string[]
  resources: FakeResource[]
  serverUrl: string
}

async function setup(options: Setup): Promise<Harness> {
  const server = await media.start({ behaviour: { kind: 'identity', machineIdentifier: OWN } })
  const resources = options.resources ?? [
    {
      name: 'Own',
      clientIdentifier: OWN,
      accessToken: SERVER_TOKEN,
      owned: true,
      connections: [loopbackConnection(server.url)]
    }
  ]
  const home = createFakeHome({ users: DEMO_HOME_USERS, addToken: (t) => plex.addToken(t) })
  const plex = await startFakePlex({
    routes: [home.handler, fakePlexResources(() => resources)]
  })
  cleanups.push(() => plex.close())
  const client = createPlexClient({
    baseUrl: plex.url,
    clientIdentifier: 'this-device',
    device: TEST_DEVICE
  })
  const store = new CredentialStore(memoryStorage(), { origin: plex.url })
  if (options.stored ?? true) {
    plex.addToken(STORED_TOKEN)
    await store.save(STORED_TOKEN, { ...plex.user }, STORED_DEVICE)
  }
  const steps = new WindowSteps({
    ...options.steps,
    steps: { fetch, clientsUrl: plex.url, device: TEST_DEVICE, getAccount: client.getAccount }
  })
  const states: LoginState[] = []
  const signIns: SignIn[] = []
  const failures: string[] = []
  const session = new LoginSession({
    client,
    store,
    steps,
    flow: { pollIntervalMs: 50 },
    onSignedIn: (signIn) => void signIns.push(signIn),
    onFailed: (code, message) => void failures.push(`${code}: ${message}`)
  })
  cleanups.push(() => session.dispose())
  session.onState((state) => states.push(state))
  return { plex, home, session, store, states, signIns, failures, resources, serverUrl: server.url }
}

const phases = (h: Harness): string[] => h.states.map((state) => state.phase)

describe('LoginSession with steps', () => {
  it('a stored sign-in counts once the steps ran: the profile’s token and what they chose', async () => {
    const h = await setup({ steps: { profile: 'Kids', server: 'auto' } })
    // What had been handed over when the window was shown each state.
    const handedOverAt: number[] = []
    h.session.onState(() => handedOverAt.push(h.signIns.length))

    await h.session.start()

    const kidsToken = h.home.switches[0]!.token!
    expect(h.signIns).toEqual([
      {
        token: kidsToken,
        account: expect.objectContaining({ uuid: KIDS.uuid, title: 'Kids' }),
        clientIdentifier: STORED_DEVICE,
        verified: true,
        kind: { tokenType: 'classic' },
        steps: {
          profile: { uuid: KIDS.uuid, title: 'Kids', restricted: true },
          server: expect.objectContaining({
            machineIdentifier: OWN,
            accessToken: SERVER_TOKEN,
            connection: expect.objectContaining({ uri: h.serverUrl })
          })
        }
      }
    ])
    // Kids needs no PIN: nothing to ask; the server step is shown while it tests addresses.
    expect(phases(h)[0]).toBe('starting')
    expect(new Set(phases(h).slice(1, -1))).toEqual(new Set(['choose-server']))
    expect(h.states.at(-1)).toEqual({
      phase: 'signed-in',
      user: expect.objectContaining({ title: 'Kids', verified: true }),
      profile: { title: 'Kids' },
      server: { name: 'Own' }
    })
    // Handed over only with the last state, once both steps were done.
    expect(handedOverAt.slice(0, -1).every((count) => count === 0)).toBe(true)
    expect(h.plex.pins).toEqual([])
    const shown = JSON.stringify(h.states)
    for (const secret of [STORED_TOKEN, kidsToken, SERVER_TOKEN, h.serverUrl]) {
      expect(shown).not.toContain(secret)
    }
  })

  it('a new sign-in runs the steps too before it is handed over', async () => {
    const h = await setup({ steps: { profile: 'Kids' }, stored: false })
    await h.session.start()
    await vi.waitFor(() => expect(h.plex.pins).toHaveLength(1), WAIT)

    const token = h.plex.approve()
    await vi.waitFor(() => expect(h.signIns).toHaveLength(1), WAIT)

    const kidsToken = h.home.switches[0]!.token!
    expect(kidsToken).not.toBe(token)
    expect(h.signIns[0]).toMatchObject({
      token: kidsToken,
      clientIdentifier: 'this-device',
      steps: { profile: { title: 'Kids' } }
    })
    expect(h.states.at(-1)).toMatchObject({ phase: 'signed-in', profile: { title: 'Kids' } })
    expect(h.states.at(-1)).not.toHaveProperty('server')
    // The account's own token is what is stored; the profile's is only handed over.
    expect((await h.store.load())?.token).toBe(token)
  })

  it('a failed step shows its error and reports `server`; Try again reruns the steps, no new code', async () => {
    const h = await setup({ steps: { server: 'ask' }, resources: [] })
    await h.session.start()

    expect(h.states.at(-1)).toEqual({
      phase: 'error',
      message: 'Step failed (server): This account has no media server'
    })
    expect(h.failures).toEqual(['server: This account has no media server'])
    expect(h.signIns).toEqual([])

    // The person adds a server, then presses Try again.
    h.resources.push({
      name: 'Own',
      clientIdentifier: OWN,
      accessToken: SERVER_TOKEN,
      owned: true,
      connections: [loopbackConnection(h.serverUrl)]
    })
    const before = h.states.length
    h.session.newCode()
    await vi.waitFor(() => {
      const asked = h.states.slice(before).find((s) => s.phase === 'choose-server' && !s.searching)
      expect(asked).toBeDefined()
    }, WAIT)
    h.session.chooseServer(OWN)
    await vi.waitFor(() => expect(h.signIns).toHaveLength(1), WAIT)

    expect(h.signIns[0]).toMatchObject({
      token: STORED_TOKEN,
      clientIdentifier: STORED_DEVICE,
      steps: { server: { machineIdentifier: OWN, accessToken: SERVER_TOKEN } }
    })
    expect(h.states.at(-1)).toMatchObject({ phase: 'signed-in', server: { name: 'Own' } })
    expect(h.plex.pins).toEqual([]) // the stored sign-in was reused: no code was asked for
    expect(h.failures).toHaveLength(1)
  })

  it('signing out during a step ends it: nothing is handed over and a new code is shown', async () => {
    const h = await setup({ steps: { profile: 'ask' } })
    let stepsEnded = false
    void h.session.start().then(() => (stepsEnded = true))
    await vi.waitFor(() => expect(phases(h)).toContain('choose-profile'), WAIT)

    await h.session.signOut()
    // The step that was asking ends (its question is not left open), without an answer.
    await vi.waitFor(() => expect(stepsEnded).toBe(true), WAIT)
    await vi.waitFor(() => expect(h.plex.pins).toHaveLength(1), WAIT)

    // A press that comes late finds no question open.
    expect(() => h.session.chooseProfile(KIDS.uuid)).not.toThrow()
    await new Promise((resolve) => setImmediate(resolve))
    expect(h.home.switches).toEqual([])
    expect(h.signIns).toEqual([])
    expect(h.failures).toEqual([])
    expect(phases(h).at(-1)).toBe('waiting')
    expect(await h.store.load()).toBeUndefined()
    expect(h.plex.isValidToken(STORED_TOKEN)).toBe(false)
  })
})
