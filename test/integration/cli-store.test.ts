// The --store-dir folder: a private file, a corrupt file set aside, a folder that cannot exist.
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import {
  approveShownCode,
  jsonOut,
  runPlexLogin,
  setup,
  signIn,
  STACK_TRACE,
  startPlexLogin
} from './run-plex-login'

const STORE_FILE = 'plex-login.json'

describe.concurrent('plex-login store', () => {
  it.skipIf(process.platform === 'win32')(
    'keeps plex-login.json readable by its owner only (0600)',
    async (context) => {
      const { fake, storeDir } = await setup(context)
      const { token } = await signIn(fake, storeDir)

      const file = join(storeDir, STORE_FILE)
      expect(statSync(file).mode & 0o777).toBe(0o600)
      expect(readFileSync(file, 'utf8')).toContain(token) // the token lives here, and only here
    }
  )

  it('moves a corrupt store aside with one warning and carries on', async (context) => {
    const { fake, storeDir, base } = await setup(context)
    const garbage = '{"clientIdentifier": "abc", this is not JSON\u0000'
    writeFileSync(join(storeDir, STORE_FILE), garbage)
    const run = startPlexLogin(['--json', ...base])
    await approveShownCode(run, fake)
    const result = await run.done

    expect(result.code).toBe(0)
    expect(jsonOut(result).ok).toBe(true)
    const warnings = result.stderr.split('\n').filter((line) => /unreadable/i.test(line))
    expect(warnings).toHaveLength(1)
    const aside = readdirSync(storeDir).filter((name) => name.startsWith(`${STORE_FILE}.corrupt`))
    expect(aside).toHaveLength(1)
    expect(warnings[0]).toContain(aside[0])
    expect(readFileSync(join(storeDir, aside[0]!), 'utf8')).toBe(garbage)
    // A fresh store took its place, with the new sign-in in it.
    const fresh = JSON.parse(readFileSync(join(storeDir, STORE_FILE), 'utf8')) as object
    expect(fresh).toMatchObject({ clientIdentifier: jsonOut(result).clientIdentifier })
    expect(result.stderr).not.toMatch(STACK_TRACE)
  })

  it.for(['login', 'status', 'logout'])(
    '%s with --store-dir under a regular file: exit 1 "store", nothing sent',
    async (command, context) => {
      const { fake, storeDir } = await setup(context)
      const blocker = join(storeDir, 'not-a-folder')
      writeFileSync(blocker, 'in the way')
      const result = await runPlexLogin([
        command,
        '--json',
        '--store-dir',
        join(blocker, 'store'),
        '--plex-url',
        fake.url
      ])

      expect(result.code).toBe(1)
      expect(jsonOut(result)).toEqual({
        ok: false,
        error: { code: 'store', message: expect.stringContaining(blocker) }
      })
      expect(result.stderr).toMatch(/^plex-login: .*store/m)
      expect(result.stderr).not.toMatch(STACK_TRACE)
      expect(fake.requests).toEqual([])
    }
  )
})
