import {
  chmodSync,
  mkdtempSync,
  symlinkSync,
  readFileSync,
  readdirSync,
  rmSync,
  statSync,
  writeFileSync
} from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'

import { safeStorage } from './electron-mock'
import { CredentialStore, type OpenedStorage } from '../../src/main/store/credential-store'
import { openAppStorage, tokenIsEncryptable } from '../../src/main/store/electron-storage'
import type { PlexAccount } from '../../src/main/plex/plex-client'
import { TEST_ACCOUNT } from './fixtures'
import { storeProblemText, type StoreProblem } from '../../src/main/store/store-error'

const TOKEN = 'plex-token-3xZq9'
const ACCOUNT = TEST_ACCOUNT

let dir: string
let warnings: string[]
const warn = (problem: StoreProblem): void => void warnings.push(storeProblemText(problem))
const file = (): string => join(dir, 'plex-login.json')
const mode = (path: string): number => statSync(path).mode & 0o777
const onDisk = (): string => readFileSync(file(), 'utf8')

/** Runs `body` as if on `platform` (tokenIsEncryptable asks process.platform). */
async function asPlatform<T>(platform: NodeJS.Platform, body: () => Promise<T>): Promise<T> {
  const original = Object.getOwnPropertyDescriptor(process, 'platform')
  if (!original) throw new Error('process.platform has no descriptor')
  Object.defineProperty(process, 'platform', { ...original, value: platform })
  try {
    return await body()
  } finally {
    Object.defineProperty(process, 'platform', original)
  }
}

function storeOver(opened: OpenedStorage, newId?: () => string): CredentialStore {
  return new CredentialStore(opened.storage, { codec: opened.codec, ...(newId ? { newId } : {}) })
}

const storedToken = (): string =>
  (JSON.parse(onDisk()) as { credentials: { token: string } }).credentials.token

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'plex-login-electron-'))
  warnings = []
  safeStorage.available = true
  safeStorage.backend = 'gnome_libsecret'
  safeStorage.keyVersion = 1
})
afterEach(() => {
  rmSync(dir, { recursive: true, force: true })
})

describe('tokenIsEncryptable', () => {
  it('needs safeStorage encryption, and on Linux a real keyring rather than basic_text', async () => {
    expect(await asPlatform('linux', tokenIsEncryptable)).toBe(true)
    safeStorage.backend = 'kwallet5'
    expect(await asPlatform('linux', tokenIsEncryptable)).toBe(true)
    safeStorage.backend = 'basic_text'
    expect(await asPlatform('linux', tokenIsEncryptable)).toBe(false)
    // basic_text is a Linux name; elsewhere the OS keyring is what safeStorage uses.
    expect(await asPlatform('darwin', tokenIsEncryptable)).toBe(true)
    safeStorage.available = false
    safeStorage.backend = 'gnome_libsecret'
    expect(await asPlatform('linux', tokenIsEncryptable)).toBe(false)
    expect(await asPlatform('win32', tokenIsEncryptable)).toBe(false)
  })

  it('a keyring that fails to answer is no keyring', async () => {
    const failing = vi
      .spyOn(safeStorage, 'isAsyncEncryptionAvailable')
      .mockRejectedValue(new Error('the portal went away'))
    try {
      expect(await tokenIsEncryptable()).toBe(false)
    } finally {
      failing.mockRestore()
    }
  })
})

describe('openAppStorage', () => {
  it('asks nothing of the keyring until a token is kept or read', async () => {
    const asked = vi.spyOn(safeStorage, 'isAsyncEncryptionAvailable')
    try {
      const opened = openAppStorage(dir, warn)
      const store = storeOver(opened, () => 'client-1')
      expect(store.clientIdentifier()).toBe('client-1')
      expect(await store.load()).toBeUndefined() // nothing stored: nothing to decrypt
      expect(asked).not.toHaveBeenCalled()
      expect(await opened.tokenInPlainFile()).toBe(false)
      await store.save(TOKEN, ACCOUNT)
      expect(asked).toHaveBeenCalledTimes(1) // asked once, however often it is needed
    } finally {
      asked.mockRestore()
    }
  })
})

describe('openAppStorage with a keyring', () => {
  it('keeps the token encrypted in plex-login.json and reads it back', async () => {
    const opened = openAppStorage(dir, warn)
    expect(await asPlatform('linux', opened.tokenInPlainFile)).toBe(false)
    const store = storeOver(opened, () => 'client-1')
    expect(store.clientIdentifier()).toBe('client-1')
    await store.save(TOKEN, ACCOUNT)

    expect(readdirSync(dir)).toEqual(['plex-login.json'])
    expect(mode(file())).toBe(0o600)
    const text = onDisk()
    expect(text).not.toContain(TOKEN)
    expect(text).not.toContain([...TOKEN].reverse().join('')) // not merely reversed either
    const saved = JSON.parse(text) as { credentials: { token: string; account: PlexAccount } }
    expect(saved.credentials.token).toMatch(/^safe:[A-Za-z0-9+/]+=*$/)
    expect(saved.credentials.account).toEqual(ACCOUNT)

    expect(await store.load()).toEqual({ token: TOKEN, account: ACCOUNT })
    expect(await store.reEncrypt()).toBe(false) // already as it should be
    // A later run reads what this one wrote.
    const again = openAppStorage(dir, warn)
    expect(await storeOver(again).load()).toEqual({ token: TOKEN, account: ACCOUNT })
    expect(storeOver(again).clientIdentifier()).toBe('client-1')
    expect(warnings).toEqual([])
  })

  it('gives no token, rather than an error, for one encrypted elsewhere', async () => {
    const foreign = Buffer.from('encrypted by another machine').toString('base64')
    writeFileSync(
      file(),
      JSON.stringify({
        clientIdentifier: 'c',
        credentials: { token: `safe:${foreign}`, account: ACCOUNT }
      })
    )
    const store = storeOver(openAppStorage(dir, warn))
    expect(await store.load()).toBeUndefined() // sign in again
    expect(await store.reEncrypt()).toBe(false)
    expect(storedToken()).toBe(`safe:${foreign}`) // left as it was
    expect(store.clientIdentifier()).toBe('c')
  })

  it('gives no token when the keyring that encrypted it is gone', async () => {
    await storeOver(openAppStorage(dir, warn)).save(TOKEN, ACCOUNT)
    safeStorage.available = false
    const later = openAppStorage(dir, warn)
    expect(await later.tokenInPlainFile()).toBe(true)
    expect(await storeOver(later).load()).toBeUndefined()
  })

  it('a token kept as is by a run without a keyring is encrypted once there is one', async () => {
    safeStorage.available = false
    const first = openAppStorage(dir, warn)
    expect(await first.tokenInPlainFile()).toBe(true)
    await storeOver(first, () => 'client-1').save(TOKEN, ACCOUNT, 'client-1')
    expect(storedToken()).toBe(TOKEN)

    safeStorage.available = true
    const later = openAppStorage(dir, warn)
    expect(await later.tokenInPlainFile()).toBe(false)
    const store = storeOver(later)
    expect(await store.reEncrypt()).toBe(true)
    expect(onDisk()).not.toContain(TOKEN)
    expect(storedToken()).toMatch(/^safe:/)
    expect(mode(file())).toBe(0o600)
    // The same sign-in, only kept differently.
    expect(await store.load()).toEqual({
      token: TOKEN,
      account: ACCOUNT,
      clientIdentifier: 'client-1'
    })
    expect(await store.reEncrypt()).toBe(false)
  })

  it('a token encrypted with a key since rotated is encrypted again with the new key', async () => {
    await storeOver(openAppStorage(dir, warn)).save(TOKEN, ACCOUNT)
    const old = storedToken()
    safeStorage.keyVersion = 2
    const store = storeOver(openAppStorage(dir, warn))
    expect(await store.reEncrypt()).toBe(true)
    expect(storedToken()).not.toBe(old)
    expect(onDisk()).not.toContain(TOKEN)
    expect(await store.load()).toEqual({ token: TOKEN, account: ACCOUNT })
    expect(await store.reEncrypt()).toBe(false)
  })
})

describe('openAppStorage without a real keyring', () => {
  async function expectTokenAsIs(opened: OpenedStorage): Promise<void> {
    expect(await opened.tokenInPlainFile()).toBe(true)
    const store = storeOver(opened)
    await store.save(TOKEN, ACCOUNT)
    expect(mode(file())).toBe(0o600)
    expect(storedToken()).toBe(TOKEN)
    expect(await store.load()).toEqual({ token: TOKEN, account: ACCOUNT })
    expect(await store.reEncrypt()).toBe(false) // nothing to encrypt it with
    expect(storedToken()).toBe(TOKEN)
  }

  it("keeps the token as is in a 0600 file with Linux's basic_text backend", async () => {
    safeStorage.backend = 'basic_text'
    await asPlatform('linux', () => expectTokenAsIs(openAppStorage(dir, warn)))
  })

  it('keeps the token as is in a 0600 file when encryption is unavailable', async () => {
    safeStorage.available = false
    await expectTokenAsIs(openAppStorage(dir, warn))
  })

  it('makes a file that existed with looser rights 0600 again', async () => {
    safeStorage.available = false
    writeFileSync(file(), '{}')
    chmodSync(file(), 0o644)
    await expectTokenAsIs(openAppStorage(dir, warn))
  })
})

describe('openAppStorage with a corrupt store', () => {
  it('moves the file aside with one warning and starts a fresh store', async () => {
    writeFileSync(file(), '{"clientIdentifier": "c", "credentials": ')
    const opened = openAppStorage(dir, warn)
    expect(warnings).toHaveLength(1)
    const aside = readdirSync(dir).filter((name) => name.startsWith('plex-login.json.corrupt-'))
    expect(aside).toHaveLength(1)
    expect(warnings[0]).toContain(join(dir, aside[0] ?? ''))
    expect(readFileSync(join(dir, aside[0] ?? ''), 'utf8')).toBe(
      '{"clientIdentifier": "c", "credentials": '
    )
    expect(mode(join(dir, aside[0] ?? ''))).toBe(0o600)

    const store = storeOver(opened, () => 'fresh')
    expect(await store.load()).toBeUndefined()
    expect(store.clientIdentifier()).toBe('fresh')
    await store.save(TOKEN, ACCOUNT)
    expect(await store.load()).toEqual({ token: TOKEN, account: ACCOUNT })
    expect(warnings).toHaveLength(1)
  })
})

describe('openAppStorage with a store that is not a file of its own', () => {
  it.skipIf(process.platform === 'win32')(
    'refuses a symlink at plex-login.json and leaves its target untouched',
    () => {
      const target = join(dir, 'elsewhere.json')
      writeFileSync(target, '{"clientIdentifier": "theirs"}')
      chmodSync(target, 0o644)
      symlinkSync(target, file())
      expect(() => openAppStorage(dir, warn)).toThrow(/symbolic link; refusing to use it/)
      expect(readFileSync(target, 'utf8')).toBe('{"clientIdentifier": "theirs"}')
      expect(mode(target)).toBe(0o644)
    }
  )
})
