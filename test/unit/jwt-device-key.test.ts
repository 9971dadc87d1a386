// The device key as the store keeps it, and the device JWTs it signs for plex.tv.
import { createPublicKey, verify } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import {
  generateDeviceKey,
  parseDeviceKey,
  registeredJwk,
  serializeDeviceKey
} from '../../src/main/jwt/device-key'
import { decodeJws } from '../../src/main/jwt/compact-jws'
import { deviceJwt, JWT_SCOPE } from '../../src/main/jwt/device-jwt'

const NOW = Date.UTC(2026, 11, 1, 12, 0, 0)

describe('device key', () => {
  it('comes back from its stored text as the same key', () => {
    const key = generateDeviceKey()
    const text = serializeDeviceKey(key)
    expect(Object.keys(JSON.parse(text)).sort()).toEqual(['crv', 'd', 'kty', 'x'])
    const back = parseDeviceKey(text)!
    expect(back.kid).toBe(key.kid)
    expect(back.publicJwk).toEqual(key.publicJwk)
  })

  it.for([
    ['not JSON', 'nope'],
    ['not an object', '"x"'],
    [
      'another curve',
      '{"kty":"OKP","crv":"X25519","x":"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA","d":"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"}'
    ],
    [
      'no private part',
      '{"kty":"OKP","crv":"Ed25519","x":"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"}'
    ],
    [
      'a short d',
      '{"kty":"OKP","crv":"Ed25519","x":"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA","d":"AAAA"}'
    ]
  ])('refuses %s', ([, text]) => {
    expect(parseDeviceKey(text!)).toBeUndefined()
  })

  it('refuses an x that is not the public half of d', () => {
    const stored = JSON.parse(serializeDeviceKey(generateDeviceKey()))
    stored.x = generateDeviceKey().publicJwk.x
    expect(parseDeviceKey(JSON.stringify(stored))).toBeUndefined()
  })

  it('is registered as a public JWK only: no private part, the thumbprint as kid', () => {
    const key = generateDeviceKey()
    const jwk = registeredJwk(key)
    expect(jwk).toEqual({ ...key.publicJwk, kid: key.kid, alg: 'EdDSA', use: 'sig' })
    expect(jwk).not.toHaveProperty('d')
  })
})

describe('deviceJwt', () => {
  const key = generateDeviceKey()

  it('for a PIN poll: EdDSA with our kid; aud plex.tv, iss the client id, 5 minutes', () => {
    const jwt = deviceJwt({ key, clientIdentifier: 'jwt-device-1', nowMs: NOW })
    const jws = decodeJws(jwt)!
    expect(jws.header).toEqual({ kid: key.kid, typ: 'JWT', alg: 'EdDSA' })
    const iat = NOW / 1000
    expect(jws.payload).toEqual({ aud: 'plex.tv', iss: 'jwt-device-1', iat, exp: iat + 300 })
    const publicKey = createPublicKey({ key: { ...key.publicJwk }, format: 'jwk' })
    expect(verify(null, jws.signingInput, publicKey, jws.signature)).toBe(true)
  })

  it('for a refresh: also the nonce and the scope', () => {
    const jwt = deviceJwt({ key, clientIdentifier: 'jwt-device-1', nowMs: NOW + 999, nonce: 'n-1' })
    expect(decodeJws(jwt)!.payload).toMatchObject({
      nonce: 'n-1',
      scope: JWT_SCOPE,
      iat: NOW / 1000,
      iss: 'jwt-device-1'
    })
  })

  it('is plain compact JWS: three unpadded base64url parts', () => {
    const jwt = deviceJwt({ key, clientIdentifier: 'c', nowMs: NOW })
    expect(jwt).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{86}$/)
  })
})
