// The key id plex.tv is told: the RFC 7638 thumbprint of the device's public key. Anyone holding
// the public key computes the same id, and plex.tv puts it back into every Plex JWT as
// `thumbprint`, which is how a JWT is known to be ours.

import { createHash } from 'node:crypto'

export interface Ed25519PublicJwk {
  kty: 'OKP'
  crv: 'Ed25519'
  x: string // the 32-byte public key, base64url
}

/** SHA-256 over the required members in lexicographic order, no spaces (RFC 7638 §3; RFC 8037 §2). */
export function jwkThumbprint(jwk: Ed25519PublicJwk): string {
  const canonical = JSON.stringify({ crv: jwk.crv, kty: jwk.kty, x: jwk.x })
  return createHash('sha256').update(canonical).digest('base64url')
}
