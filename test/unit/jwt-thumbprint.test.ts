// The key id: RFC 7638 thumbprint of the device's public JWK.
import { createPublicKey } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { jwkThumbprint } from '../../src/main/jwt/jwk-thumbprint'
import { generateDeviceKey } from '../../src/main/jwt/device-key'

describe('jwkThumbprint', () => {
  it('gives RFC 8037 appendix A.3’s thumbprint for its Ed25519 example key', () => {
    const jwk = {
      kty: 'OKP',
      crv: 'Ed25519',
      x: '11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo'
    } as const
    expect(jwkThumbprint(jwk)).toBe('kPrK_qmxVWaYVA9wwBF6Iuo3vVzz7TxHCTwXBygrS4k')
  })

  it('does not depend on the order the members come in', () => {
    const jwk = JSON.parse(
      '{"x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo","kty":"OKP","crv":"Ed25519"}'
    )
    expect(jwkThumbprint(jwk)).toBe('kPrK_qmxVWaYVA9wwBF6Iuo3vVzz7TxHCTwXBygrS4k')
  })

  it('is the kid of a new device key, over its own public key', () => {
    const key = generateDeviceKey()
    const x = createPublicKey(key.privateKey).export({ format: 'jwk' }).x
    expect(key.publicJwk).toEqual({ kty: 'OKP', crv: 'Ed25519', x })
    expect(key.kid).toBe(jwkThumbprint({ kty: 'OKP', crv: 'Ed25519', x: String(x) }))
    expect(key.kid).toMatch(/^[A-Za-z0-9_-]{43}$/)
    expect(generateDeviceKey().kid).not.toBe(key.kid)
  })
})
