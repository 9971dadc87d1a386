import {
  chmodSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  statSync,
  utimesSync,
  writeFileSync
} from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { openJsonFileStorage, STORE_FILE_NAME } from '../../src/main/store/json-file-storage'
import { StoreError, storeProblemText, type StoreProblem } from '../../src/main/store/store-error'
import { CredentialStore } from '../../src/main/store/credential-store'
import { TEST_ACCOUNT } from './fixtures'

let dir: string
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'plex-login-store-'))
})
afterEach(() => {
  rmSync(dir, { recursive: true, force: true })
})

const mode = (file: string): number => statSync(file).mode & 0o777
const posixOnly = it.skipIf(process.platform === 'win32')

function collect(): { warn: (problem: StoreProblem) => void; warnings: string[] } {
  const warnings: string[] = []
  return { warn: (problem) => warnings.push(storeProblemText(problem)), warnings }
}

describe('openJsonFileStorage', () => {
  posixOnly('keeps values in plex-login.json, readable by its owner only', () => {
    const { warn, warnings } = collect()
    const storage = openJsonFileStorage(dir, warn)
    expect(STORE_FILE_NAME).toBe('plex-login.json')
    expect(storage.get('clientIdentifier')).toBeUndefined()
    storage.set('clientIdentifier', 'abc')
    storage.set('credentials', { token: 't', account: { id: 1 } })
    const file = join(dir, 'plex-login.json')
    expect(readdirSync(dir)).toEqual(['plex-login.json']) // no temp or lock file left
    expect(mode(file)).toBe(0o600)
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({
      clientIdentifier: 'abc',
      credentials: { token: 't', account: { id: 1 } }
    })
    storage.delete('credentials')
    expect(storage.get('credentials')).toBeUndefined()
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({ clientIdentifier: 'abc' })
    expect(warnings).toEqual([])
  })

  it('sees what another opening of the same store wrote (it reads the file, not a copy)', () => {
    const first = openJsonFileStorage(dir, () => {})
    const second = openJsonFileStorage(dir, () => {})
    first.set('clientIdentifier', 'abc')
    expect(second.get('clientIdentifier')).toBe('abc')
    second.set('credentials', { token: 't' })
    expect(first.get('clientIdentifier')).toBe('abc')
    expect(first.get('credentials')).toEqual({ token: 't' })
  })

  it('reads back what an earlier run wrote, in the shape electron-store and conf wrote', async () => {
    // As electron-store 12 / conf 16 left it: tab-indented JSON.
    const account = TEST_ACCOUNT
    writeFileSync(
      join(dir, 'plex-login.json'),
      JSON.stringify(
        { clientIdentifier: 'old-id', credentials: { token: 'tok', account } },
        null,
        '\t'
      )
    )
    const store = new CredentialStore(
      openJsonFileStorage(dir, () => {}),
      {
        newId: () => 'other'
      }
    )
    expect(store.clientIdentifier()).toBe('old-id')
    expect(await store.load()).toEqual({ token: 'tok', account })
  })

  posixOnly('creates a missing store folder, 0700', () => {
    const nested = join(dir, 'a', 'b')
    const storage = openJsonFileStorage(nested, () => {})
    storage.set('x', 1)
    expect(mode(join(nested, 'plex-login.json'))).toBe(0o600)
    expect(mode(nested)).toBe(0o700)
    expect(mode(join(dir, 'a'))).toBe(0o700)
  })

  posixOnly('replaces a file that was left readable by others with a 0600 one', () => {
    const file = join(dir, 'plex-login.json')
    writeFileSync(file, JSON.stringify({ clientIdentifier: 'abc' }))
    chmodSync(file, 0o644)
    const storage = openJsonFileStorage(dir, () => {})
    expect(storage.get('clientIdentifier')).toBe('abc')
    storage.set('credentials', { token: 't' })
    expect(mode(file)).toBe(0o600)
  })

  it('takes an empty file for an empty store', () => {
    writeFileSync(join(dir, 'plex-login.json'), '')
    const { warn, warnings } = collect()
    const storage = openJsonFileStorage(dir, warn)
    expect(storage.get('clientIdentifier')).toBeUndefined()
    expect(warnings).toEqual([])
  })

  it.each([
    ['broken JSON', '{"clientIdentifier": "abc", '],
    ['binary junk', '\u0000\u0001\u0002'],
    ['a JSON array', '["abc"]']
  ])('moves a corrupt store (%s) aside, keeps a copy, and starts afresh', (_label, content) => {
    const file = join(dir, 'plex-login.json')
    writeFileSync(file, content, { mode: 0o600 })
    const { warn, warnings } = collect()
    const storage = openJsonFileStorage(dir, warn)

    const aside = readdirSync(dir).filter((name) => name !== 'plex-login.json')
    expect(aside).toHaveLength(1)
    expect(aside[0]).toMatch(/^plex-login\.json\.corrupt-\d+$/)
    expect(readFileSync(join(dir, aside[0]!), 'utf8')).toBe(content)
    expect(warnings).toHaveLength(1)
    expect(warnings[0]).toContain(file)
    expect(warnings[0]).toContain(join(dir, aside[0]!))

    expect(storage.get('clientIdentifier')).toBeUndefined()
    storage.set('clientIdentifier', 'new')
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({ clientIdentifier: 'new' })

    // the fresh store opens without any further warning
    openJsonFileStorage(dir, warn)
    expect(warnings).toHaveLength(1)
  })

  it('keeps no token in the copy of a corrupt store', () => {
    const token = 'aB3dE5gH7jK9mN1pQ2sT'
    const content =
      `{"clientIdentifier": "abc", "credentials": {"token": "${token}", "account": {"id": 1}, ` +
      `"authToken":"${token}x", "X-Plex-Token=${token}y", "token": "${token}`
    writeFileSync(join(dir, 'plex-login.json'), content)
    openJsonFileStorage(dir, () => {})
    const [aside] = readdirSync(dir).filter((name) => name.includes('.corrupt-'))
    const copy = readFileSync(join(dir, aside!), 'utf8')
    expect(copy).not.toContain(token)
    expect(copy).toContain('"clientIdentifier": "abc"') // the rest is kept for whoever looks
    expect(copy).toContain('"token": "[redacted]"')
  })

  it('removes temp files a killed run left behind, and only those', () => {
    const stale = join(dir, `.plex-login.json.4242.${'a'.repeat(12)}.tmp`)
    const fresh = join(dir, `.plex-login.json.4243.${'b'.repeat(12)}.tmp`)
    const other = join(dir, `.notes.json.4242.${'c'.repeat(12)}.tmp`)
    for (const file of [stale, fresh, other]) writeFileSync(file, '{"credentials":{"token":"t"}}')
    const old = new Date(Date.now() - 5 * 60_000)
    utimesSync(stale, old, old)
    utimesSync(other, old, old)

    openJsonFileStorage(dir, () => {})
    const names = readdirSync(dir)
    expect(names).not.toContain(stale.slice(dir.length + 1))
    expect(names).toContain(fresh.slice(dir.length + 1)) // may be a write in progress
    expect(names).toContain(other.slice(dir.length + 1)) // not ours
  })

  it.each([
    ['a regular file is the store folder', (file: string) => file],
    ['the store folder is under a regular file', (file: string) => join(file, 'store')]
  ])('is a StoreError with a plain message when %s', (_label, where) => {
    const file = join(dir, 'blocker')
    writeFileSync(file, 'x')
    const storeDir = where(file)
    let error: unknown
    try {
      openJsonFileStorage(storeDir, () => {})
    } catch (caught) {
      error = caught
    }
    expect(error).toBeInstanceOf(StoreError)
    const message = (error as StoreError).message
    expect(message).toBe(`Cannot use the store in ${storeDir}: a file is in the way`)
    expect(message).not.toContain('\n')
    expect(message).not.toMatch(/\bat .*:\d+:\d+/)
    expect(readFileSync(file, 'utf8')).toBe('x')
  })
})
