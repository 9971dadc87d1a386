// The client identifier and the token with its account summary, and the plex.tv origin that
// issued the token. Where they live is injected: the store file with safeStorage in the app,
// the same file with the token as is for the headless command.

import { randomUUID } from 'node:crypto'
import { DEFAULT_PLEX_URL, type PlexAccount } from '../plex/plex-client'
import { isHeaderToken } from '../plex/header-value'
import { StoreError, type StoreProblem } from './store-error'

/** Where the values live. */
export interface KeyValueStorage {
  get(key: string): unknown
  set(key: string, value: unknown): void
  delete(key: string): void
  // Storage other processes share: runs `body` while none of them changes it (gets inside see
  // the latest values). Storage of one process alone needs none.
  exclusive?<T>(body: () => T): T
}

/**
 * How the token is kept at rest: encrypted by safeStorage in the app, as is in a 0600 file.
 * Asynchronous: a keyring may first ask the person (Keychain, a locked wallet).
 */
export interface TokenCodec {
  encode(token: string): Promise<string>
  decode(stored: string): Promise<DecodedToken>
}

export interface DecodedToken {
  token?: string // absent: cannot be read back (encrypted on another machine, keyring gone)
  reEncrypt: boolean // kept in a form the codec no longer writes (as is, or with a rotated key)
}

/** A store as an app opens it: where values go and how the token is kept. */
export interface OpenedStorage {
  storage: KeyValueStorage
  codec: TokenCodec
  // Whether the OS has no real keyring, so a token sits as is in the 0600 file. Asks the
  // keyring, which may wait on a prompt: the app asks once its window is up.
  tokenInPlainFile(): Promise<boolean>
}

export const plainTokenCodec: TokenCodec = {
  encode: async (token) => token,
  decode: async (stored) => ({ token: stored, reEncrypt: false })
}

export interface StoredCredentials {
  token: string
  account: PlexAccount
  clientIdentifier?: string // the device the token was issued to (absent in older stores)
}

/** What the store holds for the origin it was opened for. */
export type StoredSignIn =
  | { kind: 'none' }
  | { kind: 'elsewhere'; origin: string } // issued by another plex.tv origin: never sent here
  // `token`: still a token this origin issued that can be revoked (only the rest is damaged)
  | { kind: 'damaged'; problem: StoreProblem; token?: string }
  | { kind: 'stored'; credentials: StoredCredentials }

export interface CredentialStoreOptions {
  codec?: TokenCodec
  origin?: string // the plex.tv origin in use; a token is only ever handed out for its own
  newId?: () => string
}

const CLIENT_ID_KEY = 'clientIdentifier'
const CREDENTIALS_KEY = 'credentials'
const DAMAGED_SIGN_IN: StoreProblem = { kind: 'signInDamaged' }

export class CredentialStore {
  private readonly codec: TokenCodec
  private readonly origin: string
  private readonly newId: () => string

  constructor(
    private readonly storage: KeyValueStorage,
    options: CredentialStoreOptions = {}
  ) {
    this.codec = options.codec ?? plainTokenCodec
    this.origin = new URL(options.origin ?? DEFAULT_PLEX_URL).origin
    this.newId = options.newId ?? randomUUID
  }

  /**
   * Made once, then reused for every plex.tv call forever (a new one would spam Authorized
   * Devices). Made under the store's lock, so that runs started together agree on one. A damaged
   * one is a StoreError, never silently replaced: the token was issued to it.
   */
  clientIdentifier(): string {
    const create = (): string => {
      const stored = this.storedClientIdentifier()
      if (stored) return stored
      const id = this.newId()
      this.storage.set(CLIENT_ID_KEY, id)
      return id
    }
    return this.storedClientIdentifier() ?? this.storage.exclusive?.(create) ?? create()
  }

  /** The usable sign-in for this origin, if there is one. */
  async load(): Promise<StoredCredentials | undefined> {
    const stored = await this.inspect()
    return stored.kind === 'stored' ? stored.credentials : undefined
  }

  /** What is stored, and why it cannot be used here if it cannot. */
  async inspect(): Promise<StoredSignIn> {
    const stored = this.storage.get(CREDENTIALS_KEY)
    if (stored === undefined) return { kind: 'none' }
    const damaged = (token?: string): StoredSignIn => ({
      kind: 'damaged',
      problem: DAMAGED_SIGN_IN,
      ...(token ? { token } : {})
    })
    if (!isRecord(stored)) return damaged()
    // Stores from before origins were recorded only ever held plex.tv's tokens.
    const origin = originOf(stored.origin ?? DEFAULT_PLEX_URL)
    if (!origin) return damaged()
    if (origin !== this.origin) return { kind: 'elsewhere', origin }
    if (typeof stored.token !== 'string') return damaged()
    const { token } = await this.codec.decode(stored.token)
    if (token === undefined) return { kind: 'none' } // encrypted elsewhere: sign in again
    if (!isHeaderToken(token)) return damaged()
    const { clientIdentifier } = stored
    if (clientIdentifier !== undefined && !isClientIdentifier(clientIdentifier))
      return damaged(token)
    if (!isAccount(stored.account)) return damaged(token)
    const credentials = { token, account: stored.account }
    return {
      kind: 'stored',
      credentials: clientIdentifier ? { ...credentials, clientIdentifier } : credentials
    }
  }

  async save(token: string, account: PlexAccount, clientIdentifier?: string): Promise<void> {
    this.storage.set(CREDENTIALS_KEY, {
      token: await this.codec.encode(token),
      account,
      origin: this.origin,
      ...(clientIdentifier ? { clientIdentifier } : {})
    })
  }

  /**
   * Writes the stored token again as the codec writes it now, if it is kept otherwise: as is
   * from a run without a keyring, or with a key since rotated. Whatever origin it is for, and
   * the rest of the sign-in as it is. Only if the token is still the one read: another run may
   * have replaced or removed it meanwhile. Says whether it wrote.
   */
  async reEncrypt(): Promise<boolean> {
    const before = this.storage.get(CREDENTIALS_KEY)
    if (!isRecord(before) || typeof before.token !== 'string') return false
    const { token, reEncrypt } = await this.codec.decode(before.token)
    if (token === undefined || !reEncrypt) return false
    const encoded = await this.codec.encode(token)
    const rewrite = (): boolean => {
      const now = this.storage.get(CREDENTIALS_KEY)
      if (!isRecord(now) || now.token !== before.token) return false
      this.storage.set(CREDENTIALS_KEY, { ...now, token: encoded })
      return true
    }
    return this.storage.exclusive?.(rewrite) ?? rewrite()
  }

  /** Throws if the store cannot be written: found out before a person approves, not after. */
  checkWritable(): void {
    this.storage.set(CLIENT_ID_KEY, this.clientIdentifier())
  }

  /** Forgets the sign-in, whatever shape it is in; says whether there was one to forget. */
  clear(): boolean {
    const present = this.storage.get(CREDENTIALS_KEY) !== undefined
    if (present) this.storage.delete(CREDENTIALS_KEY)
    return present
  }

  private storedClientIdentifier(): string | undefined {
    const stored = this.storage.get(CLIENT_ID_KEY)
    if (stored === undefined) return undefined
    if (isClientIdentifier(stored)) return stored
    throw new StoreError({ kind: 'clientIdDamaged' })
  }
}

function isClientIdentifier(value: unknown): value is string {
  return typeof value === 'string' && isHeaderToken(value)
}

export function originOf(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined
  try {
    return new URL(value).origin
  } catch {
    return undefined
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

export function isAccount(value: unknown): value is PlexAccount {
  if (!isRecord(value) || !Number.isSafeInteger(value.id)) return false
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
