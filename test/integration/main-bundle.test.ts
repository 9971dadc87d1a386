// The built main process (out/main/index.js), run in plain Node against a stand-in for
// `electron` (fixtures/electron-stub.mjs), since the Electron binary may not be installed: the
// thin glue is checked as built, against the fake plex.tv, and so is how the app ends.

import { spawn } from 'node:child_process'
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync
} from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { IPC_COMMANDS } from '../../src/shared/ipc-channels'
import { startFakePlex, type FakePlex } from '../fake-plex/fake-plex-server'

const ROOT = resolve(import.meta.dirname, '../..')
const BUILT_MAIN = join(ROOT, 'out/main/index.js')
const STUB = join(import.meta.dirname, 'fixtures/electron-stub.mjs')

let app: string // a copy of out/ whose main imports the stand-in instead of `electron`
const cleanups: Array<() => unknown> = []

beforeAll(() => {
  if (!existsSync(BUILT_MAIN)) throw new Error(`${BUILT_MAIN} is missing: run npm run build first`)
  app = mkdtempSync(join(tmpdir(), 'main-bundle-'))
  mkdirSync(join(app, 'main'))
  const source = readFileSync(BUILT_MAIN, 'utf8')
  const stubbed = source.replace(
    /from "electron";/,
    `from ${JSON.stringify(pathToFileURL(STUB).href)};`
  )
  expect(stubbed).not.toBe(source)
  writeFileSync(join(app, 'main', 'index.mjs'), stubbed)
  symlinkSync(join(ROOT, 'out/preload'), join(app, 'preload'))
  symlinkSync(join(ROOT, 'out/renderer'), join(app, 'renderer'))
})

afterAll(() => rmSync(app, { recursive: true, force: true }))
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
})

interface Record {
  privileged: { scheme: string }[]
  handlers: string[]
  ipc: string[]
  windows: { webPreferences: { preload: string; sandbox: boolean } }[]
  loaded: string[]
  permissions: string[]
  fetches: { partition: string; credentials: string | null }[]
  dialogs: string[]
  readyAsked: boolean
  quitPrevented?: boolean
  keyring: { call: string; windows: number; answered: boolean }[]
}

async function fakePlex(): Promise<FakePlex> {
  const fake = await startFakePlex()
  cleanups.push(() => fake.close())
  return fake
}

function launch(args: string[], env: NodeJS.ProcessEnv = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'main-bundle-data-'))
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }))
  const recordFile = join(dir, 'record.json')
  const child = spawn(process.execPath, [join(app, 'main', 'index.mjs'), ...args], {
    env: { ...process.env, STUB_RECORD: recordFile, STUB_USER_DATA: join(dir, 'data'), ...env }
  })
  cleanups.push(() => child.kill())
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()))
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
  const exit = new Promise<number | null>((done) => child.once('exit', done))
  return {
    child,
    exit,
    stdout: () => stdout,
    stderr: () => stderr,
    record: (): Record => JSON.parse(readFileSync(recordFile, 'utf8')) as Record,
    recorded: (): Record | undefined =>
      existsSync(recordFile) ? (JSON.parse(readFileSync(recordFile, 'utf8')) as Record) : undefined,
    dataDir: join(dir, 'data')
  }
}

describe('the built main process', () => {
  it('asks for a code at ready, opens the sandboxed window on app://, and hands off on sign-in', async () => {
    const fake = await fakePlex()
    const run = launch(['--json', '--plex-url', fake.url])
    await expect.poll(() => fake.pins.length, { timeout: 10_000 }).toBe(1)
    const token = fake.approve()
    expect(await run.exit).toBe(0)

    expect(JSON.parse(run.stdout())).toMatchObject({ ok: true, authToken: token })
    expect(run.stderr()).not.toContain(token)
    const record = run.record()
    expect(record.privileged.map((entry) => entry.scheme)).toEqual(['app'])
    expect(record.handlers).toEqual(['app'])
    expect(record.permissions.sort()).toEqual(['check', 'device', 'request'])
    expect(record.ipc.sort()).toEqual(Object.values(IPC_COMMANDS).sort())
    expect(record.windows).toHaveLength(1)
    const { preload, sandbox } = record.windows[0]!.webPreferences
    expect(sandbox).toBe(true)
    expect(existsSync(preload)).toBe(true)
    expect(preload.endsWith('index.cjs')).toBe(true)
    // No keyring here (basic_text), who asked, and that an installer waits: all in its address.
    expect(record.loaded).toEqual([
      'app://renderer/index.html?tokenStorage=plain&product=Plex+Login+Helper&installer=1&lang=en'
    ])
    // plex.tv only through the app's own in-memory session, never with cookies.
    expect(record.fetches.length).toBeGreaterThan(1)
    expect(new Set(record.fetches.map((entry) => JSON.stringify(entry)))).toEqual(
      new Set([JSON.stringify({ partition: 'plex-tv', credentials: 'omit' })])
    )
    expect(record.dialogs).toEqual([])
    const log = readFileSync(join(run.dataDir, 'logs', 'plex-login-helper.log'), 'utf8')
    expect(log).toMatch(/signed in as/)
    expect(log).not.toContain(token)
  })

  it('names the app that asked in the address, and no installer without --json/--output', async () => {
    const fake = await fakePlex()
    const run = launch(['--product', 'My Media App', '--plex-url', fake.url], {
      STUB_CLOSE_AFTER_MS: '300'
    })
    expect(await run.exit).toBe(0)
    expect(run.record().loaded).toEqual([
      'app://renderer/index.html?tokenStorage=plain&product=My+Media+App&lang=en'
    ])
  })

  it('puts the language in the address: the OS’s first we speak, or --lang over it', async () => {
    const fake = await fakePlex()
    const env = { STUB_CLOSE_AFTER_MS: '300', STUB_SYSTEM_LANGUAGES: 'fi-FI,pt-PT,en-US' }
    const system = launch(['--plex-url', fake.url], env)
    expect(await system.exit).toBe(0)
    expect(system.record().loaded[0]).toMatch(/&lang=pt-BR$/)
    const chosen = launch(['--lang', 'de-CH', '--plex-url', fake.url], env)
    expect(await chosen.exit).toBe(0)
    expect(chosen.record().loaded[0]).toMatch(/&lang=de$/)
  })

  // Electron's own 'window-all-closed' listener quits with 0 right after 'closed' unless the app
  // listens too (the stand-in does the same): the hand-off's 130 and its JSON must win.
  it('closing the window before signing in: 130 with --json, 0 without', async () => {
    const fake = await fakePlex()
    const handoff = launch(['--json', '--plex-url', fake.url], { STUB_CLOSE_AFTER_MS: '300' })
    expect(await handoff.exit).toBe(130)
    expect(JSON.parse(handoff.stdout())).toMatchObject({ error: { code: 'interrupted' } })

    const plain = launch(['--plex-url', fake.url], { STUB_CLOSE_AFTER_MS: '300' })
    expect(await plain.exit).toBe(0)
    expect(plain.stdout()).toBe('')
  })

  it('Electron quitting by itself (Cmd+Q, its own SIGTERM handling): 130 and the JSON, not 0', async () => {
    const fake = await fakePlex()
    const run = launch(['--json', '--plex-url', fake.url], { STUB_QUIT_AFTER_MS: '300' })
    expect(await run.exit).toBe(130)
    expect(JSON.parse(run.stdout())).toMatchObject({ ok: false, error: { code: 'interrupted' } })
    expect(run.record()).toMatchObject({ quitPrevented: true, dialogs: [] })
  })

  it('a closed stdout: no error dialog, the --output file and the store still get the sign-in, exit 0', async () => {
    const fake = await fakePlex()
    const output = join(mkdtempSync(join(tmpdir(), 'main-bundle-out-')), 'answer.json')
    cleanups.push(() => rmSync(dirname(output), { recursive: true, force: true }))
    const run = launch(['--json', '--output', output, '--plex-url', fake.url])
    run.child.stdout.destroy() // the installer's reader is gone
    await expect.poll(() => fake.pins.length, { timeout: 10_000 }).toBe(1)
    const token = fake.approve()
    expect(await run.exit).toBe(0)
    expect(JSON.parse(readFileSync(output, 'utf8'))).toMatchObject({ ok: true, authToken: token })
    expect(readFileSync(join(run.dataDir, 'plex-login.json'), 'utf8')).toContain(token)
    expect(run.record().dialogs).toEqual([])
  })

  it('a closed stderr: no error dialog, and the JSON still reaches stdout with 130', async () => {
    const fake = await fakePlex()
    const run = launch(['--json', '--plex-url', fake.url], { STUB_CLOSE_AFTER_MS: '300' })
    run.child.stderr.destroy()
    expect(await run.exit).toBe(130)
    expect(JSON.parse(run.stdout())).toMatchObject({ error: { code: 'interrupted' } })
    expect(run.record().dialogs).toEqual([])
  })

  it.each(['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGQUIT'] as const)(
    '%s ends it with 130 and the interrupted JSON',
    async (signal) => {
      const fake = await fakePlex()
      const run = launch(['--json', '--plex-url', fake.url])
      await expect.poll(() => fake.pins.length, { timeout: 10_000 }).toBe(1)
      run.child.kill(signal)
      expect(await run.exit).toBe(130)
      expect(JSON.parse(run.stdout())).toMatchObject({ ok: false, error: { code: 'interrupted' } })
    }
  )

  it('a signal while Electron is still starting is kept and answered once it is ready', async () => {
    const fake = await fakePlex()
    const run = launch(['--json', '--plex-url', fake.url], { STUB_READY_ON_STDIN: '1' })
    await expect.poll(() => run.recorded()?.readyAsked, { timeout: 10_000 }).toBe(true)
    run.child.kill('SIGHUP')
    run.child.stdin.write('ready\n')
    expect(await run.exit).toBe(130)
    expect(JSON.parse(run.stdout())).toMatchObject({ ok: false, error: { code: 'interrupted' } })
  })

  // A keyring may wait on a prompt (Keychain, a locked wallet): the window comes first, the
  // first code is asked for meanwhile, and the page loads once the keyring has answered.
  it('creates the window before asking the keyring, and loads its page once it answers', async () => {
    const fake = await fakePlex()
    const run = launch(['--json', '--plex-url', fake.url], { STUB_KEYRING_ON_STDIN: '1' })
    await expect.poll(() => run.recorded()?.keyring.length ?? 0, { timeout: 10_000 }).toBe(1)
    await expect.poll(() => fake.pins.length, { timeout: 10_000 }).toBe(1)
    const waiting = run.record()
    expect(waiting.keyring).toEqual([
      { call: 'isAsyncEncryptionAvailable', windows: 1, answered: false }
    ])
    expect(waiting.windows).toHaveLength(1)
    expect(waiting.loaded).toEqual([])

    run.child.stdin.write('answered\n')
    await expect
      .poll(() => run.record().loaded, { timeout: 10_000 })
      .toEqual([
        'app://renderer/index.html?tokenStorage=plain&product=Plex+Login+Helper&installer=1&lang=en'
      ])
    const token = fake.approve()
    expect(await run.exit).toBe(0)
    expect(JSON.parse(run.stdout())).toMatchObject({ ok: true, authToken: token })
    expect(run.record().keyring.every((entry) => entry.windows === 1 && entry.answered)).toBe(true)
    expect(run.record().dialogs).toEqual([])
  })

  it("uses none of safeStorage's synchronous calls, deprecated in Electron 45 and gone in 46", () => {
    const source = readFileSync(BUILT_MAIN, 'utf8')
    expect(source).toMatch(/\.isAsyncEncryptionAvailable\(/)
    expect(source).not.toMatch(/\b(isEncryptionAvailable|encryptString|decryptString)\(/)
  })

  it('a bad option ends it at once with 2, before any window', async () => {
    const run = launch(['--json', '--timeout', '0'])
    expect(await run.exit).toBe(2)
    expect(JSON.parse(run.stdout())).toMatchObject({ error: { code: 'usage' } })
    expect(run.stderr()).toMatch(/--timeout/)
    expect(run.record().windows).toEqual([])
    expect(run.record().keyring).toEqual([])
  })

  it('a malformed --lang is a bad option too: 2, in English, before any window', async () => {
    const run = launch(['--json', '--lang', 'de_DE'])
    expect(await run.exit).toBe(2)
    expect(JSON.parse(run.stdout())).toMatchObject({ error: { code: 'usage' } })
    expect(run.stderr()).toMatch(/--lang needs a language tag/)
    expect(run.record().windows).toEqual([])
  })
})
