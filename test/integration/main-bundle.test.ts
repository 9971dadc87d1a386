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
import { join, resolve } from 'node:path'
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
    exit,
    stdout: () => stdout,
    stderr: () => stderr,
    record: (): Record => JSON.parse(readFileSync(recordFile, 'utf8')) as Record,
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
    // No keyring here (basic_text): the window is told, through its address.
    expect(record.loaded).toEqual(['app://renderer/index.html?tokenStorage=plain'])
    const log = readFileSync(join(run.dataDir, 'logs', 'plex-login-helper.log'), 'utf8')
    expect(log).toMatch(/signed in as/)
    expect(log).not.toContain(token)
  })

  it('closing the window before signing in: 130 with --json, 0 without', async () => {
    const fake = await fakePlex()
    const handoff = launch(['--json', '--plex-url', fake.url], { STUB_CLOSE_AFTER_MS: '300' })
    expect(await handoff.exit).toBe(130)
    expect(JSON.parse(handoff.stdout())).toMatchObject({ error: { code: 'interrupted' } })

    const plain = launch(['--plex-url', fake.url], { STUB_CLOSE_AFTER_MS: '300' })
    expect(await plain.exit).toBe(0)
    expect(plain.stdout()).toBe('')
  })

  it('a bad option ends it at once with 2, before any window', async () => {
    const run = launch(['--json', '--timeout', '0'])
    expect(await run.exit).toBe(2)
    expect(JSON.parse(run.stdout())).toMatchObject({ error: { code: 'usage' } })
    expect(run.stderr()).toMatch(/--timeout/)
    expect(run.record().windows).toEqual([])
  })
})
