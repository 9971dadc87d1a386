// The app's storage: the store file in the per-user data folder (the file electron-store kept
// before, read as it was), the token encrypted with safeStorage. Where the OS offers no real
// keyring (no encryption, or Linux's basic_text backend), the token is kept as is in the same
// 0600 file and the window says so; once a keyring is there, that token is encrypted.
// Only safeStorage's asynchronous API: the synchronous one blocks the main thread while a
// keyring prompt waits (and is gone in Electron 46). Opening asks nothing of the keyring; the
// first encode, decode or tokenInPlainFile() does, once.

import { safeStorage } from 'electron'
import type { OpenedStorage, TokenCodec } from './credential-store'
import { openJsonFileStorage } from './json-file-storage'
import type { StoreProblem } from './store-error'

const ENCRYPTED_PREFIX = 'safe:'

export async function tokenIsEncryptable(): Promise<boolean> {
  // A keyring that fails to answer is no keyring: the token is kept as is, and the window says so.
  const available = await safeStorage.isAsyncEncryptionAvailable().catch(() => false)
  if (!available) return false
  // Asked once the keyring has answered: before `ready` it only says "unknown".
  return process.platform !== 'linux' || safeStorage.getSelectedStorageBackend() !== 'basic_text'
}

function safeStorageCodec(encryptable: () => Promise<boolean>): TokenCodec {
  return {
    async encode(token) {
      if (!(await encryptable())) return token
      const encrypted = await safeStorage.encryptStringAsync(token)
      return ENCRYPTED_PREFIX + encrypted.toString('base64')
    },
    async decode(stored) {
      if (!stored.startsWith(ENCRYPTED_PREFIX))
        return { token: stored, reEncrypt: await encryptable() }
      const encrypted = Buffer.from(stored.slice(ENCRYPTED_PREFIX.length), 'base64')
      try {
        const { result, shouldReEncrypt } = await safeStorage.decryptStringAsync(encrypted)
        return { token: result, reEncrypt: shouldReEncrypt }
      } catch {
        return { reEncrypt: false } // encrypted elsewhere or the keyring changed: sign in again
      }
    }
  }
}

export function openAppStorage(
  directory: string,
  warn: (problem: StoreProblem) => void
): OpenedStorage {
  const storage = openJsonFileStorage(directory, warn)
  let asked: Promise<boolean> | undefined
  const encryptable = (): Promise<boolean> => (asked ??= tokenIsEncryptable())
  return {
    storage,
    codec: safeStorageCodec(encryptable),
    tokenInPlainFile: async () => !(await encryptable())
  }
}
