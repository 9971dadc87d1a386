// Every Plex JWT is checked before it is stored or handed over: signed (EdDSA) by one of the keys
// plex.tv publishes, issued by plex.tv, meant for plex.tv or this device, bound to this device's
// key (its `thumbprint`), and not expired. Whoever can answer in plex.tv's place (a proxy, a
// hostile network on a misconfigured origin) cannot slip in a token of their own.

import type { KeyObject } from 'node:crypto'
import { decodeJws, verifyEd25519 } from './compact-jws'
import { PLEX_AUDIENCE } from './device-jwt'

export const PLEX_ISSUER = 'plex.tv'
// Plex JWTs last 7 days; an expiry years away is no Plex JWT (and no date a Date can hold).
const MAX_VALIDITY_MS = 366 * 86_400_000
// plex.tv's clock and ours may differ a little; a JWT valid from minutes ahead is not ours to use.
const CLOCK_SKEW_MS = 5 * 60_000

export interface VerifyOptions {
  keys: readonly KeyObject[] // plex.tv's, from /api/v2/auth/keys
  kid: string // our device key's thumbprint
  clientIdentifier: string
  nowMs: number
}

export type VerifiedJwt = { ok: true; expiresAt: number } | { ok: false; reason: string }

export function verifyPlexJwt(jwt: string, options: VerifyOptions): VerifiedJwt {
  const fail = (reason: string): VerifiedJwt => ({ ok: false, reason })
  const jws = decodeJws(jwt)
  if (!jws) return fail('it is not a JWT')
  // Only EdDSA: `none`, HMAC with a public key as secret, and the rest are refused outright.
  if (jws.header.alg !== 'EdDSA') return fail('it is not signed with EdDSA')
  // RFC 7515 §4.1.11: a header naming extensions that must be understood is refused here.
  if (jws.header.crit !== undefined) return fail('it needs header extensions this app lacks')
  if (!options.keys.some((key) => verifyEd25519(jws, key)))
    return fail('it is not signed by any of plex.tv’s keys')
  const { iss, aud, exp, thumbprint } = jws.payload
  if (iss !== PLEX_ISSUER) return fail('it was not issued by plex.tv')
  const audiences = Array.isArray(aud) ? aud : [aud]
  if (!audiences.some((value) => value === PLEX_AUDIENCE || value === options.clientIdentifier))
    return fail('it is not meant for plex.tv or this device')
  if (thumbprint !== options.kid) return fail('it was issued for another device key')
  if (typeof exp !== 'number' || !Number.isFinite(exp)) return fail('it has no expiry')
  const expiresAt = exp * 1000
  if (expiresAt <= options.nowMs) return fail('it has expired')
  if (expiresAt > options.nowMs + MAX_VALIDITY_MS) return fail('its expiry is implausible')
  const { nbf } = jws.payload
  if (nbf !== undefined && (typeof nbf !== 'number' || nbf * 1000 > options.nowMs + CLOCK_SKEW_MS))
    return fail('it is not valid yet')
  return { ok: true, expiresAt }
}
