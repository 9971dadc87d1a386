// The Plex Home's users, the profiles a person may switch to after signing in. Read leniently:
// plex.tv leaves fields out and has changed their shapes, and one odd entry must not hide the
// others. Everything that may reach a terminal, the log or the window is cleaned here, once.

import { cleanText } from '../../shared/sanitize-text'
import type { PlexResult } from '../plex/plex-client'
import { isRecord } from '../plex/plex-answer'
import { callClients, httpFailure, type ClientsOptions } from './clients-request'

export interface HomeProfile {
  uuid: string
  title: string
  admin: boolean
  restricted: boolean // a managed user
  protected: boolean // switching to it takes the profile's 4-digit PIN
  thumb?: string // https only
}

/**
 * `GET {clients}/api/v2/home/users` with the account token. An empty list means there is no
 * profile step: no Home (404) or a Home of one.
 */
export async function listProfiles(
  options: ClientsOptions
): Promise<PlexResult<{ profiles: HomeProfile[] }>> {
  const answer = await callClients(options, 'GET', '/api/v2/home/users')
  if (!answer.ok) return answer
  if (answer.status === 404) return { ok: true, profiles: [] }
  if (answer.status < 200 || answer.status > 299) {
    return { ok: false, ...httpFailure(answer, options.now) }
  }
  const users = parseHomeUsers(answer.body)
  if (!users) {
    return {
      ok: false,
      kind: 'unavailable',
      message: 'plex.tv sent an answer this app does not understand'
    }
  }
  return { ok: true, profiles: users.length > 1 ? users : [] }
}

// Plex Home has room for 15; a list far longer is not a Home and would only flood a window.
const MAX_PROFILES = 100
const PROFILE_UUID = /^[A-Za-z0-9-]{1,64}$/
const MAX_THUMB_LENGTH = 2048

/** `{ users: [...] }` → the usable profiles; undefined when the answer is not that shape. */
export function parseHomeUsers(body: unknown): HomeProfile[] | undefined {
  if (!isRecord(body) || !Array.isArray(body.users)) return undefined
  const profiles: HomeProfile[] = []
  const seen = new Set<string>()
  for (const entry of body.users as unknown[]) {
    const profile = toProfile(entry)
    if (!profile || seen.has(profile.uuid)) continue
    seen.add(profile.uuid)
    profiles.push(profile)
    if (profiles.length === MAX_PROFILES) break
  }
  return profiles
}

function toProfile(entry: unknown): HomeProfile | undefined {
  if (!isRecord(entry)) return undefined
  const { uuid } = entry
  if (typeof uuid !== 'string' || !isProfileUuid(uuid)) return undefined
  const text = (key: string): string =>
    typeof entry[key] === 'string' ? cleanText(entry[key] as string) : ''
  const thumb = httpsUrl(entry.thumb)
  return {
    uuid,
    // Managed users often have no username; a profile without any name is still one to pick.
    title: text('title') || text('friendlyName') || text('username') || uuid,
    admin: flag(entry.admin),
    restricted: flag(entry.restricted),
    protected: flag(entry.protected),
    ...(thumb ? { thumb } : {})
  }
}

/** The uuid goes into a URL path and is what a choice is made by: short and plain, or nothing. */
export function isProfileUuid(uuid: string): boolean {
  return PROFILE_UUID.test(uuid)
}

// JSON gives booleans; the older XML API gave "1"/"0", which some answers still echo.
function flag(value: unknown): boolean {
  return value === true || value === 1 || value === '1'
}

/** A picture's address, only if it is a plain https one. */
export function httpsUrl(value: unknown): string | undefined {
  if (typeof value !== 'string' || value.length > MAX_THUMB_LENGTH) return undefined
  if (!/^[\x21-\x7e]+$/.test(value)) return undefined
  try {
    return new URL(value).protocol === 'https:' ? value : undefined
  } catch {
    return undefined
  }
}
