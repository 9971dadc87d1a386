// The store file as an attacker would leave it: a symlink, another user's file, a FIFO, a
// folder, a corrupt file holding a token, SNAP set in the environment. Run against the BUILT
// command; every refusal is exit 1 "store" with a plain message, nothing sent, nothing touched.
import { spawnSync } from 'node:child_process'
import {
  chmodSync,
  chownSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  statSync,
  symlinkSync,
  writeFileSync
} from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import {
  approveShownCode,
  jsonOut,
  runPlexLogin,
  setup,
  signIn,
  STACK_TRACE,
  startPlexLogin,
  tempDir
} from '../integration/run-plex-login'

const STORE_FILE = 'plex-login.json'
const isRoot = process.getuid?.() === 0
const posix = process.platform !== 'win32'
const NOBODY = 65534

function expectStoreRefusal(
  result: Awaited<ReturnType<typeof runPlexLogin>>,
  pattern: RegExp
): void {
  expect(result.code).toBe(1)
  expect(jsonOut(result)).toEqual({
    ok: false,
    error: { code: 'store', message: expect.stringMatching(pattern) }
  })
  expect(result.stderr).toMatch(pattern)
  expect(result.stderr).not.toMatch(STACK_TRACE)
}

describe.concurrent('a store path that is not a file of our own', () => {
  it.skipIf(!posix).for(['login', 'status', 'logout'])(
    '%s: a symlink at the store path is refused and its target untouched',
    async (command, context) => {
      const { fake, storeDir, base } = await setup(context)
      const target = join(tempDir(context), 'target.json')
      const content = '{"clientIdentifier": "victim-id"}'
      writeFileSync(target, content)
      chmodSync(target, 0o644)
      symlinkSync(target, join(storeDir, STORE_FILE))

      const result = await runPlexLogin([command, '--json', ...base])
      expectStoreRefusal(result, /plex-login\.json is a symbolic link; refusing to use it/)
      expect(readFileSync(target, 'utf8')).toBe(content)
      expect(statSync(target).mode & 0o777).toBe(0o644)
      expect(lstatSync(join(storeDir, STORE_FILE)).isSymbolicLink()).toBe(true)
      expect(fake.requests).toEqual([])
    }
  )

  it.skipIf(!posix)('a symlinked store folder is refused', async (context) => {
    const { fake } = await setup(context)
    const real = tempDir(context)
    const link = join(tempDir(context), 'store-link')
    symlinkSync(real, link)
    const result = await runPlexLogin([
      'status',
      '--json',
      '--store-dir',
      link,
      '--plex-url',
      fake.url
    ])
    expectStoreRefusal(result, /symbolic link; refusing to use it/)
    expect(readdirSync(real)).toEqual([])
    expect(fake.requests).toEqual([])
  })

  it.runIf(isRoot)(
    "another user's store file is refused, never read or rewritten (run as root)",
    async (context) => {
      const { fake, storeDir, base } = await setup(context)
      const file = join(storeDir, STORE_FILE)
      const content = '{"clientIdentifier": "their-id"}'
      writeFileSync(file, content, { mode: 0o600 })
      chownSync(file, NOBODY, NOBODY)

      for (const command of ['login', 'status', 'logout']) {
        const result = await runPlexLogin([command, '--json', ...base])
        expectStoreRefusal(result, /plex-login\.json belongs to another user/)
      }
      expect(readFileSync(file, 'utf8')).toBe(content)
      expect(statSync(file).uid).toBe(NOBODY)
      expect(readdirSync(storeDir)).toEqual([STORE_FILE])
      expect(fake.requests).toEqual([])
    }
  )

  it.runIf(isRoot)("another user's store folder is refused (run as root)", async (context) => {
    const { fake, storeDir, base } = await setup(context)
    chownSync(storeDir, NOBODY, NOBODY)
    const result = await runPlexLogin(['status', '--json', ...base])
    expectStoreRefusal(result, /belongs to another user/)
    expect(readdirSync(storeDir)).toEqual([])
    expect(fake.requests).toEqual([])
  })

  it.skipIf(!posix)('a FIFO at the store path is refused at once, never read', async (context) => {
    const { fake, storeDir, base } = await setup(context)
    const fifo = join(storeDir, STORE_FILE)
    const made = spawnSync('mkfifo', [fifo])
    if (made.status !== 0) return context.skip('mkfifo is not available')
    // A reader that opened it blocking would hang until the watchdog: this must end by itself.
    const result = await runPlexLogin(['status', '--json', ...base], { killAfterMs: 20_000 })
    expectStoreRefusal(result, /plex-login\.json is not a regular file/)
    expect(lstatSync(fifo).isFIFO()).toBe(true)
    expect(fake.requests).toEqual([])
  })

  it('a folder at the store path is refused', async (context) => {
    const { fake, storeDir, base } = await setup(context)
    mkdirSync(join(storeDir, STORE_FILE))
    const result = await runPlexLogin(['status', '--json', ...base])
    expectStoreRefusal(result, /plex-login\.json is not a regular file/)
    expect(fake.requests).toEqual([])
  })
})

describe.concurrent('store writes', () => {
  it.skipIf(!posix)(
    'with SNAP set, a sign-in still replaces the store by rename, never writes it in place',
    async (context) => {
      const { fake, storeDir, base } = await setup(context)
      await signIn(fake, storeDir)
      const file = join(storeDir, STORE_FILE)
      const before = statSync(file)

      const run = startPlexLogin(['login', '--json', ...base], {
        env: { SNAP: '/snap/plex-login/1', SNAP_NAME: 'plex-login' }
      })
      await approveShownCode(run, fake)
      const result = await run.done
      expect(result.code).toBe(0)
      const after = statSync(file)
      expect(after.ino).not.toBe(before.ino) // a new file took the old one's place
      expect(after.mode & 0o777).toBe(0o600)
      expect(JSON.parse(readFileSync(file, 'utf8'))).toMatchObject({
        credentials: { token: jsonOut(result).authToken }
      })
      expect(readdirSync(storeDir)).toEqual([STORE_FILE])
    }
  )

  it('a corrupt store is set aside without its token, with one warning', async (context) => {
    const { fake, storeDir, base } = await setup(context)
    const token = 'zQ8xW2vB6nM4kL1pR7tY'
    const corrupt = `{"clientIdentifier": "abc", "credentials": {"token": "${token}", "acc`
    writeFileSync(join(storeDir, STORE_FILE), corrupt)
    const result = await runPlexLogin(['status', '--json', ...base])

    expect(result.code).toBe(4)
    expect(result.stderr.match(/unreadable/g)).toHaveLength(1)
    const aside = readdirSync(storeDir).filter((name) => name.startsWith(`${STORE_FILE}.corrupt-`))
    expect(aside).toHaveLength(1)
    const copy = readFileSync(join(storeDir, aside[0]!), 'utf8')
    expect(copy).not.toContain(token)
    expect(copy).toContain('"clientIdentifier": "abc"')
    for (const name of readdirSync(storeDir))
      expect(readFileSync(join(storeDir, name), 'utf8')).not.toContain(token)
    expect(result.stderr).not.toContain(token)
    expect(fake.requests).toEqual([])
  })
})
