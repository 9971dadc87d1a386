// Is someone signed in, and signing out. 401 is the only answer that means the token is dead;
// anything else (outage, rate limit, odd status) says nothing about it, so the token is kept.
// A token only ever goes to the plex.tv origin that issued it.

import type { PlexClient, PlexFailure } from '../plex/plex-client'
import type { CredentialStore, StoredCredentials } from '../store/credential-store'
import type { StoreProblem } from '../store/store-error'

export type StatusResult =
  | ({ status: 'signed-in' } & StoredCredentials)
  // storedFor: a sign-in is kept for another origin (left alone); problem: the stored one is
  // damaged (a store problem, not an outage)
  | { status: 'signed-out'; storedFor?: string; problem?: StoreProblem }
  | ({ status: 'unknown'; code: PlexFailure['kind']; message: string } & StoredCredentials)

export async function checkStatus(
  client: PlexClient,
  store: CredentialStore
): Promise<StatusResult> {
  const stored = await store.inspect()
  if (stored.kind === 'none') return { status: 'signed-out' }
  if (stored.kind === 'elsewhere') return { status: 'signed-out', storedFor: stored.origin }
  if (stored.kind === 'damaged') return { status: 'signed-out', problem: stored.problem }
  const { credentials } = stored
  const result = await client.getAccount(credentials.token)
  if (result.ok) return { status: 'signed-in', ...credentials, account: result.account }
  if (result.kind === 'rejected' && result.status === 401) {
    store.clear()
    return { status: 'signed-out' }
  }
  return { status: 'unknown', code: result.kind, message: result.message, ...credentials }
}

export interface SignOutResult {
  wasSignedIn: boolean // a sign-in for this origin was on disk and is now gone
  revoked: boolean // plex.tv confirmed the token no longer works
  message?: string // why it was not revoked
  storedFor?: string // a sign-in kept for another origin: not sent here, not forgotten
}

/**
 * Revokes the token at plex.tv, then forgets it here whatever plex.tv answered, and whatever
 * shape the stored sign-in is in. A token that cannot go into a header is forgotten unsent;
 * one issued by another origin is neither sent here nor forgotten (its own origin's logout is).
 */
export async function signOut(client: PlexClient, store: CredentialStore): Promise<SignOutResult> {
  const stored = await store.inspect()
  if (stored.kind === 'elsewhere')
    return { wasSignedIn: false, revoked: false, storedFor: stored.origin }
  const token =
    stored.kind === 'stored'
      ? stored.credentials.token
      : stored.kind === 'damaged'
        ? stored.token
        : undefined
  const result = token ? await client.signOut(token) : undefined
  if (!store.clear()) return { wasSignedIn: false, revoked: false }
  if (result?.ok || (result?.kind === 'rejected' && result.status === 401))
    return { wasSignedIn: true, revoked: true }
  const message = result
    ? result.message
    : stored.kind === 'damaged'
      ? 'the stored sign-in was damaged'
      : 'the stored token could not be read back'
  return { wasSignedIn: true, revoked: false, message }
}
