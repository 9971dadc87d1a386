// Is someone signed in, and signing out. 401 is the only answer that means the token is dead;
// anything else (outage, rate limit, odd status) says nothing about it, so the token is kept.

import type { PlexClient, PlexFailure } from '../plex/plex-client'
import type { CredentialStore, StoredCredentials } from '../store/credential-store'

export type StatusResult =
  | ({ status: 'signed-in' } & StoredCredentials)
  | { status: 'signed-out' }
  | ({ status: 'unknown'; code: PlexFailure['kind']; message: string } & StoredCredentials)

export async function checkStatus(
  client: PlexClient,
  store: CredentialStore
): Promise<StatusResult> {
  const stored = store.load()
  if (!stored) return { status: 'signed-out' }
  const result = await client.getAccount(stored.token)
  if (result.ok) return { status: 'signed-in', ...stored, account: result.account }
  if (result.kind === 'rejected' && result.status === 401) {
    store.clear()
    return { status: 'signed-out' }
  }
  return { status: 'unknown', code: result.kind, message: result.message, ...stored }
}

export interface SignOutResult {
  wasSignedIn: boolean
  revoked: boolean // plex.tv confirmed the token no longer works
  message?: string
}

/** Revokes the token at plex.tv, then forgets it here whatever plex.tv answered. */
export async function signOut(client: PlexClient, store: CredentialStore): Promise<SignOutResult> {
  const stored = store.load()
  if (!stored) return { wasSignedIn: false, revoked: false }
  const result = await client.signOut(stored.token)
  store.clear()
  if (result.ok || (result.kind === 'rejected' && result.status === 401))
    return { wasSignedIn: true, revoked: true }
  return { wasSignedIn: true, revoked: false, message: result.message }
}
