// A token belongs to the plex.tv origin that issued it and to the product that asked for it;
// a damaged store is a store problem. All against the BUILT command and fake plex.tv servers
// that record every request.
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { productStoreDir } from '../../src/main/store/store-paths'
import { startFakePlex, type FakePlex } from '../fake-plex/fake-plex-server'
import {
  approveShownCode,
  jsonOut,
  requestsSince,
  runPlexLogin,
  setup,
  signIn,
  STACK_TRACE,
  startPlexLogin,
  tempDir
} from '../integration/run-plex-login'

const STORE_FILE = 'plex-login.json'
// Several runs of the command each: a budget for a busy two-core machine, not a speed measured.
const BUDGET = { timeout: 120_000 }

const tokensSeenBy = (fake: FakePlex): unknown[] =>
  fake.requests.map((request) => request.headers['x-plex-token']).filter(Boolean)

describe.concurrent('a stored token goes only to the origin that issued it', () => {
  it(
    'status, logout and login --reuse with another --plex-url never send it there',
    BUDGET,
    async (context) => {
      const { fake, storeDir } = await setup(context)
      const other = await startFakePlex()
      context.onTestFinished(() => other.close())
      const { token } = await signIn(fake, storeDir)
      const stored = JSON.parse(readFileSync(join(storeDir, STORE_FILE), 'utf8')) as {
        credentials: { origin: string }
      }
      expect(stored.credentials.origin).toBe(fake.url)
      const atOther = ['--store-dir', storeDir, '--plex-url', other.url]

      const status = await runPlexLogin(['status', '--json', ...atOther])
      expect(status.code).toBe(4)
      expect(jsonOut(status)).toEqual({ ok: true, signedIn: false })
      expect(status.stderr).toContain(`the stored sign-in is for ${fake.url}`)

      // PLEX_LOGIN_PLEX_URL is the same choice as --plex-url.
      const byEnv = await runPlexLogin(['status', '--json', '--store-dir', storeDir], {
        env: { PLEX_LOGIN_PLEX_URL: other.url }
      })
      expect(byEnv.code).toBe(4)

      const logout = await runPlexLogin(['logout', '--json', ...atOther])
      expect(logout.code).toBe(0)
      expect(jsonOut(logout)).toEqual({ ok: true, signedIn: false, revoked: false })
      expect(other.requests).toEqual([])
      // Neither sent nor forgotten: the sign-in at its own origin still works.
      const before = fake.requests.length
      const home = await runPlexLogin([
        'status',
        '--json',
        '--store-dir',
        storeDir,
        '--plex-url',
        fake.url
      ])
      expect(home.code).toBe(0)
      expect(requestsSince(fake, before)[0]!.headers['x-plex-token']).toBe(token)

      const reuse = startPlexLogin(['login', '--reuse', '--json', ...atOther])
      await approveShownCode(reuse, other)
      const result = await reuse.done
      expect(result.code).toBe(0)
      expect(jsonOut(result).authToken).not.toBe(token) // a new sign-in, not the stored one
      expect(tokensSeenBy(other)).not.toContain(token)
      expect(other.requests.length).toBeGreaterThan(0)
    }
  )
})

describe.concurrent('each product its own default store', () => {
  it('the default product keeps the folder it always had; others get products/<slug>-<hash>', () => {
    const base = join('/data', 'Plex Login Helper')
    expect(productStoreDir(base, 'Plex Login Helper')).toBe(base)
    const other = productStoreDir(base, 'Other App')
    expect(other).toMatch(/[\\/]products[\\/]other-app-[0-9a-f]{8}$/)
    expect(other.startsWith(join(base, 'products'))).toBe(true)
    // Names that slug alike stay apart; nothing climbs out of the folder.
    expect(productStoreDir(base, 'other app')).not.toBe(other)
    expect(productStoreDir(base, '../../etc')).toMatch(/[\\/]products[\\/]etc-[0-9a-f]{8}$/)
    expect(productStoreDir(base, '...')).toMatch(/[\\/]products[\\/]product-[0-9a-f]{8}$/)
  })

  it('--reuse and logout of one product never touch another product', BUDGET, async (context) => {
    const { fake } = await setup(context)
    const config = tempDir(context)
    const env = { XDG_CONFIG_HOME: config, APPDATA: config }
    const args = ['--json', '--plex-url', fake.url]
    const run = (extra: string[]) => startPlexLogin([...extra, ...args], { env })

    const first = run(['login'])
    await approveShownCode(first, fake)
    const mine = jsonOut(await first.done).authToken as string

    const other = run(['login', '--reuse', '--product', 'Other App'])
    await approveShownCode(other, fake) // a new code: the default product's sign-in is not reused
    const theirs = jsonOut(await other.done).authToken as string
    expect(theirs).not.toBe(mine)

    const logout = await runPlexLogin(['logout', '--product', 'Other App', ...args], { env })
    expect(jsonOut(logout)).toEqual({ ok: true, signedIn: false, revoked: true })
    expect(fake.isValidToken(theirs)).toBe(false)
    expect(fake.isValidToken(mine)).toBe(true)
    const status = await runPlexLogin(['status', ...args], { env })
    expect(jsonOut(status)).toMatchObject({ ok: true, signedIn: true })

    if (process.platform === 'linux') {
      const base = join(config, 'Plex Login Helper', 'cli')
      expect(readFileSync(join(base, STORE_FILE), 'utf8')).toContain(mine)
      expect(existsSync(join(base, 'products'))).toBe(true)
    }
  })
})

describe.concurrent('a damaged store', () => {
  function seed(storeDir: string, values: object): void {
    writeFileSync(join(storeDir, STORE_FILE), JSON.stringify(values), { mode: 0o600 })
  }

  it('status with a token that cannot go into a header: exit 1 "store", nothing sent', async (context) => {
    const { fake, storeDir, base } = await setup(context)
    const credentials = {
      token: 'tok\u001b]52;c;x\u0007en',
      account: { ...fake.user },
      origin: fake.url
    }
    seed(storeDir, { clientIdentifier: 'client-1', credentials })
    const result = await runPlexLogin(['status', '--json', ...base])
    expect(result.code).toBe(1)
    expect(jsonOut(result)).toEqual({
      ok: false,
      error: { code: 'store', message: 'The stored sign-in is damaged; sign in again' }
    })
    expect(result.stderr).not.toMatch(/Could not reach/)
    expect(result.stderr).not.toMatch(STACK_TRACE)
    expect(fake.requests).toEqual([])
  })

  it(
    'a damaged client identifier: exit 1 "store", not replaced, nothing sent',
    BUDGET,
    async (context) => {
      const { fake, storeDir, base } = await setup(context)
      const content = JSON.stringify({ clientIdentifier: 'id\r\nX-Evil: 1' })
      writeFileSync(join(storeDir, STORE_FILE), content)
      for (const command of ['login', 'status', 'logout']) {
        const result = await runPlexLogin([command, '--json', ...base])
        expect(result.code).toBe(1)
        expect(jsonOut(result)).toMatchObject({
          ok: false,
          error: { code: 'store', message: expect.stringMatching(/client identifier is damaged/) }
        })
      }
      expect(readFileSync(join(storeDir, STORE_FILE), 'utf8')).toBe(content)
      expect(fake.requests).toEqual([])
    }
  )

  it('logout removes a token whose account is malformed, and revokes it', async (context) => {
    const { fake, storeDir, base } = await setup(context)
    const token = 'malformed-account-token'
    fake.addToken(token)
    const account = { ...fake.user, id: 'not a number' }
    seed(storeDir, {
      clientIdentifier: 'client-1',
      credentials: { token, account, origin: fake.url }
    })
    const result = await runPlexLogin(['logout', '--json', ...base])
    expect(result.code).toBe(0)
    expect(jsonOut(result)).toEqual({ ok: true, signedIn: false, revoked: true })
    expect(fake.isValidToken(token)).toBe(false)
    const left = readFileSync(join(storeDir, STORE_FILE), 'utf8')
    expect(left).not.toContain(token)
    expect(JSON.parse(left)).toEqual({ clientIdentifier: 'client-1' })
  })

  it('logout removes a token that cannot go into a header, without sending it', async (context) => {
    const { fake, storeDir, base } = await setup(context)
    const token = 'bad\ntoken'
    seed(storeDir, { clientIdentifier: 'client-1', credentials: { token, origin: fake.url } })
    const result = await runPlexLogin(['logout', '--json', ...base])
    expect(result.code).toBe(0)
    expect(jsonOut(result)).toEqual({ ok: true, signedIn: false, revoked: false })
    expect(result.stderr).toMatch(/Authorized Devices/)
    expect(fake.requests).toEqual([])
    expect(JSON.parse(readFileSync(join(storeDir, STORE_FILE), 'utf8'))).toEqual({
      clientIdentifier: 'client-1'
    })
  })
})
