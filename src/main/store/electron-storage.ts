// The app's storage: electron-store in the per-user data folder, the token encrypted with
// safeStorage. Where the OS offers no real keyring (no encryption, or Linux's basic_text
// backend), the token is kept as is in the same 0600 file and the window says so.

import ElectronStore from 'electron-store'
import { safeStorage } from 'electron'
import type { OpenedStorage } from './credential-store'
import { openStorageSafely } from './open-storage'

const ENCRYPTED_PREFIX = 'safe:'

export function tokenIsEncryptable(): boolean {
  if (!safeStorage.isEncryptionAvailable()) return false
  return process.platform !== 'linux' || safeStorage.getSelectedStorageBackend() !== 'basic_text'
}

function decode(stored: string): string | undefined {
  if (!stored.startsWith(ENCRYPTED_PREFIX)) return stored
  try {
    return safeStorage.decryptString(Buffer.from(stored.slice(ENCRYPTED_PREFIX.length), 'base64'))
  } catch {
    return undefined // encrypted elsewhere or the keyring changed: sign in again
  }
}

export function openAppStorage(directory: string, warn: (message: string) => void): OpenedStorage {
  const storage = openStorageSafely(
    directory,
    'plex-login',
    () =>
      new ElectronStore<Record<string, unknown>>({
        cwd: directory,
        name: 'plex-login',
        configFileMode: 0o600,
        clearInvalidConfig: false
      }),
    warn
  )
  const encrypted = tokenIsEncryptable()
  const encode = encrypted
    ? (token: string) => ENCRYPTED_PREFIX + safeStorage.encryptString(token).toString('base64')
    : (token: string) => token
  return { storage, codec: { encode, decode }, tokenInPlainFile: !encrypted }
}
