// Switching to a Home profile: plex.tv answers with that profile's own plex.tv token (not a
// media server's). A wrong PIN is an answer of its own (403, code 1041) so the caller can ask
// again; the PIN only ever travels in the query of this one request, as Plex expects it.

import { cleanText } from '../../shared/sanitize-text'
import { isHeaderToken } from '../plex/header-value'
import type { PlexAccount } from '../plex/plex-client'
import { isRecord, plexErrorCode } from '../plex/plex-answer'
import {
  callClients,
  httpFailure,
  type ClientsFailure,
  type ClientsOptions
} from './clients-request'
import { httpsUrl, isProfileUuid } from './home-users'

export interface SwitchProfileOptions extends ClientsOptions {
  uuid: string
  pin?: string // only for a protected profile
}

export type SwitchResult =
  | { ok: true; token: string; account?: PlexAccount } // account: when the answer carries one
  | { ok: false; kind: 'wrong-pin'; message: string }
  | ({ ok: false } & ClientsFailure)

const WRONG_PIN_CODE = 1041
const NOT_UNDERSTOOD = 'plex.tv sent an answer this app does not understand'

/** A Plex Home PIN: exactly four digits. */
export function isProfilePin(pin: string): boolean {
  return /^[0-9]{4}$/.test(pin)
}

/** `POST {clients}/api/v2/home/users/{uuid}/switch[?pin=]` with the account token. */
export async function switchProfile(options: SwitchProfileOptions): Promise<SwitchResult> {
  const { uuid, pin } = options
  if (!isProfileUuid(uuid)) {
    return { ok: false, kind: 'rejected', status: 0, message: 'That is not a Plex Home profile id' }
  }
  if (pin !== undefined && !isProfilePin(pin)) {
    return { ok: false, kind: 'rejected', status: 0, message: 'A profile PIN is 4 digits' }
  }
  const answer = await callClients(
    options,
    'POST',
    `/api/v2/home/users/${encodeURIComponent(uuid)}/switch`,
    pin === undefined ? {} : { pin }
  )
  if (!answer.ok) return withoutPin(answer, pin)
  const { status, body } = answer
  if (status === 403 && plexErrorCode(body) === WRONG_PIN_CODE) {
    return { ok: false, kind: 'wrong-pin', message: 'That PIN is not the profile’s PIN' }
  }
  if (status < 200 || status > 299) {
    return { ok: false, ...withoutPin(httpFailure(answer, options.now), pin) }
  }
  // The token is sent as a header from now on: one that cannot be is no token.
  if (!isRecord(body) || typeof body.authToken !== 'string' || !isHeaderToken(body.authToken)) {
    return { ok: false, kind: 'unavailable', message: NOT_UNDERSTOOD }
  }
  const account = toAccount(body)
  return { ok: true, token: body.authToken, ...(account ? { account } : {}) }
}

// plex.tv's error text is passed on, and might echo what it was sent: never with the PIN in it.
function withoutPin<T extends { message: string }>(failure: T, pin: string | undefined): T {
  return pin ? { ...failure, message: failure.message.split(pin).join('••••') } : failure
}

// The rest of the answer has changed shape before (other clients read only authToken): the
// account is taken only when it reads as one; otherwise the caller asks /api/v2/user.
function toAccount(body: Record<string, unknown>): PlexAccount | undefined {
  const text = (key: string): string =>
    typeof body[key] === 'string' ? cleanText(body[key] as string) : ''
  const { id, uuid } = body
  const username = text('username')
  const title = text('title')
  if (typeof id !== 'number' || !Number.isSafeInteger(id) || id <= 0) return undefined
  if (typeof uuid !== 'string' || !isProfileUuid(uuid) || (!username && !title)) return undefined
  return {
    id,
    uuid,
    username: username || title,
    title: title || username,
    email: text('email'),
    thumb: httpsUrl(body.thumb) ?? ''
  }
}
