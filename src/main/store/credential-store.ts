// The client identifier and the token with its account summary. Where they live is injected:
// electron-store with safeStorage in the app, `conf` in a 0600 file for the headless command.

import { randomUUID } from 'node:crypto'
import type { PlexAccount } from '../plex/plex-client'

/** The slice of electron-store / conf this store uses. */
export interface KeyValueStorage {
  get(key: string): unknown
  set(key: string, value: unknown): void
  delete(key: string): void
}

/** How the token is kept at rest: encrypted by safeStorage in the app, as is in a 0600 file. */
export interface TokenCodec {
  encode(token: string): string
  decode(stored: string): string | undefined // undefined: cannot be read back (e.g. another machine)
}

/** A store as an app opens it: where values go and how the token is kept. */
export interface OpenedStorage {
  storage: KeyValueStorage
  codec: TokenCodec
  tokenInPlainFile: boolean // the OS has no real keyring: the token sits as is in a 0600 file
}

export const plainTokenCodec: TokenCodec = {
  encode: (token) => token,
  decode: (stored) => stored
}

export interface StoredCredentials {
  token: string
  account: PlexAccount
  clientIdentifier?: string // the device the token was issued to (absent in older stores)
}

const CLIENT_ID_KEY = 'clientIdentifier'
const CREDENTIALS_KEY = 'credentials'

export class CredentialStore {
  constructor(
    private readonly storage: KeyValueStorage,
    private readonly codec: TokenCodec = plainTokenCodec,
    private readonly newId: () => string = randomUUID
  ) {}

  /** Made once, then reused for every plex.tv call forever (a new one would spam Authorized Devices). */
  clientIdentifier(): string {
    const stored = this.storage.get(CLIENT_ID_KEY)
    if (typeof stored === 'string' && stored.trim()) return stored
    const id = this.newId()
    this.storage.set(CLIENT_ID_KEY, id)
    return id
  }

  load(): StoredCredentials | undefined {
    const stored = this.storage.get(CREDENTIALS_KEY)
    if (!isRecord(stored) || typeof stored.token !== 'string' || !isAccount(stored.account))
      return undefined
    const token = this.codec.decode(stored.token)
    if (!token) return undefined
    const { clientIdentifier } = stored
    return {
      token,
      account: stored.account,
      ...(typeof clientIdentifier === 'string' && clientIdentifier ? { clientIdentifier } : {})
    }
  }

  save(token: string, account: PlexAccount, clientIdentifier?: string): void {
    this.storage.set(CREDENTIALS_KEY, {
      token: this.codec.encode(token),
      account,
      ...(clientIdentifier ? { clientIdentifier } : {})
    })
  }

  /** Throws if the store cannot be written: found out before a person approves, not after. */
  checkWritable(): void {
    this.storage.set(CLIENT_ID_KEY, this.clientIdentifier())
  }

  clear(): void {
    this.storage.delete(CREDENTIALS_KEY)
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function isAccount(value: unknown): value is PlexAccount {
  if (!isRecord(value) || typeof value.id !== 'number') return false
  return ['uuid', 'username', 'title', 'email', 'thumb'].every(
    (key) => typeof value[key] === 'string'
  )
}

/** Storage that lasts as long as the process: the app's fallback when its store is unusable. */
export function memoryStorage(): KeyValueStorage {
  const values = new Map<string, unknown>()
  return {
    get: (key) => values.get(key),
    set: (key, value) => void values.set(key, value),
    delete: (key) => void values.delete(key)
  }
}
