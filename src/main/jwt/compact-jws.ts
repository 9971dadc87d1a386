// JWTs in compact form (RFC 7515 §7.1) signed with Ed25519 (RFC 8037 `EdDSA`), on node:crypto
// alone: `sign(null, …)` is Ed25519 itself, and Buffer's 'base64url' is the unpadded alphabet
// JWS uses. Reading is strict: anything that is not exactly three base64url parts holding JSON
// objects is refused before any signature is checked.

import { sign, verify, type KeyObject } from 'node:crypto'

export type JsonObject = Record<string, unknown>

export interface DecodedJws {
  header: JsonObject
  payload: JsonObject
  signingInput: Buffer // what the signature covers: `header.payload` as sent
  signature: Buffer
}

// Far above any Plex JWT (about 600 characters); refuses garbage before parsing it.
export const MAX_JWT_LENGTH = 8192
const PART = /^[A-Za-z0-9_-]+$/
const ED25519_SIGNATURE_BYTES = 64

function encodePart(value: JsonObject): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url')
}

export function signJws(header: JsonObject, payload: JsonObject, privateKey: KeyObject): string {
  const input = `${encodePart({ ...header, alg: 'EdDSA' })}.${encodePart(payload)}`
  return `${input}.${sign(null, Buffer.from(input), privateKey).toString('base64url')}`
}

/** The parts of a compact JWS, or undefined if it is not one. Checks no signature. */
export function decodeJws(jwt: string): DecodedJws | undefined {
  if (jwt.length > MAX_JWT_LENGTH) return undefined
  const parts = jwt.split('.')
  if (parts.length !== 3 || !parts.every((part) => PART.test(part))) return undefined
  const [header, payload, signature] = parts as [string, string, string]
  const headerJson = parseObject(header)
  const payloadJson = parseObject(payload)
  if (!headerJson || !payloadJson) return undefined
  return {
    header: headerJson,
    payload: payloadJson,
    signingInput: Buffer.from(`${header}.${payload}`),
    signature: Buffer.from(signature, 'base64url')
  }
}

/** Whether `publicKey` (Ed25519) signed it. */
export function verifyEd25519(jws: DecodedJws, publicKey: KeyObject): boolean {
  if (jws.signature.length !== ED25519_SIGNATURE_BYTES) return false
  try {
    return verify(null, jws.signingInput, publicKey, jws.signature)
  } catch {
    return false // a key of another type
  }
}

function parseObject(part: string): JsonObject | undefined {
  try {
    const value: unknown = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'))
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as JsonObject)
      : undefined
  } catch {
    return undefined
  }
}
