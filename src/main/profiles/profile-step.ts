// The profile step the command and the window share: find the profile asked for, check the PIN,
// switch, and count wrong PINs. Five wrong PINs end the step for good (error `profile`) rather
// than let anyone keep guessing, or get the account locked by plex.tv; nothing here throws.

import { cleanText } from '../../shared/sanitize-text'
import type { PlexAccount } from '../plex/plex-client'
import type { ClientsOptions } from './clients-request'
import type { HomeProfile } from './home-users'
import { isProfilePin, switchProfile } from './switch-profile'

export const MAX_WRONG_PINS = 5

// The error codes of the JSON answer a failed step ends with.
export type ProfileErrorCode = 'profile' | 'rejected' | 'unavailable' | 'rate-limited'

export type ProfileLookup = { ok: true; profile: HomeProfile } | { ok: false; message: string }

export type ProfileChoice =
  | { kind: 'switched'; profile: HomeProfile; token: string; account?: PlexAccount }
  | { kind: 'pin-needed'; profile: HomeProfile; message: string } // ask (again); not counted
  | { kind: 'wrong-pin'; profile: HomeProfile; attemptsLeft: number; message: string }
  // final: the step is over (five wrong PINs); otherwise the caller may choose again or stop.
  | { kind: 'failed'; code: ProfileErrorCode; message: string; final: boolean }

export interface ProfileStep {
  readonly profiles: readonly HomeProfile[]
  /** By uuid or title; `pin` for a protected profile. Calls run one after the other. */
  choose(wanted: string, pin?: string): Promise<ProfileChoice>
}

/** A uuid matches exactly; otherwise a title, ignoring case. Two profiles with that title: error. */
export function findProfile(profiles: readonly HomeProfile[], wanted: string): ProfileLookup {
  const byUuid = profiles.find((profile) => profile.uuid === wanted)
  if (byUuid) return { ok: true, profile: byUuid }
  const name = foldCase(cleanText(wanted))
  const byTitle = profiles.filter((profile) => foldCase(profile.title) === name)
  const shown = cleanText(wanted, 64)
  if (byTitle.length === 1) return { ok: true, profile: byTitle[0] as HomeProfile }
  if (byTitle.length > 1) {
    const uuids = byTitle.map((profile) => profile.uuid).join(', ')
    return {
      ok: false,
      message: `Several Plex Home profiles are called "${shown}": choose one by its uuid (${uuids})`
    }
  }
  if (profiles.length === 0) return { ok: false, message: 'This Plex account has no Home profiles' }
  return { ok: false, message: `No Plex Home profile is called "${shown}"` }
}

export function createProfileStep(
  profiles: readonly HomeProfile[],
  options: ClientsOptions
): ProfileStep {
  let wrongPins = 0
  let finished: ProfileChoice | undefined
  // Profiles plex.tv asked a PIN for although the list did not mark them protected.
  const askedForPin = new Set<string>()
  let queue: Promise<unknown> = Promise.resolve()

  async function attempt(wanted: string, pin: string | undefined): Promise<ProfileChoice> {
    if (finished) return finished
    const found = findProfile(profiles, wanted)
    if (!found.ok) return { kind: 'failed', code: 'profile', message: found.message, final: false }
    const { profile } = found
    const needsPin = profile.protected || askedForPin.has(profile.uuid)
    if (needsPin && pin === undefined) {
      return { kind: 'pin-needed', profile, message: `${profile.title} is protected by a PIN` }
    }
    if (needsPin && !isProfilePin(pin as string)) {
      return { kind: 'pin-needed', profile, message: 'A profile PIN is 4 digits' }
    }
    const result = await switchProfile({
      ...options,
      uuid: profile.uuid,
      ...(needsPin ? { pin } : {})
    })
    if (result.ok) {
      finished = { kind: 'switched', profile, token: result.token, ...accountOf(result) }
      return finished
    }
    if (result.kind === 'wrong-pin') {
      if (!needsPin) {
        askedForPin.add(profile.uuid)
        return { kind: 'pin-needed', profile, message: `${profile.title} is protected by a PIN` }
      }
      wrongPins += 1
      if (wrongPins >= MAX_WRONG_PINS) {
        finished = {
          kind: 'failed',
          code: 'profile',
          message: `Wrong profile PIN ${MAX_WRONG_PINS} times; try again later`,
          final: true
        }
        return finished
      }
      const attemptsLeft = MAX_WRONG_PINS - wrongPins
      return {
        kind: 'wrong-pin',
        profile,
        attemptsLeft,
        message: `Wrong PIN for ${profile.title} (${attemptsLeft} ${attemptsLeft === 1 ? 'try' : 'tries'} left)`
      }
    }
    if (result.kind === 'rejected') {
      const message = `plex.tv refused to switch to ${profile.title}: ${result.message}`
      return { kind: 'failed', code: 'profile', message, final: false }
    }
    return { kind: 'failed', code: result.kind, message: result.message, final: false }
  }

  return {
    profiles,
    choose(wanted, pin) {
      const next = queue.then(() => attempt(wanted, pin))
      queue = next.catch(() => undefined)
      return next
    }
  }
}

function foldCase(text: string): string {
  return text.normalize('NFC').toLowerCase()
}

function accountOf(result: { account?: PlexAccount }): { account?: PlexAccount } {
  return result.account ? { account: result.account } : {}
}
