// For a JWT sign-in (issue 11): plex.tv lists the account's own servers with the account's Plex
// JWT as their accessToken, and media servers reject it (401). The server's own device token,
// from clients.plex.tv's devices list, is what a media server takes, so that one is handed over.

import { callClients, httpFailure, type ClientsOptions } from '../profiles/clients-request'
import { isRecord } from '../plex/plex-answer'
import { isHeaderToken } from '../plex/header-value'
import type { PlexResult } from '../plex/plex-client'
import { decodeJws } from '../jwt/compact-jws'

/** Whether a server's accessToken is a JWT (three base64url parts of JSON) rather than a token. */
export function isJwt(token: string): boolean {
  return decodeJws(token) !== undefined
}

/**
 * The device token plex.tv keeps for the server `machineIdentifier` (never a JWT), or null when
 * the list has none for it (shared servers are never in it).
 */
export async function serverDeviceToken(
  options: ClientsOptions,
  machineIdentifier: string
): Promise<PlexResult<{ token: string | null }>> {
  const answer = await callClients(options, 'GET', '/api/v2/devices')
  if (!answer.ok) return answer
  if (answer.status !== 200) return { ok: false, ...httpFailure(answer, options.now) }
  const devices = Array.isArray(answer.body)
    ? answer.body
    : isRecord(answer.body) && Array.isArray(answer.body.devices)
      ? answer.body.devices
      : undefined
  if (!devices) {
    return {
      ok: false,
      kind: 'unavailable',
      message: 'plex.tv sent a devices list this app does not understand'
    }
  }
  for (const device of devices) {
    // The server itself: another of the account's devices naming the same identifier is not it.
    if (!isRecord(device) || device.clientIdentifier !== machineIdentifier) continue
    if (typeof device.provides !== 'string' || !device.provides.split(',').includes('server'))
      continue
    const token = [device.token, device.accessToken].find(
      (value): value is string => typeof value === 'string' && isHeaderToken(value) && !isJwt(value)
    )
    if (token) return { ok: true, token }
  }
  return { ok: true, token: null }
}
