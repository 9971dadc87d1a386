// The fake plex.tv's JWT sign-in (issue 11), with an Ed25519 signing key of its own: PINs that
// register a device's public JWK, polls and refreshes that must carry a device JWT signed with
// that key (iss = the device, aud = plex.tv, not expired; a refresh's nonce fresh and unused),
// Plex JWTs bound to the device key, plex.tv's public keys, and the devices list that holds
// server tokens. Errors as plex.tv documents them: 1097 when iss is not the device, 498 for an
// expired JWT, 422 for a bad signature, 429 on nonce bursts. Pass it as `jwt` to startFakePlex.

import {
  createPublicKey,
  generateKeyPairSync,
  randomUUID,
  sign,
  verify,
  type KeyObject
} from 'node:crypto'
import type { FakeRouteAnswer, FakeRouteHandler } from './fake-routes'

export interface FakeJwtUser {
  id: number
  uuid: string
  username: string
  title: string
  email: string
}

export interface FakeDeviceEntry {
  clientIdentifier: string // a server's machineIdentifier
  name: string
  token: string // the device token media servers take
}

export interface FakeJwtOptions {
  now?: () => number // the fake's clock (ms): JWT times and nonce freshness; default Date.now
  jwtLifetimeSeconds?: number // default 7 days, as plex.tv
  signWithUnknownKey?: boolean // sign Plex JWTs with a key /api/v2/auth/keys does not publish
  claims?: (claims: Record<string, unknown>) => Record<string, unknown> // tamper with Plex JWTs
  nonceLimit?: { max: number; windowMs: number; retryAfter?: string } // default 5 per minute
  nonceLifetimeMs?: number // default 5 minutes
  devices?: () => FakeDeviceEntry[] // GET /api/v2/devices
}

/** What a connected fake plex.tv lends the plug-in. */
export interface FakeJwtServer {
  user: FakeJwtUser
  addToken(token: string): void
}

export interface RegisteredDevice {
  clientIdentifier: string
  kid: string
  key: KeyObject
  jwk: Record<string, unknown>
}

export interface FakeJwt {
  readonly devices: Map<string, RegisteredDevice> // by client identifier
  readonly issued: string[] // every Plex JWT issued, in order
  readonly nonceRequests: number[] // when (fake clock) each nonce was asked for
  readonly refreshes: number // Plex JWTs issued by POST /api/v2/auth/token
  readonly publicJwk: Record<string, unknown> // the fake plex.tv's signing key
  expire(token: string): void // from now on this JWT answers 498
  signWithUnknownKey(on: boolean): void // as the option, from now on
  forgetDevice(clientIdentifier: string): void // as removing it under Authorized Devices
  // For startFakePlex:
  connect(server: FakeJwtServer): void
  createPin(
    body: string,
    clientIdentifier: string
  ): { jwk: Record<string, unknown>; strong: boolean } | FakeRouteAnswer | undefined
  poll(clientIdentifier: string, url: URL): FakeRouteAnswer | undefined
  issue(clientIdentifier: string): string
  checkToken(token: string | undefined): FakeRouteAnswer | undefined
  signedOut(token: string): void
  handler: FakeRouteHandler
}

const WEEK_S = 7 * 86_400
const B64URL = /^[A-Za-z0-9_-]+$/

function error(status: number, code: number, message: string): FakeRouteAnswer {
  return { status, body: { errors: [{ code, message, status }] } }
}

const EXPIRED = error(498, 1099, 'Token expired')
const BAD_SIGNATURE = error(422, 1098, 'Signature Verification Failed')
const ISSUER_MISMATCH = error(400, 1097, 'JWT issuer does not match the client identifier')
const UNKNOWN_DEVICE = error(401, 1001, 'User could not be authenticated')

function b64json(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url')
}

function parseJwt(
  jwt: string
):
  | { header: Record<string, unknown>; claims: Record<string, unknown>; input: string; sig: Buffer }
  | undefined {
  const parts = jwt.split('.')
  if (parts.length !== 3 || !parts.every((part) => B64URL.test(part))) return undefined
  try {
    const header = JSON.parse(Buffer.from(parts[0]!, 'base64url').toString('utf8'))
    const claims = JSON.parse(Buffer.from(parts[1]!, 'base64url').toString('utf8'))
    if (typeof header !== 'object' || typeof claims !== 'object' || !header || !claims)
      return undefined
    return {
      header,
      claims,
      input: `${parts[0]}.${parts[1]}`,
      sig: Buffer.from(parts[2]!, 'base64url')
    }
  } catch {
    return undefined
  }
}

export function createFakeJwt(options: FakeJwtOptions = {}): FakeJwt {
  const now = options.now ?? Date.now
  const signing = generateKeyPairSync('ed25519')
  const unknown = generateKeyPairSync('ed25519')
  const exported = signing.publicKey.export({ format: 'jwk' })
  const publicJwk = {
    kty: 'OKP',
    crv: 'Ed25519',
    x: exported.x,
    kid: 'fake-plex-1',
    alg: 'EdDSA',
    use: 'sig'
  }
  const devices = new Map<string, RegisteredDevice>()
  const issued: string[] = []
  const expired = new Set<string>()
  const nonces = new Map<string, { at: number; used: boolean }>()
  const nonceRequests: number[] = []
  const limit = options.nonceLimit ?? { max: 5, windowMs: 60_000 }
  const nonceLifetimeMs = options.nonceLifetimeMs ?? 5 * 60_000
  let refreshes = 0
  let server: FakeJwtServer | undefined
  let useUnknownKey = options.signWithUnknownKey ?? false

  function mint(device: RegisteredDevice): string {
    const user = server?.user
    const iat = Math.floor(now() / 1000)
    let claims: Record<string, unknown> = {
      iss: 'plex.tv',
      aud: ['plex.tv', device.clientIdentifier],
      iat,
      exp: iat + (options.jwtLifetimeSeconds ?? WEEK_S),
      thumbprint: device.kid,
      jti: randomUUID(),
      user: user && { id: user.id, uuid: user.uuid, username: user.username }
    }
    if (options.claims) claims = options.claims(claims)
    const input = `${b64json({ alg: 'EdDSA', kid: publicJwk.kid, typ: 'JWT' })}.${b64json(claims)}`
    const key = useUnknownKey ? unknown.privateKey : signing.privateKey
    const jwt = `${input}.${sign(null, Buffer.from(input), key).toString('base64url')}`
    issued.push(jwt)
    server?.addToken(jwt)
    return jwt
  }

  // A device JWT: signed with the device's registered key, iss = that device, aud plex.tv, not
  // expired; with `nonce`, carrying a nonce this fake handed out, unused and fresh.
  function checkDeviceJwt(
    jwt: string | null | undefined,
    clientIdentifier: string | undefined,
    needNonce: boolean
  ): RegisteredDevice | FakeRouteAnswer {
    const parsed = typeof jwt === 'string' ? parseJwt(jwt) : undefined
    if (!parsed) return error(400, 1000, 'A device JWT is required')
    const { iss, aud, exp, nonce } = parsed.claims
    if (iss !== clientIdentifier) return ISSUER_MISMATCH
    const device = clientIdentifier ? devices.get(clientIdentifier) : undefined
    if (!device) return UNKNOWN_DEVICE
    if (parsed.header.alg !== 'EdDSA' || parsed.header.kid !== device.kid) return BAD_SIGNATURE
    if (
      parsed.sig.length !== 64 ||
      !verify(null, Buffer.from(parsed.input), device.key, parsed.sig)
    )
      return BAD_SIGNATURE
    if (aud !== 'plex.tv') return error(400, 1000, 'JWT audience must be plex.tv')
    if (typeof exp !== 'number' || exp * 1000 <= now()) return EXPIRED
    if (needNonce) {
      const issuedNonce = typeof nonce === 'string' ? nonces.get(nonce) : undefined
      if (!issuedNonce || issuedNonce.used || now() - issuedNonce.at > nonceLifetimeMs)
        return error(400, 1000, 'Invalid or expired nonce')
      issuedNonce.used = true
    }
    return device
  }

  const fake: FakeJwt = {
    devices,
    issued,
    nonceRequests,
    get refreshes() {
      return refreshes
    },
    publicJwk,
    expire: (token) => void expired.add(token),
    signWithUnknownKey: (on) => void (useUnknownKey = on),
    forgetDevice: (clientIdentifier) => void devices.delete(clientIdentifier),
    connect(connected) {
      server = connected
    },

    createPin(body, clientIdentifier) {
      if (!body.trim()) return undefined
      let parsed: unknown
      try {
        parsed = JSON.parse(body)
      } catch {
        return error(400, 1000, 'The body is not JSON')
      }
      const { jwk, strong } = (parsed ?? {}) as Record<string, unknown>
      if (jwk === undefined) return undefined
      const { kty, crv, x, kid, alg } = (jwk ?? {}) as Record<string, unknown>
      if (kty !== 'OKP' || crv !== 'Ed25519' || alg !== 'EdDSA' || typeof kid !== 'string')
        return error(400, 1000, 'The JWK must be an Ed25519 (OKP, EdDSA) key with a kid')
      if (typeof x !== 'string' || !B64URL.test(x) || Buffer.from(x, 'base64url').length !== 32)
        return error(400, 1000, 'The JWK has no valid x')
      let key: KeyObject
      try {
        key = createPublicKey({ key: { kty, crv, x }, format: 'jwk' })
      } catch {
        return error(400, 1000, 'The JWK is not a public key')
      }
      for (const other of devices.values()) {
        if (other.kid === kid && other.clientIdentifier !== clientIdentifier)
          return error(422, 1000, 'Thumbprint Already Taken')
      }
      // Any kid is kept as sent, as plex.tv does (tests compare it with the RFC 7638 thumbprint).
      devices.set(clientIdentifier, {
        clientIdentifier,
        kid,
        key,
        jwk: jwk as Record<string, unknown>
      })
      return { jwk: jwk as Record<string, unknown>, strong: strong === true }
    },

    poll(clientIdentifier, url) {
      const checked = checkDeviceJwt(url.searchParams.get('deviceJWT'), clientIdentifier, false)
      return 'status' in checked ? checked : undefined
    },

    issue(clientIdentifier) {
      const device = devices.get(clientIdentifier)
      if (!device) throw new Error(`Fake plex.tv: no device key registered for ${clientIdentifier}`)
      return mint(device)
    },

    checkToken(token) {
      if (token === undefined || !issued.includes(token)) return undefined
      if (expired.has(token)) return EXPIRED
      const claims = parseJwt(token)?.claims
      if (typeof claims?.exp === 'number' && claims.exp * 1000 <= now()) return EXPIRED
      const aud = claims?.aud
      const device = Array.isArray(aud) ? devices.get(String(aud[1])) : undefined
      return device ? undefined : UNKNOWN_DEVICE
    },

    signedOut(token) {
      const claims = parseJwt(token)?.claims
      const aud = claims?.aud
      if (Array.isArray(aud)) devices.delete(String(aud[1]))
    },

    handler(request) {
      const { pathname } = request.url
      const clientIdentifier = request.headers['x-plex-client-identifier'] || undefined
      if (request.method === 'GET' && pathname === '/api/v2/auth/keys') {
        return { status: 200, body: { keys: [publicJwk] } }
      }
      if (request.method === 'GET' && pathname === '/api/v2/auth/nonce') {
        if (!clientIdentifier) return error(400, 1000, 'X-Plex-Client-Identifier is missing')
        const at = now()
        const recent = nonceRequests.filter((time) => at - time < limit.windowMs)
        nonceRequests.push(at)
        if (recent.length >= limit.max) {
          return {
            ...error(429, 1003, 'API rate limit exceeded'),
            headers: { 'retry-after': limit.retryAfter ?? '1' }
          }
        }
        const nonce = randomUUID()
        nonces.set(nonce, { at, used: false })
        return { status: 200, body: { nonce } }
      }
      if (request.method === 'POST' && pathname === '/api/v2/auth/token') {
        let jwt: unknown
        try {
          jwt = (JSON.parse(request.body) as Record<string, unknown>).jwt
        } catch {
          return error(400, 1000, 'The body is not JSON')
        }
        const checked = checkDeviceJwt(typeof jwt === 'string' ? jwt : null, clientIdentifier, true)
        if ('status' in checked) return checked
        refreshes += 1
        return { status: 200, body: { auth_token: mint(checked) } }
      }
      if (request.method === 'GET' && pathname === '/api/v2/devices') {
        const expiredAnswer = fake.checkToken(request.token)
        if (expiredAnswer) return expiredAnswer
        if (!request.token || !request.isValidToken(request.token)) return UNKNOWN_DEVICE
        return {
          status: 200,
          body: (options.devices?.() ?? []).map((device) => ({
            name: device.name,
            product: 'Plex Media Server',
            provides: 'server',
            clientIdentifier: device.clientIdentifier,
            token: device.token
          }))
        }
      }
      return undefined
    }
  }
  return fake
}
