// The desktop app's core (everything but the window) run as the app runs it, against the fake
// plex.tv: the installer hand-off end to end, and a search of everything the app wrote and
// printed for the token.

import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { createAppCore, type AppCore } from '../../src/main/app/app-core'
import { writePrivateFile } from '../../src/main/store/private-file'
import { openAppStorage } from '../../src/main/store/electron-storage'
import { startFakePlex, type FakePlex } from '../fake-plex/fake-plex-server'
import { FakeMediaServers, refusedPort } from '../fake-media-server/fake-media-server'
import { createFakeHome, DEMO_HOME_USERS, type FakeHome } from '../fake-plex/fake-plex-home'
import {
  fakePlexResources,
  loopbackConnection,
  type FakeResource
} from '../fake-plex/fake-plex-resources'
// The app's own storage, over the unit tests' stand-in for safeStorage (vitest's alias).
import { safeStorage } from '../unit/electron-mock'
import { createFakeJwt } from '../fake-plex/fake-plex-jwt'

interface Run {
  core: AppCore | undefined
  // What core.start() settled with, as index.ts waits for it before loading the page.
  started: Promise<{ tokenInPlainFile: boolean }> | undefined
  exit: Promise<number>
  stdout: string[]
  stderr: string[]
  userDataDir: string
}

const cleanups: Array<() => Promise<void> | void> = []
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
  safeStorage.available = true
})

async function fakePlex(options = {}): Promise<FakePlex> {
  const fake = await startFakePlex(options)
  cleanups.push(() => fake.close())
  return fake
}

// Launches the app's core over a fresh data folder, or over `userDataDir` as after a restart.
function launch(
  argv: string[],
  keyring: 'available' | 'none' = 'available',
  userDataDir = '',
  closeAfterSignInMs = 0
): Run {
  if (!userDataDir) {
    userDataDir = mkdtempSync(join(tmpdir(), 'app-core-'))
    const created = userDataDir
    cleanups.push(() => rmSync(created, { recursive: true, force: true }))
  }
  const stdout: string[] = []
  const stderr: string[] = []
  let exited: (code: number) => void = () => {}
  const exit = new Promise<number>((resolve) => (exited = resolve))
  safeStorage.available = keyring === 'available'
  const core = createAppCore({
    argv,
    env: {},
    cwd: userDataDir,
    userDataDir,
    version: '0.0.0-test',
    fetch,
    openStorage: openAppStorage,
    io: {
      stdout: (text) => void stdout.push(text),
      stderr: (text) => void stderr.push(text),
      writeFile: writePrivateFile,
      exit: (code) => exited(code)
    },
    flow: { pollIntervalMs: 200 },
    closeAfterSignInMs
  })
  cleanups.push(() => core?.session.dispose())
  return { core, started: core?.start(), exit, stdout, stderr, userDataDir }
}

async function waitForCode(fake: FakePlex): Promise<void> {
  for (let tries = 0; tries < 200 && !fake.pins.some((pin) => !pin.expired); tries++) {
    await new Promise((resolve) => setTimeout(resolve, 25))
  }
}

function filesUnder(directory: string): string[] {
  return readdirSync(directory, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name))
}

describe('the app with --json / --output (installer hand-off)', () => {
  it('quits right after sign-in with the same JSON as plex-login, exit 0, output file 0600', async () => {
    const fake = await fakePlex()
    const run = launch(['--json', '--output', 'answer.json', '--plex-url', fake.url])
    await waitForCode(fake)
    const token = fake.approve()
    expect(await run.exit).toBe(0)

    expect(run.stdout).toHaveLength(1)
    const answer = JSON.parse(run.stdout[0]!)
    expect(answer).toEqual({
      ok: true,
      authToken: token,
      clientIdentifier: fake.pins[0]!.clientIdentifier,
      user: { ...fake.user },
      tokenType: 'classic'
    })
    const output = join(run.userDataDir, 'answer.json')
    expect(readFileSync(output, 'utf8')).toBe(run.stdout[0])
    expect(statSync(output).mode & 0o777).toBe(0o600)
  })

  it('closing the window first ends with 130 and code "interrupted"', async () => {
    const fake = await fakePlex()
    const run = launch(['--json', '--plex-url', fake.url])
    await waitForCode(fake)
    run.core!.windowClosed()
    expect(await run.exit).toBe(130)
    expect(JSON.parse(run.stdout.join(''))).toMatchObject({
      ok: false,
      error: { code: 'interrupted' }
    })
    const requests = fake.requests.length
    await new Promise((resolve) => setTimeout(resolve, 600))
    expect(fake.requests.length).toBe(requests)
  })

  it('Cancel in the window ends like closing it: 130 and code "interrupted"', async () => {
    const fake = await fakePlex()
    const run = launch(['--output', 'answer.json', '--plex-url', fake.url])
    await waitForCode(fake)
    run.core!.cancel()
    expect(await run.exit).toBe(130)
    const answer = JSON.parse(readFileSync(join(run.userDataDir, 'answer.json'), 'utf8'))
    expect(answer).toMatchObject({ ok: false, error: { code: 'interrupted' } })
  })

  it('after the hand-off the window stays a while; closing it then ends with 0, not 130', async () => {
    const fake = await fakePlex()
    const run = launch(['--json', '--plex-url', fake.url], 'available', '', 60_000)
    let exitCode: number | undefined
    void run.exit.then((code) => (exitCode = code))
    await waitForCode(fake)
    const token = fake.approve()
    await expect.poll(() => run.stdout.length, { timeout: 10_000 }).toBe(1)
    // The answer is out before the app ends, and the app waits for the person to read it.
    expect(JSON.parse(run.stdout[0]!)).toMatchObject({ ok: true, authToken: token })
    expect(exitCode).toBeUndefined()
    run.core!.windowClosed()
    expect(await run.exit).toBe(0)
    expect(run.stdout).toHaveLength(1)
  })

  it('tells the window which app asked and whether an installer waits', async () => {
    const fake = await fakePlex()
    const installer = launch(['--json', '--product', 'My Media App', '--plex-url', fake.url])
    expect(installer.core).toMatchObject({ product: 'My Media App', installerMode: true })
    const plain = launch(['--plex-url', fake.url])
    expect(plain.core).toMatchObject({ product: 'Plex Login Helper', installerMode: false })
  })

  it('an expired code with --no-renew ends with 3 and code "expired"', async () => {
    const fake = await fakePlex({ pinLifetimeSeconds: 1 })
    const run = launch(['--json', '--no-renew', '--plex-url', fake.url])
    expect(await run.exit).toBe(3)
    expect(JSON.parse(run.stdout.join(''))).toMatchObject({ ok: false, error: { code: 'expired' } })
  })

  it('--timeout ends with 3 and code "timeout"', async () => {
    const fake = await fakePlex()
    const run = launch(['--output', 'answer.json', '--timeout', '0.5', '--plex-url', fake.url])
    expect(await run.exit).toBe(3)
    const answer = JSON.parse(readFileSync(join(run.userDataDir, 'answer.json'), 'utf8'))
    expect(answer).toMatchObject({ ok: false, error: { code: 'timeout' } })
    expect(run.stdout).toEqual([])
  })

  it('a bad option ends at once with 2 and code "usage", before any request', async () => {
    const fake = await fakePlex()
    const run = launch(['--json', '--timeout', '-3', '--plex-url', fake.url])
    expect(run.core).toBeUndefined()
    expect(await run.exit).toBe(2)
    expect(JSON.parse(run.stdout.join(''))).toMatchObject({ ok: false, error: { code: 'usage' } })
    expect(run.stderr.join('')).toMatch(/--timeout/)
    expect(fake.requests).toEqual([])
  })

  it('a failure plex.tv gives (4xx on create) ends with 1 and its code, as plex-login does', async () => {
    const fake = await fakePlex()
    fake.fault('create', { status: 400 })
    const run = launch(['--json', '--plex-url', fake.url])
    expect(await run.exit).toBe(1)
    expect(JSON.parse(run.stdout.join(''))).toMatchObject({
      ok: false,
      error: { code: 'rejected' }
    })
  })

  it('a stored token plex.tv cannot vouch for (outage) is not handed over: a new code instead', async () => {
    const fake = await fakePlex()
    const first = launch(['--json', '--plex-url', fake.url])
    await waitForCode(fake)
    fake.approve()
    expect(await first.exit).toBe(0)
    first.core!.session.dispose()

    fake.failAlways('user', { status: 503 })
    const second = launch(['--json', '--plex-url', fake.url], 'available', first.userDataDir)
    await expect.poll(() => fake.pins.length).toBe(2)
    expect(second.stdout).toEqual([])
    second.core!.windowClosed()
    expect(await second.exit).toBe(130)
  })

  it('a stored sign-in that still works is handed over at once, without a new code', async () => {
    const fake = await fakePlex()
    const first = launch(['--json', '--plex-url', fake.url])
    await waitForCode(fake)
    const token = fake.approve()
    expect(await first.exit).toBe(0)
    first.core!.session.dispose()

    const second = launch(['--json', '--plex-url', fake.url], 'available', first.userDataDir)
    expect(await second.exit).toBe(0)
    expect(JSON.parse(second.stdout.join(''))).toMatchObject({ ok: true, authToken: token })
    expect(fake.pins).toHaveLength(1)
  })
})

describe('the token after a full sign-in', () => {
  it.each(['available', 'none'] as const)(
    'appears in no file the app wrote, nor in its stderr (keyring %s)',
    async (keyring) => {
      const fake = await fakePlex()
      const run = launch(['--json', '--plex-url', fake.url], keyring)
      await waitForCode(fake)
      const token = fake.approve()
      expect(await run.exit).toBe(0)

      const files = filesUnder(run.userDataDir)
      expect(files.some((file) => file.includes(`${join('logs', 'plex-login-helper.log')}`))).toBe(
        true
      )
      const holding = files.filter((file) => readFileSync(file, 'utf8').includes(token))
      if (keyring === 'available') {
        expect(holding).toEqual([])
      } else {
        // The documented fallback: as is, in the store file only this user can read.
        expect(holding).toEqual([join(run.userDataDir, 'plex-login.json')])
        expect(statSync(holding[0]!).mode & 0o777).toBe(0o600)
      }
      expect(readFileSync(join(run.userDataDir, 'logs', 'plex-login-helper.log'), 'utf8')).toMatch(
        /signed in as/
      )
      expect(run.stderr.join('')).not.toContain(token)
      // stdout is the hand-off itself: the JSON answer and nothing else.
      expect(run.stdout).toHaveLength(1)
      expect(JSON.parse(run.stdout[0]!).authToken).toBe(token)
    }
  )
})

describe('a token kept as is by a run without a keyring', () => {
  async function signInWithoutKeyring(fake: FakePlex): Promise<{ token: string; run: Run }> {
    const run = launch(['--json', '--plex-url', fake.url], 'none')
    expect(await run.started).toEqual({ tokenInPlainFile: true })
    await waitForCode(fake)
    const token = fake.approve()
    expect(await run.exit).toBe(0)
    run.core!.session.dispose()
    expect(readFileSync(join(run.userDataDir, 'plex-login.json'), 'utf8')).toContain(token)
    return { token, run }
  }

  it('is encrypted at the next start once there is a keyring, and the window is not told otherwise', async () => {
    const fake = await fakePlex()
    const { token, run } = await signInWithoutKeyring(fake)
    const storeFile = join(run.userDataDir, 'plex-login.json')

    const next = launch(['--json', '--plex-url', fake.url], 'available', run.userDataDir)
    expect(await next.started).toEqual({ tokenInPlainFile: false })
    expect(readFileSync(storeFile, 'utf8')).not.toContain(token)
    expect(statSync(storeFile).mode & 0o777).toBe(0o600)
    // Still the same sign-in: handed over at once, without a new code.
    expect(await next.exit).toBe(0)
    expect(JSON.parse(next.stdout.join(''))).toMatchObject({ ok: true, authToken: token })
    expect(fake.pins).toHaveLength(1)
  })

  it('the window keeps its note while the keyring refuses to encrypt it', async () => {
    const fake = await fakePlex()
    const { token, run } = await signInWithoutKeyring(fake)
    const refusing = vi
      .spyOn(safeStorage, 'encryptStringAsync')
      .mockRejectedValue(new Error('The user denied access to the keychain'))
    cleanups.push(() => refusing.mockRestore())

    const next = launch(['--json', '--plex-url', fake.url], 'available', run.userDataDir)
    expect(await next.started).toEqual({ tokenInPlainFile: true })
    expect(readFileSync(join(run.userDataDir, 'plex-login.json'), 'utf8')).toContain(token)
    expect(next.stderr.join('')).toMatch(
      /Could not encrypt the stored token \(.*keychain\); it stays unencrypted/
    )
    expect(next.stderr.join('')).not.toContain(token)
    expect(await next.exit).toBe(0)
  })
})

describe('the app with --profile and --server (installer hand-off)', () => {
  const KIDS = DEMO_HOME_USERS[1]!
  const OWN = 'aaaa000000000000000000000000000app-core-own'
  const SERVER_TOKEN = 'own-server-token-app-core'
  const media = new FakeMediaServers()

  async function withSteps(resources: FakeResource[]): Promise<{ fake: FakePlex; home: FakeHome }> {
    cleanups.push(() => media.closeAll())
    const home = createFakeHome({
      users: DEMO_HOME_USERS,
      addToken: (token) => fake.addToken(token)
    })
    const fake = await fakePlex({ routes: [home.handler, fakePlexResources(() => resources)] })
    return { fake, home }
  }

  it('--json --profile Kids --server auto: the command’s answer, with the profile’s token and the server', async () => {
    const own = await media.start({ behaviour: { kind: 'identity', machineIdentifier: OWN } })
    const { fake, home } = await withSteps([
      {
        name: 'Own',
        clientIdentifier: OWN,
        accessToken: SERVER_TOKEN,
        owned: true,
        connections: [loopbackConnection(own.url, { local: false })]
      }
    ])
    const run = launch(['--json', '--plex-url', fake.url, '--profile', 'Kids', '--server', 'auto'])
    await waitForCode(fake)
    const accountToken = fake.approve()
    expect(await run.exit).toBe(0)

    const kidsToken = home.switches[0]!.token!
    expect(run.stdout).toHaveLength(1)
    const answer = JSON.parse(run.stdout[0]!)
    // The keys and their order are those of `plex-login login --json --profile … --server …`.
    expect(Object.keys(answer)).toEqual([
      'ok',
      'authToken',
      'clientIdentifier',
      'user',
      'profile',
      'server',
      'tokenType'
    ])
    const latency = { latencyMs: expect.any(Number) }
    expect(answer).toEqual({
      ok: true,
      authToken: kidsToken,
      clientIdentifier: fake.pins[0]!.clientIdentifier,
      user: expect.objectContaining({ uuid: KIDS.uuid, title: 'Kids' }),
      profile: { uuid: KIDS.uuid, title: 'Kids', restricted: true },
      server: {
        name: 'Own',
        machineIdentifier: OWN,
        owned: true,
        owner: null,
        accessToken: SERVER_TOKEN,
        connection: { uri: own.url, local: false, relay: false, ...latency },
        connections: [{ uri: own.url, local: false, relay: false, reachable: true, ...latency }]
      },
      tokenType: 'classic'
    })
    expect(Object.keys(answer.server)).toEqual([
      'name',
      'machineIdentifier',
      'owned',
      'owner',
      'accessToken',
      'connection',
      'connections'
    ])
    // The servers were listed for the profile, with its token.
    const listing = fake.requests.filter((request) => request.path.startsWith('/api/v2/resources'))
    expect(listing.map((request) => request.headers['x-plex-token'])).toEqual([kidsToken])
    // No token of any kind in the log or on stderr; the probe got none either.
    const log = readFileSync(join(run.userDataDir, 'logs', 'plex-login-helper.log'), 'utf8')
    for (const secret of [accountToken, kidsToken, SERVER_TOKEN]) {
      expect(log).not.toContain(secret)
      expect(run.stderr.join('')).not.toContain(secret)
      expect(JSON.stringify(own.requests)).not.toContain(secret)
    }
  })

  it('--json --server ask with no server answering: exit 1 and code "server"', async () => {
    const dead = `http://127.0.0.1:${await refusedPort()}`
    const { fake } = await withSteps([
      {
        name: 'Away',
        clientIdentifier: OWN,
        accessToken: SERVER_TOKEN,
        owned: true,
        connections: [loopbackConnection(dead)]
      }
    ])
    const run = launch(['--json', '--plex-url', fake.url, '--server', 'ask'])
    await waitForCode(fake)
    fake.approve()

    expect(await run.exit).toBe(1)
    expect(JSON.parse(run.stdout.join(''))).toEqual({
      ok: false,
      error: { code: 'server', message: 'No server answered from this computer' }
    })
  })

  it.each([['--profile'], ['--server']])(
    '%s with an empty value: exit 2, code "usage"',
    async (flag) => {
      const fake = await fakePlex()
      const run = launch(['--json', '--plex-url', fake.url, flag, ''])

      expect(run.core).toBeUndefined()
      expect(await run.exit).toBe(2)
      expect(JSON.parse(run.stdout.join(''))).toMatchObject({ ok: false, error: { code: 'usage' } })
      expect(run.stderr.join('')).toContain(flag)
      expect(fake.requests).toEqual([])
    }
  )
})

describe('the app with --jwt (issue 11)', () => {
  it('hands over a verified Plex JWT with tokenType "jwt"; the key stays encrypted in the store', async () => {
    const jwt = createFakeJwt()
    const fake = await fakePlex({ jwt })
    const run = launch(['--json', '--jwt', '--plex-url', fake.url])
    await waitForCode(fake)
    fake.approve()
    expect(await run.exit).toBe(0)

    const answer = JSON.parse(run.stdout.join(''))
    expect(answer).toMatchObject({ ok: true, tokenType: 'jwt', user: { ...fake.user } })
    expect(answer.authToken).toBe(jwt.issued.at(-1))
    expect(new Date(answer.expiresAt).getTime()).toBeGreaterThan(Date.now())
    // The PIN carried the device's own key, under a client identifier of its own.
    const [device] = [...jwt.devices.values()]
    expect(answer.clientIdentifier).toBe(fake.pins[0]!.clientIdentifier)
    expect(jwt.devices.has(answer.clientIdentifier)).toBe(true)
    expect(device).toBeDefined()

    // Nothing secret in a file as is: the key and the JWT went through safeStorage's codec,
    // and neither reached the log or stderr.
    const files = filesUnder(run.userDataDir).filter((file) => !file.endsWith('answer.json'))
    const everything = files.map((file) => readFileSync(file, 'utf8')).join('\n')
    expect(everything).not.toContain(answer.authToken)
    expect(everything).not.toMatch(/"d"\s*:/) // a private JWK's secret part
    expect(run.stderr.join('')).not.toContain(answer.authToken)
  })

  it('a JWT signed by a key plex.tv does not publish is refused: not handed over, not kept', async () => {
    const jwt = createFakeJwt({ signWithUnknownKey: true })
    const fake = await fakePlex({ jwt })
    const run = launch(['--jwt', '--plex-url', fake.url])
    await waitForCode(fake)
    fake.approve()
    await vi.waitFor(() => expect(run.core!.session.state.phase).toBe('error'), { timeout: 10_000 })
    const files = filesUnder(run.userDataDir)
    const everything = files.map((file) => readFileSync(file, 'utf8')).join('\n')
    for (const issued of jwt.issued) expect(everything).not.toContain(issued)
  })
})
