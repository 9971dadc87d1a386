// `plex-login profiles [--json]`: the Plex Home profiles of the stored sign-in, one a line on
// stderr and `{"ok":true,"profiles":[…]}` on stdout (`[]` when the account has no Home).

import type { DeviceInfo, PlexClient } from '../plex/plex-client'
import { listProfiles } from '../profiles/home-users'
import { profilesAnswer } from '../profiles/profile-json'
import type { CredentialStore } from '../store/credential-store'
import { isStoredSignIn, storedSignIn, type CommandOutcome } from './stored-sign-in'

export interface ListingOptions {
  client: PlexClient
  store: CredentialStore
  fetch: typeof fetch
  clientsUrl: string
  device: DeviceInfo
  say: (line: string) => void // a line on stderr
  signal: AbortSignal
}

export async function profilesCommand(options: ListingOptions): Promise<CommandOutcome> {
  const signedIn = await storedSignIn(options.client, options.store, options.say)
  if (!isStoredSignIn(signedIn)) return signedIn
  const listed = await listProfiles({
    fetch: options.fetch,
    clientsUrl: options.clientsUrl,
    token: signedIn.token,
    clientIdentifier: signedIn.clientIdentifier,
    device: options.device,
    signal: options.signal
  })
  if (!listed.ok) {
    const message = `Could not read the Plex Home profiles: ${listed.message}`
    return { ok: false, code: listed.kind, message }
  }
  if (listed.profiles.length === 0) options.say('This Plex account has no Home profiles')
  for (const profile of listed.profiles) {
    const notes = [
      profile.admin && 'admin',
      profile.restricted && 'managed',
      profile.protected && 'PIN'
    ].filter(Boolean)
    options.say(`${profile.title}  ${profile.uuid}${notes.length ? `  ${notes.join(', ')}` : ''}`)
  }
  return { ok: true, body: { profiles: profilesAnswer(listed.profiles).profiles } }
}
