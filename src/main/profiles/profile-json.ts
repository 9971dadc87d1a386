// The profile shapes programs read (issue 10 §2, exact): `plex-login profiles --json` and the
// `profile` a `login --profile` answer gains. Built field by field so nothing else (a thumb, a
// token) can slip into an answer, and in the documented key order.

import type { HomeProfile } from './home-users'

export interface ProfileJson {
  uuid: string
  title: string
  admin: boolean
  restricted: boolean
  protected: boolean
}

export function profileJson(profile: HomeProfile): ProfileJson {
  return {
    uuid: profile.uuid,
    title: profile.title,
    admin: profile.admin,
    restricted: profile.restricted,
    protected: profile.protected
  }
}

/** `profiles --json`: `[]` when the account has no Home (no profile step). */
export function profilesAnswer(profiles: readonly HomeProfile[]) {
  return { ok: true, profiles: profiles.map(profileJson) } as const
}

/** What a sign-in answer gains once it switched to a profile. */
export function chosenProfileJson(profile: HomeProfile): {
  uuid: string
  title: string
  restricted: boolean
} {
  return { uuid: profile.uuid, title: profile.title, restricted: profile.restricted }
}
