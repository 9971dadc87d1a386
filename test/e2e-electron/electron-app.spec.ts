// The real app, end to end: Electron with the built main process, preload and renderer,
// signing in against the fake plex.tv. Skips (one line) where the Electron binary is missing.

import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { _electron as electron, expect, test } from '@playwright/test'
import { findElectronBinary } from '../../scripts/electron-binary.mjs'
import { startFakePlex, type FakePlex } from '../fake-plex/fake-plex-server'

const ROOT = resolve(import.meta.dirname, '../..')
const executablePath = findElectronBinary()

test.skip(
  !executablePath,
  'Electron binary not installed (run "npx install-electron"); skipping Electron end-to-end tests'
)

let fake: FakePlex
let userDataDir: string

test.beforeEach(async () => {
  fake = await startFakePlex()
  userDataDir = mkdtempSync(join(tmpdir(), 'plex-login-e2e-'))
})

test.afterEach(async () => {
  await fake.close()
  rmSync(userDataDir, { recursive: true, force: true })
})

test('the app shows a code, and signs in once plex.tv approves it', async () => {
  const app = await electron.launch({
    executablePath,
    args: [
      join(ROOT, 'out/main/index.js'),
      `--user-data-dir=${userDataDir}`,
      // Chromium refuses to run as root with its sandbox (containers, some CI runners).
      ...(process.getuid?.() === 0 ? ['--no-sandbox'] : [])
    ],
    cwd: ROOT,
    env: { ...process.env, PLEX_LOGIN_PLEX_URL: fake.url }
  })
  try {
    const window = await app.firstWindow()
    const code = window.getByTestId('pin-code')
    await expect(code).toHaveText(/^[A-Z0-9]{4}$/)
    await expect(code).toHaveText(fake.pins.at(-1)?.code ?? '')
    await expect(window.getByTestId('pin-link')).toHaveAttribute(
      'href',
      `https://plex.tv/link/?pin=${fake.pins.at(-1)?.code}`
    )
    await expect(window.getByTestId('pin-countdown')).toHaveText(/^\d+:\d\d$/)
    expect(await window.evaluate('Object.keys(window.plexLogin)')).toEqual([
      'getState',
      'onState',
      'newCode',
      'openLink',
      'copyCode',
      'signOut',
      'cancel'
    ])

    const token = fake.approve()
    await expect(window.getByTestId('user-name')).toHaveText(fake.user.title)
    await expect(window.getByTestId('sign-out')).toBeVisible()
    expect(await window.content()).not.toContain(token)
  } finally {
    await app.close()
  }
})

// The installer hand-off: the app quits by itself with the command's JSON and exit codes.
async function launchForInstaller(extraArgs: string[]) {
  const app = await electron.launch({
    executablePath,
    args: [
      join(ROOT, 'out/main/index.js'),
      `--user-data-dir=${userDataDir}`,
      ...(process.getuid?.() === 0 ? ['--no-sandbox'] : []),
      '--json',
      '--plex-url',
      fake.url,
      ...extraArgs
    ],
    cwd: ROOT
  })
  const child = app.process()
  let stdout = ''
  child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()))
  const exitCode = new Promise<number | null>((resolve) => child.once('exit', resolve))
  return { app, exitCode, stdout: () => stdout }
}

test('--json: hands over the JSON of plex-login at sign-in, shows it a few seconds, exits 0', async () => {
  const { app, exitCode, stdout } = await launchForInstaller([
    '--output',
    join(userDataDir, 'a.json'),
    '--product',
    'My Media App'
  ])
  const window = await app.firstWindow()
  expect(new URL(window.url()).searchParams.get('product')).toBe('My Media App')
  expect(new URL(window.url()).searchParams.get('installer')).toBe('1')
  await expect(window.getByTestId('pin-code')).toHaveText(/^[A-Z0-9]{4}$/)
  const token = fake.approve()
  // The answer is out while the signed-in view is still there to be read.
  await expect(window.getByTestId('user-name')).toHaveText(fake.user.title)
  await expect.poll(() => stdout()).toContain(token)
  expect(await exitCode).toBe(0)
  const answer = JSON.parse(stdout())
  expect(answer).toMatchObject({
    ok: true,
    authToken: token,
    user: { username: fake.user.username }
  })
  expect(readFileSync(join(userDataDir, 'a.json'), 'utf8')).toBe(stdout())
})

test('--json: closing the window first exits 130 with code "interrupted"', async () => {
  const { app, exitCode, stdout } = await launchForInstaller([])
  const window = await app.firstWindow()
  await expect(window.getByTestId('pin-code')).toHaveText(/^[A-Z0-9]{4}$/)
  await window.close()
  expect(await exitCode).toBe(130)
  expect(JSON.parse(stdout())).toMatchObject({ ok: false, error: { code: 'interrupted' } })
})

test('--json: closing the window while it closes itself after sign-in still exits 0', async () => {
  const { app, exitCode, stdout } = await launchForInstaller([])
  const window = await app.firstWindow()
  await expect(window.getByTestId('pin-code')).toHaveText(/^[A-Z0-9]{4}$/)
  const token = fake.approve()
  await expect.poll(() => stdout()).toContain(token)
  await window.close()
  expect(await exitCode).toBe(0)
})

test('--json: Cancel in the window exits 130 with code "interrupted"', async () => {
  const { app, exitCode, stdout } = await launchForInstaller([])
  const window = await app.firstWindow()
  await expect(window.getByTestId('pin-code')).toHaveText(/^[A-Z0-9]{4}$/)
  void window.evaluate('window.plexLogin.cancel()').catch(() => {}) // the app ends meanwhile
  expect(await exitCode).toBe(130)
  expect(JSON.parse(stdout())).toMatchObject({ ok: false, error: { code: 'interrupted' } })
})

for (const signal of ['SIGHUP', 'SIGQUIT'] as const) {
  test(`--json: ${signal} exits 130 with code "interrupted"`, async () => {
    const { app, exitCode, stdout } = await launchForInstaller([])
    const window = await app.firstWindow()
    await expect(window.getByTestId('pin-code')).toHaveText(/^[A-Z0-9]{4}$/)
    app.process().kill(signal)
    expect(await exitCode).toBe(130)
    expect(JSON.parse(stdout())).toMatchObject({ ok: false, error: { code: 'interrupted' } })
  })
}

test('--json --timeout: gives up with exit 3 and code "timeout"', async () => {
  const { exitCode, stdout } = await launchForInstaller(['--timeout', '2'])
  expect(await exitCode).toBe(3)
  expect(JSON.parse(stdout())).toMatchObject({ ok: false, error: { code: 'timeout' } })
})
