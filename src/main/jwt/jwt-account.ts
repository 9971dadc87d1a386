// The stored JWT sign-in as the commands use it: is it valid (status), a JWT valid for long enough
// (token, refreshing first when needed), and signing out (logout, which also forgets the key).
// A 401 is the only answer that ends a JWT; an outage or a rate limit keeps it.

import { systemClock } from '../login/login-flow'
import type { PlexAccount } from '../plex/plex-client'
import type { JwtStore, StoredJwtSignIn } from '../store/jwt-store'
import type { StoreProblem } from '../store/store-error'
import { JwtAuth, jwtFailure, type JwtFailure } from './jwt-auth'
import { jwtClient, type JwtClientOptions } from './jwt-sign-in'

export type JwtAccountOptions = JwtClientOptions & { store: JwtStore }

/** No usable JWT sign-in here, and why (as for the classic one). */
export interface NoJwtSignIn {
  status: 'signed-out'
  storedFor?: string // kept for another plex.tv origin, used only there
  problem?: StoreProblem // the stored one is damaged
}

export type JwtStatus =
  | {
      status: 'signed-in'
      token: string // the JWT plex.tv accepted (refreshed, if it answered 498 first)
      account: PlexAccount
      clientIdentifier: string
      expiresAt: number
    }
  | NoJwtSignIn
  | { status: 'unknown'; code: JwtFailure['kind']; message: string }

type Stored = { signIn: StoredJwtSignIn; auth: JwtAuth } | NoJwtSignIn

async function storedJwt(options: JwtAccountOptions): Promise<Stored> {
  const stored = await options.store.inspect()
  if (stored.kind === 'none') return { status: 'signed-out' }
  if (stored.kind === 'elsewhere') return { status: 'signed-out', storedFor: stored.origin }
  if (stored.kind === 'damaged') return { status: 'signed-out', problem: stored.problem }
  const { signIn } = stored
  const auth = new JwtAuth({
    client: jwtClient(options, signIn.clientIdentifier),
    store: options.store,
    clock: options.clock ?? systemClock,
    ...(options.signal ? { signal: options.signal } : {})
  })
  return { signIn, auth }
}

export async function checkJwtStatus(options: JwtAccountOptions): Promise<JwtStatus> {
  const stored = await storedJwt(options)
  if ('status' in stored) return stored
  const { signIn, auth } = stored
  const client = jwtClient(options, signIn.clientIdentifier)
  let token = signIn.token
  const result = await auth.withToken(signIn, (current) => {
    token = current
    return client.getAccount(current, options.signal)
  })
  if (result.ok) {
    const { clientIdentifier } = signIn
    // After a refresh the store holds the new expiry.
    const now = await options.store.inspect()
    const expiresAt =
      now.kind === 'stored' && now.signIn.token === token ? now.signIn.expiresAt : signIn.expiresAt
    return { status: 'signed-in', token, account: result.account, clientIdentifier, expiresAt }
  }
  if ('keyUnknown' in result && result.keyUnknown) return { status: 'signed-out' }
  if (result.kind === 'rejected' && result.status === 401) {
    options.store.forgetSignIn()
    return { status: 'signed-out' }
  }
  const failure = jwtFailure(result)
  return { status: 'unknown', code: failure.kind, message: failure.message }
}

const FRESH_SLACK_MS = 5 * 60_000

export type FreshJwt =
  | { ok: true; token: string; expiresAt: number; refreshed: boolean }
  | { ok: false; notSignedIn: NoJwtSignIn }
  | { ok: false; failure: JwtFailure }

/** A JWT of the stored sign-in valid for at least `minValidityMs`, refreshed first if needed. */
export async function freshJwt(
  options: JwtAccountOptions & { minValidityMs: number }
): Promise<FreshJwt> {
  const stored = await storedJwt(options)
  if ('status' in stored) return { ok: false, notSignedIn: stored }
  const now = (options.clock ?? systemClock).now()
  const { signIn, auth } = stored
  if (signIn.expiresAt - now >= options.minValidityMs) {
    return { ok: true, token: signIn.token, expiresAt: signIn.expiresAt, refreshed: false }
  }
  const refreshed = await auth.refresh()
  if (!refreshed.ok) return { ok: false, failure: jwtFailure(refreshed) }
  const { token, expiresAt } = refreshed.signIn
  // A JWT fresh from plex.tv counts as the 7 days asked for at most, give or take plex.tv's
  // clock and the whole seconds of `exp`.
  if (expiresAt - now < options.minValidityMs - FRESH_SLACK_MS) {
    const until = new Date(expiresAt).toISOString()
    const message = `plex.tv issued a JWT valid until ${until}, not as long as asked`
    return { ok: false, failure: { kind: 'unavailable', message } }
  }
  return { ok: true, token, expiresAt, refreshed: true }
}

export interface JwtSignOut {
  wasSignedIn: boolean // a JWT sign-in for this origin was kept and is now gone, key and all
  revoked: boolean // plex.tv confirmed the JWT no longer works
  message?: string // why it was not revoked
  storedFor?: string // kept for another origin: not sent here, not forgotten
}

/** Signs out at plex.tv, then forgets the sign-in, the key and the device whatever it answered. */
export async function signOutJwt(options: JwtAccountOptions): Promise<JwtSignOut> {
  const inspected = await options.store.inspect()
  if (inspected.kind === 'elsewhere')
    return { wasSignedIn: false, revoked: false, storedFor: inspected.origin }
  let result: { ok: boolean; kind?: string; status?: number; message?: string } | undefined
  if (inspected.kind === 'stored') {
    const stored = await storedJwt(options)
    if (!('status' in stored)) {
      const client = jwtClient(options, stored.signIn.clientIdentifier)
      result = await stored.auth.withToken(stored.signIn, (token) =>
        client.signOut(token, options.signal)
      )
    }
  } else if (inspected.kind === 'damaged' && inspected.token && inspected.clientIdentifier) {
    // Only the rest is damaged: the JWT is still revoked, under the device it was issued to.
    const { clientIdentifier, token } = inspected
    const client = jwtClient(options, clientIdentifier)
    result = await client.signOut(token, options.signal)
  }
  // A refresh may already have forgotten it (plex.tv no longer knew the key).
  const wasSignedIn = options.store.forgetDevice() || inspected.kind !== 'none'
  if (!wasSignedIn) return { wasSignedIn: false, revoked: false }
  if (result?.ok || (result?.kind === 'rejected' && result.status === 401))
    return { wasSignedIn: true, revoked: true }
  const message = result?.message ?? 'the stored JWT sign-in was damaged'
  return { wasSignedIn: true, revoked: false, message }
}
