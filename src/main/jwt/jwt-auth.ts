// Keeping a JWT sign-in usable: every Plex JWT checked against plex.tv's published keys before it
// is kept, refreshes (nonce → signed device JWT → new Plex JWT) one at a time and within what
// plex.tv's rate limit asks, and one refresh-and-retry when a call answers 498 (expired).

import type { KeyObject } from 'node:crypto'
import type { Clock } from '../login/login-flow'
import type { PlexAuthCalls, PlexClient, PlexFailure, PlexResult } from '../plex/plex-client'
import type { JwtStore, StoredJwtSignIn } from '../store/jwt-store'
import { ed25519PublicKey } from './device-key'
import { deviceJwt } from './device-jwt'
import { verifyPlexJwt } from './verify-plex-jwt'

export type JwtClient = PlexClient & PlexAuthCalls

export interface JwtAuthOptions {
  client: JwtClient // on clients.plex.tv, with the JWT device's client identifier
  store: JwtStore
  clock: Clock
  signal?: AbortSignal
}

export type JwtFailure = Exclude<PlexFailure, { kind: 'expired' }> & {
  // plex.tv no longer knows this device's key: the sign-in and the key were forgotten
  keyUnknown?: boolean
}

export type Verified = { ok: true; expiresAt: number } | ({ ok: false } & JwtFailure)
export type Refreshed = { ok: true; signIn: StoredJwtSignIn } | ({ ok: false } & JwtFailure)

// plex.tv publishes a handful of keys (rotation); more than this is not plex.tv talking.
const MAX_PLEX_KEYS = 16
// A 429 asking for longer than this is a failure now, not a wait: the caller may try later.
export const MAX_RATE_LIMIT_WAIT_MS = 60_000
const DEFAULT_RATE_LIMIT_WAIT_MS = 2_000
const MAX_REFRESH_ATTEMPTS = 3
/** Answered by plex.tv for an expired JWT. */
export const JWT_EXPIRED_STATUS = 498

export class JwtAuth {
  private keys: Promise<PlexResult<{ keys: KeyObject[] }>> | undefined
  private refreshing: Promise<Refreshed> | undefined
  private notBefore = 0 // a 429 asked for quiet until then

  constructor(private readonly options: JwtAuthOptions) {}

  /** Whether `token` is a Plex JWT for this device, signed by plex.tv; and until when. */
  async verify(token: string, clientIdentifier: string, kid: string): Promise<Verified> {
    const keys = await this.plexKeys()
    if (!keys.ok) return { ok: false, ...jwtFailure(keys) }
    const verified = verifyPlexJwt(token, {
      keys: keys.keys,
      kid,
      clientIdentifier,
      nowMs: this.options.clock.now()
    })
    if (verified.ok) return verified
    return {
      ok: false,
      kind: 'rejected',
      status: 0,
      message: `plex.tv's answer is not a Plex JWT this app can trust: ${verified.reason}`
    }
  }

  /**
   * A new Plex JWT for the stored sign-in, verified and stored. Never two at once: a caller
   * asking while one is under way gets that one's result.
   */
  refresh(): Promise<Refreshed> {
    this.refreshing ??= this.runRefresh().finally(() => (this.refreshing = undefined))
    return this.refreshing
  }

  /**
   * Runs `call` with the stored JWT; on a 498 refreshes once and runs it again with the new one.
   */
  async withToken<T>(
    signIn: StoredJwtSignIn,
    call: (token: string) => Promise<PlexResult<T>>
  ): Promise<PlexResult<T> | ({ ok: false } & JwtFailure)> {
    const first = await call(signIn.token)
    if (first.ok || first.kind !== 'rejected' || first.status !== JWT_EXPIRED_STATUS) return first
    const refreshed = await this.refresh()
    if (!refreshed.ok) return refreshed
    return call(refreshed.signIn.token)
  }

  private async runRefresh(): Promise<Refreshed> {
    const { client, store, clock } = this.options
    const stored = await store.inspect()
    if (stored.kind !== 'stored') {
      return { ok: false, kind: 'rejected', status: 0, message: 'There is no JWT sign-in here' }
    }
    const { signIn } = stored
    let last: JwtFailure | undefined
    for (let attempt = 1; attempt <= MAX_REFRESH_ATTEMPTS; attempt++) {
      const waited = await this.waitForQuiet()
      if (!waited.ok) return waited
      const nonce = await client.getNonce(this.options.signal)
      const exchanged = nonce.ok
        ? await client.exchangeDeviceJwt(
            deviceJwt({
              key: signIn.key,
              clientIdentifier: signIn.clientIdentifier,
              nowMs: clock.now(),
              nonce: nonce.nonce
            }),
            this.options.signal
          )
        : nonce
      if (exchanged.ok) {
        const verified = await this.verify(exchanged.token, signIn.clientIdentifier, signIn.key.kid)
        if (!verified.ok) return verified
        await store.replaceToken(signIn, exchanged.token, verified.expiresAt)
        return {
          ok: true,
          signIn: { ...signIn, token: exchanged.token, expiresAt: verified.expiresAt }
        }
      }
      const failure = jwtFailure(exchanged)
      if (failure.kind !== 'rate-limited') {
        if (nonce.ok && failure.kind === 'rejected' && isKeyUnknown(failure.status)) {
          store.forgetDevice()
          return {
            ok: false,
            kind: 'rejected',
            status: failure.status,
            keyUnknown: true,
            message:
              `plex.tv no longer knows this device's key (${failure.message}); ` +
              'the JWT sign-in was forgotten: sign in again with login --jwt'
          }
        }
        return { ok: false, ...failure }
      }
      last = failure
      this.notBefore = clock.now() + (failure.retryAfterMs ?? DEFAULT_RATE_LIMIT_WAIT_MS)
    }
    return { ok: false, ...(last as JwtFailure) }
  }

  /** Waits out a 429's quiet period, if it is short enough to wait for. */
  private waitForQuiet(): Promise<{ ok: true } | ({ ok: false } & JwtFailure)> {
    const { clock, signal } = this.options
    const waitMs = this.notBefore - clock.now()
    if (waitMs <= 0) return Promise.resolve({ ok: true })
    if (waitMs > MAX_RATE_LIMIT_WAIT_MS) {
      const seconds = Math.ceil(waitMs / 1000)
      return Promise.resolve({
        ok: false,
        kind: 'rate-limited',
        message: `plex.tv is limiting refreshes; try again in ${seconds} s`,
        retryAfterMs: waitMs
      })
    }
    return new Promise((resolve) => {
      const done = (): void => {
        clock.clearTimeout(timer)
        signal?.removeEventListener('abort', stop)
        resolve(
          signal?.aborted
            ? { ok: false, kind: 'unavailable', message: 'The refresh was cancelled' }
            : { ok: true }
        )
      }
      const stop = (): void => done()
      const timer = clock.setTimeout(done, waitMs)
      signal?.addEventListener('abort', stop, { once: true })
    })
  }

  /** plex.tv's signing keys, read once (a rotation is rare; a new process reads them again). */
  private async plexKeys(): Promise<PlexResult<{ keys: KeyObject[] }>> {
    this.keys ??= this.options.client.getAuthKeys(this.options.signal).then((answer) => {
      if (!answer.ok) return answer
      const keys = answer.keys
        .slice(0, MAX_PLEX_KEYS)
        .map(ed25519PublicKey)
        .filter((key): key is KeyObject => key !== undefined)
      if (keys.length > 0) return { ok: true, keys }
      return { ok: false, kind: 'unavailable', message: 'plex.tv published no usable signing key' }
    })
    const keys = await this.keys
    if (!keys.ok) this.keys = undefined // a failure is not remembered: the next call asks again
    return keys
  }
}

/**
 * Refused by the token exchange for the key itself: 401 (the device is gone, as after a sign-out
 * or removal under Authorized Devices) or 422 (the signature does not verify with the key plex.tv
 * holds for this device). Anything else says nothing about the key, which is then kept.
 */
function isKeyUnknown(status: number): boolean {
  return status === 401 || status === 422
}

/** A failed call as a JwtFailure: only a PIN poll can say 'expired', and none happens here. */
export function jwtFailure(result: { ok: false } & PlexFailure): JwtFailure {
  if (result.kind === 'expired') return { kind: 'unavailable', message: result.message }
  const failure: JwtFailure & { ok?: false } = { ...result }
  delete failure.ok
  return failure
}
