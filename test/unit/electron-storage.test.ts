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

import { safeStorage } from './electron-mock'
import { CredentialStore } from '../../src/main/store/credential-store'
import { openAppStorage, tokenIsEncryptable } from '../../src/main/store/electron-storage'
import type { PlexAccount } from '../../src/main/plex/plex-client'
import { TEST_ACCOUNT } from './fixtures'

const TOKEN = 'plex-token-3xZq9'
const ACCOUNT = TEST_ACCOUNT

let dir: string
let warnings: string[]
const warn = (message: string): void => void warnings.push(message)
const file = (): string => join(dir, 'plex-login.json')
const mode = (path: string): number => statSync(path).mode & 0o777
const onDisk = (): string => readFileSync(file(), 'utf8')

/** Runs `body` as if on `platform` (tokenIsEncryptable asks process.platform). */
function asPlatform<T>(platform: NodeJS.Platform, body: () => T): T {
  const original = Object.getOwnPropertyDescriptor(process, 'platform')
  if (!original) throw new Error('process.platform has no descriptor')
  Object.defineProperty(process, 'platform', { ...original, value: platform })
  try {
    return body()
  } finally {
    Object.defineProperty(process, 'platform', original)
  }
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'plex-login-electron-'))
  warnings = []
  safeStorage.available = true
  safeStorage.backend = 'gnome_libsecret'
})
afterEach(() => {
  rmSync(dir, { recursive: true, force: true })
})

describe('tokenIsEncryptable', () => {
  it('needs safeStorage encryption, and on Linux a real keyring rather than basic_text', () => {
    expect(asPlatform('linux', tokenIsEncryptable)).toBe(true)
    safeStorage.backend = 'kwallet5'
    expect(asPlatform('linux', tokenIsEncryptable)).toBe(true)
    safeStorage.backend = 'basic_text'
    expect(asPlatform('linux', tokenIsEncryptable)).toBe(false)
    // basic_text is a Linux name; elsewhere the OS keyring is what safeStorage uses.
    expect(asPlatform('darwin', tokenIsEncryptable)).toBe(true)
    safeStorage.available = false
    safeStorage.backend = 'gnome_libsecret'
    expect(asPlatform('linux', tokenIsEncryptable)).toBe(false)
    expect(asPlatform('win32', tokenIsEncryptable)).toBe(false)
  })
})

describe('openAppStorage with a keyring', () => {
  it('keeps the token encrypted in plex-login.json and reads it back', () => {
    const opened = asPlatform('linux', () => openAppStorage(dir, warn))
    expect(opened.tokenInPlainFile).toBe(false)
    const store = new CredentialStore(opened.storage, opened.codec, () => 'client-1')
    expect(store.clientIdentifier()).toBe('client-1')
    store.save(TOKEN, ACCOUNT)

    expect(readdirSync(dir)).toEqual(['plex-login.json'])
    expect(mode(file())).toBe(0o600)
    const text = onDisk()
    expect(text).not.toContain(TOKEN)
    expect(text).not.toContain([...TOKEN].reverse().join('')) // not merely reversed either
    const saved = JSON.parse(text) as { credentials: { token: string; account: PlexAccount } }
    expect(saved.credentials.token).toMatch(/^safe:[A-Za-z0-9+/]+=*$/)
    expect(saved.credentials.account).toEqual(ACCOUNT)

    expect(store.load()).toEqual({ token: TOKEN, account: ACCOUNT })
    // A later run reads what this one wrote.
    const again = openAppStorage(dir, warn)
    expect(new CredentialStore(again.storage, again.codec).load()).toEqual({
      token: TOKEN,
      account: ACCOUNT
    })
    expect(new CredentialStore(again.storage, again.codec).clientIdentifier()).toBe('client-1')
    expect(warnings).toEqual([])
  })

  it('gives no token, rather than an error, for one encrypted elsewhere', () => {
    const foreign = Buffer.from('encrypted by another machine').toString('base64')
    writeFileSync(
      file(),
      JSON.stringify({
        clientIdentifier: 'c',
        credentials: { token: `safe:${foreign}`, account: ACCOUNT }
      })
    )
    const opened = openAppStorage(dir, warn)
    const store = new CredentialStore(opened.storage, opened.codec)
    expect(() => store.load()).not.toThrow()
    expect(store.load()).toBeUndefined() // sign in again
    expect(store.clientIdentifier()).toBe('c')
  })

  it('gives no token when the keyring that encrypted it is gone', () => {
    const first = openAppStorage(dir, warn)
    new CredentialStore(first.storage, first.codec).save(TOKEN, ACCOUNT)
    safeStorage.available = false
    const later = openAppStorage(dir, warn)
    expect(later.tokenInPlainFile).toBe(true)
    expect(new CredentialStore(later.storage, later.codec).load()).toBeUndefined()
  })

  it('still reads a token kept as is by a run without a keyring', () => {
    safeStorage.available = false
    const first = openAppStorage(dir, warn)
    new CredentialStore(first.storage, first.codec).save(TOKEN, ACCOUNT)
    safeStorage.available = true
    const later = openAppStorage(dir, warn)
    expect(later.tokenInPlainFile).toBe(false)
    expect(new CredentialStore(later.storage, later.codec).load()).toEqual({
      token: TOKEN,
      account: ACCOUNT
    })
  })
})

describe('openAppStorage without a real keyring', () => {
  function expectTokenAsIs(opened: ReturnType<typeof openAppStorage>): void {
    expect(opened.tokenInPlainFile).toBe(true)
    const store = new CredentialStore(opened.storage, opened.codec)
    store.save(TOKEN, ACCOUNT)
    expect(mode(file())).toBe(0o600)
    const saved = JSON.parse(onDisk()) as { credentials: { token: string } }
    expect(saved.credentials.token).toBe(TOKEN)
    expect(store.load()).toEqual({ token: TOKEN, account: ACCOUNT })
  }

  it("keeps the token as is in a 0600 file with Linux's basic_text backend", () => {
    safeStorage.backend = 'basic_text'
    expectTokenAsIs(asPlatform('linux', () => openAppStorage(dir, warn)))
  })

  it('keeps the token as is in a 0600 file when encryption is unavailable', () => {
    safeStorage.available = false
    expectTokenAsIs(openAppStorage(dir, warn))
  })

  it('makes a file that existed with looser rights 0600 again', () => {
    safeStorage.available = false
    writeFileSync(file(), '{}')
    chmodSync(file(), 0o644)
    expectTokenAsIs(openAppStorage(dir, warn))
  })
})

describe('openAppStorage with a corrupt store', () => {
  it('moves the file aside with one warning and starts a fresh store', () => {
    writeFileSync(file(), '{"clientIdentifier": "c", "credentials": ')
    const opened = openAppStorage(dir, warn)
    expect(warnings).toHaveLength(1)
    const aside = readdirSync(dir).filter((name) => name.startsWith('plex-login.json.corrupt-'))
    expect(aside).toHaveLength(1)
    expect(warnings[0]).toContain(join(dir, aside[0] ?? ''))
    expect(readFileSync(join(dir, aside[0] ?? ''), 'utf8')).toBe(
      '{"clientIdentifier": "c", "credentials": '
    )

    const store = new CredentialStore(opened.storage, opened.codec, () => 'fresh')
    expect(store.load()).toBeUndefined()
    expect(store.clientIdentifier()).toBe('fresh')
    store.save(TOKEN, ACCOUNT)
    expect(store.load()).toEqual({ token: TOKEN, account: ACCOUNT })
    expect(warnings).toHaveLength(1)
  })
})
