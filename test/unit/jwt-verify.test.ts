// Every Plex JWT is verified before it is stored or handed over: each way one can be wrong.
import { createHmac, generateKeyPairSync, type KeyObject } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { signJws } from '../../src/main/jwt/compact-jws'
import { verifyPlexJwt } from '../../src/main/jwt/verify-plex-jwt'

const NOW = Date.UTC(2026, 11, 1, 12, 0, 0)
const plex = generateKeyPairSync('ed25519')
const rotated = generateKeyPairSync('ed25519')
const stranger = generateKeyPairSync('ed25519')
const KID = 'our-device-thumbprint'
const CLIENT = 'jwt-device-1'
const options = { keys: [plex.publicKey], kid: KID, clientIdentifier: CLIENT, nowMs: NOW }

function claims(extra: Record<string, unknown> = {}): Record<string, unknown> {
  const iat = NOW / 1000 - 10
  return {
    iss: 'plex.tv',
    aud: ['plex.tv', CLIENT],
    iat,
    exp: iat + 7 * 86_400,
    thumbprint: KID,
    user: { id: 1, username: 'someone' },
    ...extra
  }
}

const jwt = (extra?: Record<string, unknown>, key: KeyObject = plex.privateKey): string =>
  signJws({ kid: 'plex-1', typ: 'JWT' }, claims(extra), key)

const b64 = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url')

describe('verifyPlexJwt', () => {
  it('accepts a Plex JWT for this device and says when it expires', () => {
    expect(verifyPlexJwt(jwt(), options)).toEqual({
      ok: true,
      expiresAt: (NOW / 1000 - 10 + 7 * 86_400) * 1000
    })
  })

  it('accepts any of plex.tv’s published keys (they rotate)', () => {
    const keys = [rotated.publicKey, plex.publicKey]
    expect(verifyPlexJwt(jwt({}, plex.privateKey), { ...options, keys }).ok).toBe(true)
  })

  it('accepts a JWT valid from a moment ago, or from within the clocks’ skew', () => {
    expect(verifyPlexJwt(jwt({ nbf: NOW / 1000 - 10 }), options).ok).toBe(true)
    expect(verifyPlexJwt(jwt({ nbf: NOW / 1000 + 60 }), options).ok).toBe(true)
  })

  it('accepts aud as a single string, plex.tv or this client', () => {
    expect(verifyPlexJwt(jwt({ aud: 'plex.tv' }), options).ok).toBe(true)
    expect(verifyPlexJwt(jwt({ aud: CLIENT }), options).ok).toBe(true)
  })

  const refused: [string, () => string, RegExp][] = [
    [
      'signed by a key plex.tv does not publish',
      () => jwt({}, stranger.privateKey),
      /plex\.tv’s keys/
    ],
    ['issued by someone else', () => jwt({ iss: 'evil.example' }), /not issued by plex\.tv/],
    ['without an issuer', () => jwt({ iss: undefined }), /not issued by plex\.tv/],
    ['for another audience', () => jwt({ aud: ['other.example', 'other-client'] }), /not meant/],
    ['for another device key', () => jwt({ thumbprint: 'someone-elses' }), /another device key/],
    ['without a thumbprint', () => jwt({ thumbprint: undefined }), /another device key/],
    ['expired', () => jwt({ exp: NOW / 1000 - 1 }), /expired/],
    ['expiring right now', () => jwt({ exp: NOW / 1000 }), /expired/],
    ['without exp', () => jwt({ exp: undefined }), /no expiry/],
    ['with exp as a string', () => jwt({ exp: String(NOW / 1000 + 60) }), /no expiry/],
    ['with an absurd exp', () => jwt({ exp: 1e300 }), /implausible/],
    ['not valid before an hour from now', () => jwt({ nbf: NOW / 1000 + 3600 }), /not valid yet/],
    ['with nbf as a string', () => jwt({ nbf: String(NOW / 1000) }), /not valid yet/],
    [
      'with a critical header extension',
      () => signJws({ kid: 'plex-1', crit: ['exp-ext'], 'exp-ext': 1 }, claims(), plex.privateKey),
      /header extensions/
    ],
    ['alg none', () => `${b64({ alg: 'none' })}.${b64(claims())}.`, /not a JWT/],
    [
      'alg none with a signature',
      () => `${b64({ alg: 'none' })}.${b64(claims())}.${'A'.repeat(86)}`,
      /EdDSA/
    ],
    [
      'HS256 keyed with a public key',
      () => {
        const input = `${b64({ alg: 'HS256' })}.${b64(claims())}`
        const secret = plex.publicKey.export({ format: 'jwk' }).x!
        return `${input}.${createHmac('sha256', secret).update(input).digest('base64url')}`
      },
      /EdDSA/
    ],
    [
      'a payload changed after signing',
      () => {
        const [header, , signature] = jwt().split('.')
        return `${header}.${b64(claims({ user: { id: 2 } }))}.${signature}`
      },
      /plex\.tv’s keys/
    ],
    ['garbage', () => 'not a jwt', /not a JWT/],
    ['empty', () => '', /not a JWT/],
    ['four parts', () => `${jwt()}.extra`, /not a JWT/],
    ['padding', () => `${jwt()}=`, /not a JWT/],
    ['a JSON array as payload', () => `${b64({ alg: 'EdDSA' })}.${b64([1])}.AAAA`, /not a JWT/],
    ['huge', () => `${b64({ alg: 'EdDSA' })}.${'A'.repeat(10_000)}.AAAA`, /not a JWT/]
  ]
  it.for(refused)('refuses a JWT %s', ([, make, reason]) => {
    const result = verifyPlexJwt(make!(), options)
    expect(result.ok).toBe(false)
    expect(result.ok ? '' : result.reason).toMatch(reason!)
  })

  it('refuses everything when plex.tv published no key', () => {
    expect(verifyPlexJwt(jwt(), { ...options, keys: [] }).ok).toBe(false)
  })
})
