// The JWT sign-in (issue 11), kept apart from the classic one in the same store: a device of its
// own (client identifier and Ed25519 key) and the Plex JWT with its account. plex.tv ends a
// device's classic token once it issues that device a JWT, so nothing here ever reads or writes
// the classic sign-in or its client identifier. The private key and the JWT go through the
// store's codec, as the classic token does: encrypted by safeStorage in the app, as is in the
// command's 0600 file.

import { randomUUID } from 'node:crypto'
import { isHeaderToken } from '../plex/header-value'
import { DEFAULT_PLEX_URL, type PlexAccount } from '../plex/plex-client'
import {
  generateDeviceKey,
  parseDeviceKey,
  serializeDeviceKey,
  type DeviceKey
} from '../jwt/device-key'
import { isRecord } from '../plex/plex-answer'
import { StoreError, type StoreProblem } from './store-error'
import {
  isAccount,
  originOf,
  plainTokenCodec,
  type KeyValueStorage,
  type TokenCodec
} from './credential-store'

/** The device a JWT sign-in is issued to. */
export interface JwtDevice {
  clientIdentifier: string
  key: DeviceKey
}

export interface StoredJwtSignIn extends JwtDevice {
  token: string // the Plex JWT, verified when it was received
  expiresAt: number // epoch ms, its `exp`
  account: PlexAccount
}

export type StoredJwt =
  | { kind: 'none' }
  | { kind: 'elsewhere'; origin: string } // issued by another plex.tv origin: never sent here
  // `token`: still one this origin issued, that logout can revoke (only the rest is damaged)
  | { kind: 'damaged'; problem: StoreProblem; token?: string; clientIdentifier?: string }
  | { kind: 'stored'; signIn: StoredJwtSignIn }

export interface JwtStoreOptions {
  codec?: TokenCodec
  origin?: string
  newId?: () => string
  newKey?: () => DeviceKey
}

export const JWT_CLIENT_ID_KEY = 'jwtClientIdentifier'
export const JWT_DEVICE_KEY = 'jwtDeviceKey'
export const JWT_SIGN_IN_KEY = 'jwtSignIn'
// The plex.tv origin the device was made for: its key signs only for that origin, so a test or
// hostile --plex-url can never get a signature plex.tv would take.
export const JWT_DEVICE_ORIGIN_KEY = 'jwtDeviceOrigin'
const DAMAGED: StoreProblem = { kind: 'jwtDamaged' }

export class JwtStore {
  private readonly codec: TokenCodec
  private readonly origin: string
  private readonly newId: () => string
  private readonly newKey: () => DeviceKey

  constructor(
    private readonly storage: KeyValueStorage,
    options: JwtStoreOptions = {}
  ) {
    this.codec = options.codec ?? plainTokenCodec
    this.origin = new URL(options.origin ?? DEFAULT_PLEX_URL).origin
    this.newId = options.newId ?? randomUUID
    this.newKey = options.newKey ?? generateDeviceKey
  }

  /**
   * The JWT device of this origin: the stored one, or a new client identifier and key pair. A
   * device kept for another origin is never used here nor replaced (it is still registered
   * there), and neither is one whose key cannot be read now (the keyring refused, or it was
   * encrypted on another computer): both throw, and `logout --jwt` starts over.
   */
  async device(): Promise<JwtDevice> {
    for (;;) {
      const seen = this.storage.get(JWT_DEVICE_KEY)
      const keptFor = originOf(this.storage.get(JWT_DEVICE_ORIGIN_KEY))
      if (seen !== undefined && keptFor !== undefined && keptFor !== this.origin) {
        throw new StoreError({ kind: 'jwtDeviceElsewhere', origin: keptFor })
      }
      const existing = await this.readDevice()
      if (existing) return existing
      if (typeof seen === 'string' && keptFor !== undefined) {
        throw new StoreError({ kind: 'jwtKeyUnreadable' })
      }
      const key = this.newKey()
      const encoded = await this.codec.encode(serializeDeviceKey(key))
      const device = { clientIdentifier: this.newId(), key }
      // Under the store's lock: a run that made its own device meanwhile wins, and we use that.
      const claim = (): boolean => {
        if (this.storage.get(JWT_DEVICE_KEY) !== seen) return false
        this.storage.delete(JWT_SIGN_IN_KEY)
        this.storage.set(JWT_CLIENT_ID_KEY, device.clientIdentifier)
        this.storage.set(JWT_DEVICE_KEY, encoded)
        this.storage.set(JWT_DEVICE_ORIGIN_KEY, this.origin)
        return true
      }
      if (this.storage.exclusive?.(claim) ?? claim()) return device
    }
  }

  /** What is stored for this origin, and why it cannot be used if it cannot. */
  async inspect(): Promise<StoredJwt> {
    const stored = this.storage.get(JWT_SIGN_IN_KEY)
    if (stored === undefined) return { kind: 'none' }
    if (!isRecord(stored)) return { kind: 'damaged', problem: DAMAGED }
    const origin = originOf(stored.origin)
    if (!origin) return { kind: 'damaged', problem: DAMAGED }
    if (origin !== this.origin) return { kind: 'elsewhere', origin }
    if (typeof stored.token !== 'string') return { kind: 'damaged', problem: DAMAGED }
    const { token } = await this.codec.decode(stored.token)
    if (token === undefined) return { kind: 'none' } // encrypted elsewhere: sign in again
    if (!isHeaderToken(token)) return { kind: 'damaged', problem: DAMAGED }
    const clientIdentifier = this.storage.get(JWT_CLIENT_ID_KEY)
    const damaged: StoredJwt = {
      kind: 'damaged',
      problem: DAMAGED,
      token,
      ...(isClientIdentifier(clientIdentifier) ? { clientIdentifier } : {})
    }
    const { expiresAt, account, kid } = stored
    if (!isClientIdentifier(clientIdentifier) || stored.clientIdentifier !== clientIdentifier)
      return damaged
    if (typeof expiresAt !== 'number' || !Number.isFinite(expiresAt) || !isAccount(account))
      return damaged
    const device = await this.readDevice()
    if (!device || device.key.kid !== kid) return damaged
    return { kind: 'stored', signIn: { ...device, token, expiresAt, account } }
  }

  /** Keeps a verified Plex JWT issued to `device` (the stored device). */
  async save(
    device: JwtDevice,
    token: string,
    expiresAt: number,
    account: PlexAccount
  ): Promise<void> {
    const value = {
      token: await this.codec.encode(token),
      expiresAt,
      account,
      origin: this.origin,
      clientIdentifier: device.clientIdentifier,
      kid: device.key.kid
    }
    const write = (): void => {
      // The device was replaced meanwhile (another run found this one's key unreadable).
      if (this.storage.get(JWT_CLIENT_ID_KEY) !== device.clientIdentifier) {
        throw new StoreError({ kind: 'jwtDeviceReplaced' })
      }
      this.storage.set(JWT_SIGN_IN_KEY, value)
    }
    if (this.storage.exclusive) this.storage.exclusive(write)
    else write()
  }

  /** A refreshed JWT in place of the stored one, the rest of the sign-in as it is. */
  async replaceToken(signIn: StoredJwtSignIn, token: string, expiresAt: number): Promise<void> {
    await this.save(signIn, token, expiresAt, signIn.account)
  }

  /** Forgets the sign-in alone; the device stays (a new sign-in registers the same key). */
  forgetSignIn(): boolean {
    const present = this.storage.get(JWT_SIGN_IN_KEY) !== undefined
    if (present) this.storage.delete(JWT_SIGN_IN_KEY)
    return present
  }

  /**
   * Forgets the sign-in, the key and the client identifier; says whether a sign-in was kept.
   * A device kept for another origin is left alone: it is still registered there.
   */
  forgetDevice(): boolean {
    const forget = (): boolean => {
      const keptFor = originOf(this.storage.get(JWT_DEVICE_ORIGIN_KEY))
      if (keptFor !== undefined && keptFor !== this.origin) return false
      const present = this.forgetSignIn()
      for (const key of [JWT_DEVICE_KEY, JWT_CLIENT_ID_KEY, JWT_DEVICE_ORIGIN_KEY]) {
        if (this.storage.get(key) !== undefined) this.storage.delete(key)
      }
      return present
    }
    return this.storage.exclusive?.(forget) ?? forget()
  }

  /**
   * Writes the key and the JWT again as the codec writes them now (as for the classic token in
   * CredentialStore.reEncrypt), each only if it is still the one read. Says whether it wrote.
   */
  async reEncrypt(): Promise<boolean> {
    let wrote = false
    const keyText = this.storage.get(JWT_DEVICE_KEY)
    if (typeof keyText === 'string') {
      const encoded = await this.reEncoded(keyText)
      const rewrite = (): boolean => {
        if (encoded === undefined || this.storage.get(JWT_DEVICE_KEY) !== keyText) return false
        this.storage.set(JWT_DEVICE_KEY, encoded)
        return true
      }
      wrote = (this.storage.exclusive?.(rewrite) ?? rewrite()) || wrote
    }
    const signIn = this.storage.get(JWT_SIGN_IN_KEY)
    if (isRecord(signIn) && typeof signIn.token === 'string') {
      const before = signIn.token
      const encoded = await this.reEncoded(before)
      const rewrite = (): boolean => {
        const now = this.storage.get(JWT_SIGN_IN_KEY)
        if (encoded === undefined || !isRecord(now) || now.token !== before) return false
        this.storage.set(JWT_SIGN_IN_KEY, { ...now, token: encoded })
        return true
      }
      wrote = (this.storage.exclusive?.(rewrite) ?? rewrite()) || wrote
    }
    return wrote
  }

  private async reEncoded(stored: string): Promise<string | undefined> {
    const { token, reEncrypt } = await this.codec.decode(stored)
    return token !== undefined && reEncrypt ? this.codec.encode(token) : undefined
  }

  private async readDevice(): Promise<JwtDevice | undefined> {
    if (originOf(this.storage.get(JWT_DEVICE_ORIGIN_KEY)) !== this.origin) return undefined
    const clientIdentifier = this.storage.get(JWT_CLIENT_ID_KEY)
    const keyText = this.storage.get(JWT_DEVICE_KEY)
    if (!isClientIdentifier(clientIdentifier) || typeof keyText !== 'string') return undefined
    const { token: text } = await this.codec.decode(keyText)
    const key = text === undefined ? undefined : parseDeviceKey(text)
    return key && { clientIdentifier, key }
  }
}

function isClientIdentifier(value: unknown): value is string {
  return typeof value === 'string' && isHeaderToken(value, 128)
}
