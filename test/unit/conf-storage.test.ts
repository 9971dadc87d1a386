import {
  chmodSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  statSync,
  writeFileSync
} from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { openConfStorage, STORE_FILE_NAME } from '../../src/main/store/conf-storage'
import { StoreError } from '../../src/main/store/open-storage'
import { CredentialStore } from '../../src/main/store/credential-store'

let dir: string
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'plex-login-conf-'))
})
afterEach(() => {
  rmSync(dir, { recursive: true, force: true })
})

const mode = (file: string): number => statSync(file).mode & 0o777

function collect(): { warn: (message: string) => void; warnings: string[] } {
  const warnings: string[] = []
  return { warn: (message) => warnings.push(message), warnings }
}

describe('openConfStorage', () => {
  it('keeps values in plex-login.json, readable by its owner only', () => {
    const { warn, warnings } = collect()
    const storage = openConfStorage(dir, warn)
    expect(STORE_FILE_NAME).toBe('plex-login.json')
    expect(storage.get('clientIdentifier')).toBeUndefined()
    storage.set('clientIdentifier', 'abc')
    storage.set('credentials', { token: 't', account: { id: 1 } })
    const file = join(dir, 'plex-login.json')
    expect(readdirSync(dir)).toEqual(['plex-login.json'])
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

  it('reads back what an earlier run wrote', () => {
    const first = new CredentialStore(openConfStorage(dir, () => {}))
    const id = first.clientIdentifier()
    const account = { id: 1, uuid: 'u', username: 'a', title: 'A', email: 'e', thumb: '' }
    first.save('tok', account)
    const second = new CredentialStore(
      openConfStorage(dir, () => {}),
      undefined,
      () => 'other'
    )
    expect(second.clientIdentifier()).toBe(id)
    expect(second.load()).toEqual({ token: 'tok', account })
  })

  it('creates a missing store directory', () => {
    const nested = join(dir, 'a', 'b')
    const storage = openConfStorage(nested, () => {})
    storage.set('x', 1)
    expect(mode(join(nested, 'plex-login.json'))).toBe(0o600)
  })

  it('tightens a file that was left readable by others', () => {
    const file = join(dir, 'plex-login.json')
    writeFileSync(file, JSON.stringify({ clientIdentifier: 'abc' }))
    chmodSync(file, 0o644)
    const storage = openConfStorage(dir, () => {})
    expect(storage.get('clientIdentifier')).toBe('abc')
    storage.set('credentials', { token: 't' })
    expect(mode(file)).toBe(0o600)
  })

  it.each([
    ['broken JSON', '{"clientIdentifier": "abc", '],
    ['an empty file', ''],
    ['binary junk', '\u0000\u0001\u0002']
  ])('moves a corrupt store (%s) aside, keeps it, and starts afresh', (_label, content) => {
    const file = join(dir, 'plex-login.json')
    writeFileSync(file, content, { mode: 0o600 })
    const { warn, warnings } = collect()
    const storage = openConfStorage(dir, warn)

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
    expect(mode(file)).toBe(0o600)

    // the fresh store opens without any further warning
    openConfStorage(dir, warn)
    expect(warnings).toHaveLength(1)
  })

  it.each([
    ['a regular file is the store directory', (file: string) => file],
    ['the store directory is under a regular file', (file: string) => join(file, 'store')]
  ])('is a StoreError with a plain message when %s', (_label, where) => {
    const file = join(dir, 'blocker')
    writeFileSync(file, 'x')
    const storeDir = where(file)
    let error: unknown
    try {
      openConfStorage(storeDir, () => {})
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
