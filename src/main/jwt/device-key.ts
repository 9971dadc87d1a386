// The device's Ed25519 key pair: made once per store, its private half kept as a private JWK
// (the same text the app encrypts with safeStorage and the command keeps in its 0600 store), its
// public half sent to plex.tv with the thumbprint as key id.

import { createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto'
import { jwkThumbprint, type Ed25519PublicJwk } from './jwk-thumbprint'

export interface DeviceKey {
  readonly privateKey: KeyObject
  readonly publicJwk: Ed25519PublicJwk
  readonly kid: string // RFC 7638 thumbprint of publicJwk
}

/** The JWK plex.tv registers for the device (POST /api/v2/pins). */
export interface RegisteredJwk extends Ed25519PublicJwk {
  kid: string
  alg: 'EdDSA'
  use: 'sig'
}

const KEY_PART = /^[A-Za-z0-9_-]{43}$/ // 32 bytes, base64url without padding

export function generateDeviceKey(): DeviceKey {
  return deviceKeyOf(generateKeyPairSync('ed25519').privateKey)
}

function deviceKeyOf(privateKey: KeyObject): DeviceKey {
  const { x } = createPublicKey(privateKey).export({ format: 'jwk' })
  const publicJwk: Ed25519PublicJwk = { kty: 'OKP', crv: 'Ed25519', x: String(x) }
  return { privateKey, publicJwk, kid: jwkThumbprint(publicJwk) }
}

export function registeredJwk(key: DeviceKey): RegisteredJwk {
  return { ...key.publicJwk, kid: key.kid, alg: 'EdDSA', use: 'sig' }
}

/** The private key as the store keeps it (before the codec): a private JWK's JSON. */
export function serializeDeviceKey(key: DeviceKey): string {
  const { kty, crv, x, d } = key.privateKey.export({ format: 'jwk' })
  return JSON.stringify({ kty, crv, x, d })
}

/** The key back from the store, or undefined if the text is not an Ed25519 private JWK. */
export function parseDeviceKey(text: string): DeviceKey | undefined {
  let jwk: unknown
  try {
    jwk = JSON.parse(text)
  } catch {
    return undefined
  }
  if (typeof jwk !== 'object' || jwk === null) return undefined
  const { kty, crv, x, d } = jwk as Record<string, unknown>
  if (kty !== 'OKP' || crv !== 'Ed25519') return undefined
  if (typeof x !== 'string' || typeof d !== 'string' || !KEY_PART.test(x) || !KEY_PART.test(d))
    return undefined
  try {
    const key = deviceKeyOf(createPrivateKey({ key: { kty, crv, x, d }, format: 'jwk' }))
    // A stored x that does not belong to d would be registered, then never verify.
    return key.publicJwk.x === x ? key : undefined
  } catch {
    return undefined
  }
}

/** Plex's public key from /api/v2/auth/keys, if it is an Ed25519 one. */
export function ed25519PublicKey(jwk: unknown): KeyObject | undefined {
  if (typeof jwk !== 'object' || jwk === null) return undefined
  const { kty, crv, x } = jwk as Record<string, unknown>
  if (kty !== 'OKP' || crv !== 'Ed25519' || typeof x !== 'string' || !KEY_PART.test(x))
    return undefined
  try {
    return createPublicKey({ key: { kty, crv, x }, format: 'jwk' })
  } catch {
    return undefined
  }
}
