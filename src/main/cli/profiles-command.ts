// `plex-login profiles [--json]`: the Plex Home profiles of the stored sign-in, one a line on
// stderr and `{"ok":true,"profiles":[…]}` on stdout (`[]` when the account has no Home).

import type { DeviceInfo, PlexClient } from '../plex/plex-client'
import { listProfiles } from '../profiles/home-users'
import { profilesAnswer } from '../profiles/profile-json'
import type { CredentialStore } from '../store/credential-store'
import type { Translator } from '../../shared/i18n/translator'
import { profileNotes } from './login-steps'
import { isStoredSignIn, storedSignIn, type CommandOutcome } from './stored-sign-in'
import { reasonWords } from '../../shared/reason-words'

export interface ListingOptions {
  client: PlexClient
  store: CredentialStore
  fetch: typeof fetch
  clientsUrl: string
  device: DeviceInfo
  say: (line: string) => void // a line on stderr
  t: Translator['t'] // stderr's language
  signal: AbortSignal
}

export async function profilesCommand(options: ListingOptions): Promise<CommandOutcome> {
  const { say, t } = options
  const signedIn = await storedSignIn(options.client, options.store, say, t)
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
    const text = t('cli.profiles.readFailed', { reason: reasonWords(listed.message, t) })
    return { ok: false, code: listed.kind, message, text }
  }
  if (listed.profiles.length === 0) say(t('cli.profiles.none'))
  for (const profile of listed.profiles) {
    const notes = profileNotes(profile, t)
    say(`${profile.title}  ${profile.uuid}${notes.length ? `  ${notes.join(', ')}` : ''}`)
  }
  return { ok: true, body: { profiles: profilesAnswer(listed.profiles).profiles } }
}
