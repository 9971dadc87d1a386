// The steps `login --profile/--server` runs after a sign-in, against the fake plex.tv with a
// Home and fake media servers on loopback, answered from PLEX_LOGIN_PROFILE_PIN and from a
// fake terminal.
import { PassThrough } from 'node:stream'
import { afterEach, describe, expect, it } from 'vitest'
import { createTerminalPrompt, type TerminalPrompt } from '../../src/main/cli/ask-on-terminal'
import type { HumanOutput } from '../../src/main/cli/human-output'
import { runLoginSteps, type LoginStepsOptions } from '../../src/main/cli/login-steps'
import { createPlexClient } from '../../src/main/plex/plex-client'
import { FakeMediaServers } from '../fake-media-server/fake-media-server'
import { createFakeHome, DEMO_HOME_USERS, type FakeHome } from '../fake-plex/fake-plex-home'
import {
  fakePlexResources,
  loopbackConnection,
  type FakeResource
} from '../fake-plex/fake-plex-resources'
import type { FakeRouteHandler } from '../fake-plex/fake-routes'
import { startFakePlex, type FakePlex } from '../fake-plex/fake-plex-server'
import { TEST_ACCOUNT, TEST_DEVICE } from './fixtures'

const ACCOUNT_TOKEN = 'account-token-steps'
const CLIENT_ID = 'client-id-steps'
const ALEX = DEMO_HOME_USERS[2]! // protected, PIN 1234

const media = new FakeMediaServers()
const plexes: FakePlex[] = []
afterEach(async () => {
  await media.closeAll()
  await Promise.all(plexes.splice(0).map((plex) => plex.close()))
})

async function start(
  options: {
    users?: typeof DEMO_HOME_USERS
    resources?: FakeResource[]
    before?: FakeRouteHandler
  } = {}
) {
  const home: FakeHome = createFakeHome({
    users: options.users ?? DEMO_HOME_USERS,
    addToken: (token) => plex.addToken(token)
  })
  const plex = await startFakePlex({
    routes: [
      ...(options.before ? [options.before] : []),
      home.handler,
      fakePlexResources(() => options.resources ?? [])
    ]
  })
  plexes.push(plex)
  plex.addToken(ACCOUNT_TOKEN)
  return { plex, home }
}

function terminalTyping(text: string): { prompt: TerminalPrompt; shown: () => string } {
  const input = Object.assign(new PassThrough(), { isTTY: true, setRawMode: () => true })
  let shown = ''
  input.write(text)
  input.end()
  return { prompt: createTerminalPrompt(input, (t) => (shown += t)), shown: () => shown }
}

function stepsOptions(plex: FakePlex, extra: Partial<LoginStepsOptions>): LoginStepsOptions {
  const lines: string[] = []
  const out: HumanOutput = { line: (t) => lines.push(t), event() {}, state() {}, close() {} }
  const client = createPlexClient({
    baseUrl: plex.url,
    clientIdentifier: CLIENT_ID,
    device: TEST_DEVICE
  })
  return {
    fetch,
    clientsUrl: plex.url,
    clientIdentifier: CLIENT_ID,
    device: TEST_DEVICE,
    getAccount: client.getAccount,
    write: () => {},
    out,
    ...extra
  }
}

describe('login --profile', () => {
  it('five wrong PINs typed on the terminal end the step with `profile`', async () => {
    const { plex, home } = await start()
    const terminal = terminalTyping('0000\n1111\n2222\n3333\n4444\n1234\n')

    const outcome = await runLoginSteps(
      ACCOUNT_TOKEN,
      TEST_ACCOUNT,
      stepsOptions(plex, { profile: 'Alex', terminal: terminal.prompt })
    )

    expect(outcome).toMatchObject({ ok: false, code: 'profile' })
    expect(home.switches.map((s) => s.pin)).toEqual(['0000', '1111', '2222', '3333', '4444'])
    expect(home.switches.every((s) => s.status === 403)).toBe(true)
    // The PINs were typed with echo off and are in no message.
    expect(terminal.shown()).not.toMatch(/0000|1111|4444/)
    expect(JSON.stringify(outcome)).not.toMatch(/0000|4444/)
  })

  it('a wrong PLEX_LOGIN_PROFILE_PIN without a terminal is tried once, then `profile`', async () => {
    const { plex, home } = await start()

    const outcome = await runLoginSteps(
      ACCOUNT_TOKEN,
      TEST_ACCOUNT,
      stepsOptions(plex, { profile: ALEX.uuid, pinFromEnv: '9999' })
    )

    expect(outcome).toEqual({
      ok: false,
      code: 'profile',
      message: 'PLEX_LOGIN_PROFILE_PIN is not the PIN of Alex'
    })
    expect(home.switches).toHaveLength(1)
  })

  it('after a wrong PLEX_LOGIN_PROFILE_PIN the terminal is asked; the answer is the profile’s', async () => {
    const { plex, home } = await start()
    const terminal = terminalTyping('1234\n')

    const outcome = await runLoginSteps(
      ACCOUNT_TOKEN,
      TEST_ACCOUNT,
      stepsOptions(plex, { profile: 'alex', pinFromEnv: '9999', terminal: terminal.prompt })
    )

    expect(home.switches.map((s) => [s.pin, s.status])).toEqual([
      ['9999', 403],
      ['1234', 201]
    ])
    expect(outcome).toEqual({
      ok: true,
      token: home.switches[1]!.token,
      account: expect.objectContaining({ uuid: ALEX.uuid, title: 'Alex' }),
      json: { profile: { uuid: ALEX.uuid, title: 'Alex', restricted: false } }
    })
  })

  it('`ask` picks from a numbered list; a switch answer without the account reads /api/v2/user', async () => {
    // plex.tv has changed this answer before: only the token is certain.
    const tokenOnly: FakeRouteHandler = (request) => {
      if (request.method !== 'POST' || !request.url.pathname.endsWith('/switch')) return undefined
      plex.addToken('kids-token')
      return { status: 201, body: { authToken: 'kids-token' } }
    }
    const { plex } = await start({ before: tokenOnly })
    const terminal = terminalTyping('2\n')

    const outcome = await runLoginSteps(
      ACCOUNT_TOKEN,
      TEST_ACCOUNT,
      stepsOptions(plex, { profile: 'ask', terminal: terminal.prompt })
    )

    expect(terminal.shown()).toContain('Choose 1-3: ')
    expect(outcome).toMatchObject({
      ok: true,
      token: 'kids-token',
      account: { ...plex.user },
      json: { profile: { uuid: DEMO_HOME_USERS[1]!.uuid, title: 'Kids', restricted: true } }
    })
    const read = plex.requests.find((request) => request.route === 'user')
    expect(read?.headers['x-plex-token']).toBe('kids-token')
  })

  it('`ask` on an account without a Home: no step, the account’s own token', async () => {
    const { plex } = await start({ users: [] })
    const outcome = await runLoginSteps(
      ACCOUNT_TOKEN,
      TEST_ACCOUNT,
      stepsOptions(plex, { profile: 'ask', terminal: terminalTyping('').prompt })
    )
    expect(outcome).toEqual({ ok: true, token: ACCOUNT_TOKEN, account: TEST_ACCOUNT, json: {} })
  })
})

describe('login --server ask', () => {
  it('a server without an access token is listed but cannot be chosen', async () => {
    const noToken = await media.start({ behaviour: { kind: 'identity', machineIdentifier: 'a1' } })
    const usable = await media.start({ behaviour: { kind: 'identity', machineIdentifier: 'b2' } })
    const { plex } = await start({
      resources: [
        {
          name: 'Tokenless',
          clientIdentifier: 'a1',
          accessToken: null,
          owned: true,
          connections: [loopbackConnection(noToken.url)]
        },
        {
          name: 'Usable',
          clientIdentifier: 'b2',
          accessToken: 'server-token-b2',
          owned: false,
          connections: [loopbackConnection(usable.url, { local: false })]
        }
      ]
    })
    const terminal = terminalTyping('1\n2\n')
    let listed = ''

    const outcome = await runLoginSteps(
      ACCOUNT_TOKEN,
      TEST_ACCOUNT,
      stepsOptions(plex, { server: 'ask', terminal: terminal.prompt, write: (t) => (listed += t) })
    )

    expect(listed).toContain('1. Tokenless at')
    expect(listed).toContain('1 cannot be chosen: plex.tv gives no access token')
    expect(outcome).toMatchObject({
      ok: true,
      json: { server: { machineIdentifier: 'b2', accessToken: 'server-token-b2' } }
    })
  })
})
