// The real app, end to end: Electron with the built main process, preload and renderer,
// signing in against the fake plex.tv. Skips (one line) where the Electron binary is missing.

import { mkdtempSync, rmSync } from 'node:fs'
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
      'signOut'
    ])

    const token = fake.approve()
    await expect(window.getByTestId('user-name')).toHaveText(fake.user.title)
    await expect(window.getByTestId('sign-out')).toBeVisible()
    expect(await window.content()).not.toContain(token)
  } finally {
    await app.close()
  }
})
