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
// The app's own storage, over the unit tests' stand-in for safeStorage (vitest's alias).
import { safeStorage } from '../unit/electron-mock'

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
      user: { ...fake.user }
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
