// A stand-in for plex.tv's PIN sign-in API, bound to 127.0.0.1, for tests, benchmarks and demos.
// Answers follow what plex.tv sends and the community OpenAPI description vendored in
// plex-api-spec/; test/unit/fake-plex-spec.test.ts checks them against that description.
import { randomInt } from 'node:crypto'
import {
  createServer,
  STATUS_CODES,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type ServerResponse
} from 'node:http'
import type { AddressInfo, Socket } from 'node:net'
import { setTimeout as sleep } from 'node:timers/promises'
import type { FakeRouteAnswer, FakeRouteHandler } from './fake-routes'
import type { FakeJwt } from './fake-plex-jwt'

export interface FakePin {
  id: number
  code: string
  strong: boolean
  clientIdentifier: string
  product: string
  createdAt: number // epoch ms
  expiresIn: number // lifetime in s
  authToken: string | null
  claimedAt?: number
  tokenSentAt?: number // epoch ms: the first poll answer carrying authToken was sent (measuring)
  expired: boolean // forced expired or past lifetime
}

export interface FakeUser {
  id: number
  uuid: string
  username: string
  title: string
  email: string
  thumb: string
}

export interface FakeFault {
  status?: number // answer with this status (body: plex-style JSON error unless html/body given)
  retryAfter?: string // Retry-After header value (e.g. '2' or an HTTP date); alone it implies 429
  html?: boolean // answer an HTML page (text/html) instead of JSON; status 200 unless given
  body?: string // raw body to send as-is (e.g. truncated JSON '{"id":1,"co'); status 200 unless given
  drop?: boolean // destroy the socket without answering (connection reset)
  delayMs?: number // wait this long before answering (or before the fault)
}

export type FakeRoute = 'create' | 'poll' | 'user' | 'signout'

export interface FakeRequest {
  method: string
  path: string // request target as sent, query included
  route: FakeRoute | 'other'
  headers: Record<string, string> // lower-case names, as Node reports them
  at: number // epoch ms
  // Measuring only: which TCP connection (1-based, in accept order) carried the request, and
  // when its answer finished (epoch ms) with what status; unset if it was never answered.
  connection?: number
  answeredAt?: number
  status?: number
  body?: string // the request's body, when it had one
}

export interface FakePlexOptions {
  port?: number // default 0 (any free port); always binds 127.0.0.1
  delayMs?: number // injected round-trip delay for every API answer, default 0
  pinLifetimeSeconds?: number // short pins, default 900
  strongPinLifetimeSeconds?: number // default 1800
  user?: Partial<FakeUser> // the account approvals sign in as
  routes?: FakeRouteHandler[] // tried in order for API requests the built-in routes do not answer
  jwt?: FakeJwt // the JWT sign-in (fake-plex-jwt.ts): PINs with a JWK, Plex JWTs, refresh
}

export interface FakePlex {
  readonly url: string // 'http://127.0.0.1:<port>'
  readonly requests: FakeRequest[] // every API request, in order (demo and /fake/* not logged)
  readonly pins: FakePin[] // every pin created, in order
  readonly user: FakeUser
  approve(pin?: number | string): string // by id or code, default the newest live unclaimed pin
  expire(pin?: number | string): void // by id or code, default the newest live pin
  addToken(token: string): void
  revoke(token: string): void
  isValidToken(token: string): boolean
  fault(route: FakeRoute, ...faults: FakeFault[]): void // each next request on route takes one
  failAlways(route: FakeRoute, fault: FakeFault | undefined): void // sticky until undefined
  setDelay(ms: number): void
  onClaim?: (pin: FakePin) => void
  // Measuring only: TCP connections accepted so far, and a hook called as the first poll
  // answer carrying a pin's authToken is sent.
  readonly connections: number
  onTokenSent?: (pin: FakePin) => void
  close(): Promise<void>
}

const SHORT_CODE_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789'
const STRONG_CODE_ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789'
const TOKEN_ALPHABET = `${SHORT_CODE_ALPHABET}abcdefghijklmnopqrstuvwxyz`
const FIRST_PIN_ID = 373040866

const DEFAULT_USER: FakeUser = {
  id: 13692262,
  uuid: 'dae343c1f45beb4f',
  username: 'fakeplexuser',
  title: 'fakeplexuser',
  email: 'fakeplexuser@example.com',
  thumb: 'https://plex.tv/users/dae343c1f45beb4f/avatar?c=1556281940'
}

// plex.tv geolocates the caller; a fixed place is enough.
const LOCATION = {
  code: 'NL',
  european_union_member: true,
  continent_code: 'EU',
  country: 'The Netherlands',
  city: 'Breda',
  time_zone: 'Europe/Amsterdam',
  postal_code: '4814',
  in_privacy_restricted_country: true,
  in_privacy_restricted_region: true,
  subdivisions: 'North Brabant',
  coordinates: '51.5869, 4.7471'
}

const MISSING_CLIENT_ID = {
  errors: [{ code: 1000, message: 'X-Plex-Client-Identifier is missing', status: 400 }]
}
const PIN_NOT_FOUND = { errors: [{ code: 1020, message: 'Code not found or expired' }] }
const UNAUTHENTICATED = {
  errors: [{ code: 1001, message: 'User could not be authenticated', status: 401 }]
}
const RATE_LIMITED = { errors: [{ code: 1003, message: 'API rate limit exceeded' }] }

class PinRecord implements FakePin {
  id: number
  code: string
  strong: boolean
  clientIdentifier: string
  product: string
  createdAt: number
  expiresIn: number
  authToken: string | null = null
  claimedAt?: number
  tokenSentAt?: number
  forcedExpired = false
  jwk?: object // a JWT sign-in's PIN: the device key it registered

  constructor(init: Omit<FakePin, 'authToken' | 'claimedAt' | 'expired'>) {
    this.id = init.id
    this.code = init.code
    this.strong = init.strong
    this.clientIdentifier = init.clientIdentifier
    this.product = init.product
    this.createdAt = init.createdAt
    this.expiresIn = init.expiresIn
  }

  get expiresAt(): number {
    return this.createdAt + this.expiresIn * 1000
  }

  get expired(): boolean {
    return this.forcedExpired || Date.now() >= this.expiresAt
  }

  secondsLeft(now: number): number {
    return Math.max(0, Math.ceil((this.expiresAt - now) / 1000))
  }
}

function randomString(alphabet: string, length: number): string {
  let out = ''
  for (let i = 0; i < length; i++) out += alphabet[randomInt(alphabet.length)]
  return out
}

// plex.tv writes ISO-8601 UTC without milliseconds: 2024-07-16T17:03:05Z
function isoSeconds(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z')
}

function plexError(status: number): unknown {
  return { errors: [{ code: status, message: STATUS_CODES[status] ?? 'Error', status }] }
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)
}

function flatHeaders(headers: IncomingHttpHeaders): Record<string, string> {
  return Object.fromEntries(
    Object.entries(headers).map(([name, value]) => [
      name,
      Array.isArray(value) ? value.join(', ') : (value ?? '')
    ])
  )
}

// Plex accepts every X-Plex-* value as a header or as a query parameter.
function plexParam(req: IncomingMessage, url: URL, name: string): string | undefined {
  const header = req.headers[name.toLowerCase()]
  const value = (Array.isArray(header) ? header[0] : header) ?? url.searchParams.get(name)
  return value ? value : undefined
}

// Bounded: a request body only ever matters to a route handler, and is small.
function readBody(req: IncomingMessage, limit = 1 << 20): Promise<string> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = []
    let size = 0
    req.on('data', (chunk: Buffer) => {
      size += chunk.length
      if (size <= limit) chunks.push(chunk)
    })
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')))
    req.on('error', () => resolve(''))
    req.on('close', () => resolve(Buffer.concat(chunks).toString('utf8')))
  })
}

function routeOf(method: string, path: string): FakeRoute | 'other' {
  if (method === 'POST' && path === '/api/v2/pins') return 'create'
  if (method === 'GET' && /^\/api\/v2\/pins\/[^/]+$/.test(path)) return 'poll'
  if (method === 'GET' && path === '/api/v2/user') return 'user'
  if (method === 'DELETE' && path === '/api/v2/users/signout') return 'signout'
  return 'other'
}

function send(
  res: ServerResponse,
  status: number,
  contentType: string,
  body: string,
  headers: Record<string, string> = {}
): void {
  res.writeHead(status, {
    'content-type': contentType,
    'content-length': Buffer.byteLength(body),
    ...headers
  })
  res.end(body)
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  send(res, status, 'application/json', JSON.stringify(body))
}

function sendFault(res: ServerResponse, fault: FakeFault): void {
  const status = fault.status ?? (fault.retryAfter === undefined ? 200 : 429)
  const headers: Record<string, string> =
    fault.retryAfter === undefined ? {} : { 'retry-after': fault.retryAfter }
  if (fault.html) {
    const title = `${status} ${STATUS_CODES[status] ?? ''}`.trim()
    const page = `<!doctype html><html><head><title>${title}</title></head><body><h1>${title}</h1></body></html>`
    send(res, status, 'text/html; charset=utf-8', fault.body ?? page, headers)
    return
  }
  const body = fault.body ?? JSON.stringify(status === 429 ? RATE_LIMITED : plexError(status))
  send(res, status, 'application/json', body, headers)
}

function answersItself(fault: FakeFault): boolean {
  return (
    fault.status !== undefined ||
    fault.html === true ||
    fault.body !== undefined ||
    fault.retryAfter !== undefined
  )
}

function pinBody(pin: PinRecord, now: number): unknown {
  return {
    id: pin.id,
    code: pin.code,
    product: pin.product,
    trusted: false,
    qr: `https://plex.tv/api/v2/pins/qr/${pin.code}`,
    clientIdentifier: pin.clientIdentifier,
    location: LOCATION,
    expiresIn: pin.secondsLeft(now),
    createdAt: isoSeconds(pin.createdAt),
    expiresAt: isoSeconds(pin.expiresAt),
    authToken: pin.authToken,
    newRegistration: null
  }
}

function userBody(user: FakeUser, token: string): unknown {
  const joinedAt = 1556281940
  return {
    id: user.id,
    uuid: user.uuid,
    username: user.username,
    title: user.title,
    friendlyName: user.title,
    email: user.email,
    thumb: user.thumb,
    authToken: token,
    locale: null,
    country: 'NL',
    confirmed: true,
    joinedAt,
    rememberExpiresAt: Math.floor(Date.now() / 1000) + 30 * 24 * 3600,
    emailOnlyAuth: false,
    hasPassword: true,
    protected: false,
    restricted: false,
    anonymous: null,
    guest: false,
    home: false,
    homeAdmin: false,
    homeSize: 1,
    maxHomeSize: 15,
    mailingListActive: false,
    mailingListStatus: 'active',
    scrobbleTypes: '',
    twoFactorEnabled: false,
    backupCodesCreated: false,
    experimentalFeatures: false,
    adsConsent: null,
    adsConsentSetAt: null,
    adsConsentReminderAt: null,
    attributionPartner: null,
    entitlements: [],
    roles: [],
    services: [],
    subscription: {
      active: false,
      subscribedAt: null,
      status: 'Inactive',
      paymentService: null,
      plan: null,
      features: []
    },
    subscriptionDescription: null,
    profile: {
      autoSelectAudio: true,
      defaultAudioLanguage: null,
      defaultSubtitleLanguage: null,
      autoSelectSubtitle: 0,
      defaultSubtitleAccessibility: 0,
      defaultSubtitleForced: 0,
      watchedIndicator: 1,
      mediaReviewsVisibility: 0
    }
  }
}

function demoPage(pins: PinRecord[], user: FakeUser, now: number): string {
  const rows = pins
    .filter((pin) => !pin.expired)
    .map((pin) => {
      const action = pin.authToken
        ? 'approved'
        : `<form method="post" action="/fake/approve?id=${pin.id}">` +
          `<button aria-label="Approve ${escapeHtml(pin.code)}">Approve</button></form>`
      return (
        `<tr><td><code>${escapeHtml(pin.code)}</code></td><td>${escapeHtml(pin.product)}</td>` +
        `<td>${pin.secondsLeft(now)} s</td><td>${action}</td></tr>`
      )
    })
  const table = rows.length
    ? `<table><tr><th>Code</th><th>Product</th><th>Left</th><th></th></tr>${rows.join('')}</table>`
    : '<p>No codes waiting. Start a sign-in and its code shows up here.</p>'
  // The data: icon stops browsers asking for /favicon.ico, which would land in the request log.
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta http-equiv="refresh" content="2">
<link rel="icon" href="data:,"><title>Fake plex.tv</title>
<style>body{font:16px system-ui,sans-serif;margin:2rem}th,td{padding:.3rem .8rem;text-align:left}</style>
</head><body><h1>Fake plex.tv</h1>
<p>Approving a code signs it in as <b>${escapeHtml(user.username)}</b>.</p>
${table}
</body></html>`
}

export async function startFakePlex(options: FakePlexOptions = {}): Promise<FakePlex> {
  const user: FakeUser = { ...DEFAULT_USER, ...options.user }
  const requests: FakeRequest[] = []
  const pins: PinRecord[] = []
  const tokens = new Set<string>()
  const queued: Record<FakeRoute, FakeFault[]> = { create: [], poll: [], user: [], signout: [] }
  const sticky: Partial<Record<FakeRoute, FakeFault>> = {}
  const closing = new AbortController()
  let delayMs = options.delayMs ?? 0
  let connections = 0
  const connectionIds = new WeakMap<Socket, number>()
  let closed: Promise<void> | undefined

  const pause = (ms: number): Promise<void> =>
    ms > 0 ? sleep(ms, undefined, { signal: closing.signal }) : Promise.resolve()

  function findPin(ref: number | string | undefined, candidates: PinRecord[]): PinRecord {
    const pin =
      ref === undefined
        ? candidates.at(-1)
        : candidates.find((p) => (typeof ref === 'number' ? p.id === ref : p.code === ref))
    if (!pin) throw new Error(`Fake plex.tv: no matching pin (${ref ?? 'newest'})`)
    return pin
  }

  function tokenOf(req: IncomingMessage, url: URL): string | undefined {
    const token = plexParam(req, url, 'X-Plex-Token')
    return token && tokens.has(token) ? token : undefined
  }

  function handleApi(
    route: FakeRoute | 'other',
    req: IncomingMessage,
    url: URL,
    res: ServerResponse,
    body: string
  ): void {
    const now = Date.now()
    const answer = (reply: FakeRouteAnswer): void => sendJson(res, reply.status, reply.body)
    if (route === 'create' || route === 'poll') {
      const clientIdentifier = plexParam(req, url, 'X-Plex-Client-Identifier')
      if (!clientIdentifier) return sendJson(res, 400, MISSING_CLIENT_ID)
      if (route === 'create') {
        const keyed = options.jwt?.createPin(body, clientIdentifier)
        if (keyed && 'status' in keyed) return answer(keyed)
        const strong = keyed?.strong || ['true', '1'].includes(url.searchParams.get('strong') ?? '')
        const pin = new PinRecord({
          id: FIRST_PIN_ID + pins.length,
          code: strong ? randomString(STRONG_CODE_ALPHABET, 25) : uniqueShortCode(),
          strong,
          clientIdentifier,
          product: plexParam(req, url, 'X-Plex-Product') ?? 'Plex Web',
          createdAt: now,
          expiresIn: strong
            ? (options.strongPinLifetimeSeconds ?? 1800)
            : (options.pinLifetimeSeconds ?? 900)
        })
        if (keyed) pin.jwk = keyed.jwk
        pins.push(pin)
        return sendJson(res, 201, pinBody(pin, now))
      }
      const id = Number(url.pathname.slice('/api/v2/pins/'.length))
      const pin = pins.find((p) => p.id === id)
      if (!pin || pin.expired || pin.clientIdentifier !== clientIdentifier) {
        return sendJson(res, 404, PIN_NOT_FOUND)
      }
      const refused = pin.jwk && options.jwt?.poll(clientIdentifier, url)
      if (refused) return answer(refused)
      sendJson(res, 200, pinBody(pin, now))
      if (pin.authToken !== null && pin.tokenSentAt === undefined) {
        pin.tokenSentAt = Date.now()
        fake.onTokenSent?.(pin)
      }
      return
    }
    const jwtAnswer = options.jwt?.checkToken(plexParam(req, url, 'X-Plex-Token'))
    if (jwtAnswer) return answer(jwtAnswer)
    const token = tokenOf(req, url)
    if (route === 'user') {
      return token ? sendJson(res, 200, userBody(user, token)) : sendJson(res, 401, UNAUTHENTICATED)
    }
    if (route === 'signout') {
      if (!token) return sendJson(res, 401, UNAUTHENTICATED)
      tokens.delete(token)
      options.jwt?.signedOut(token)
      res.writeHead(204).end()
      return
    }
    if (req.method === 'GET' && url.pathname === '/api/v2/ping') {
      return token ? sendJson(res, 200, {}) : sendJson(res, 401, UNAUTHENTICATED)
    }
    sendJson(res, 404, plexError(404))
  }

  // Short codes are typed by people, so no two live ones may collide.
  function uniqueShortCode(): string {
    for (;;) {
      const code = randomString(SHORT_CODE_ALPHABET, 4)
      if (!pins.some((p) => p.code === code && !p.expired)) return code
    }
  }

  function handleControl(req: IncomingMessage, url: URL, res: ServerResponse): void {
    const now = Date.now()
    if (req.method === 'GET' && url.pathname === '/') {
      return send(res, 200, 'text/html; charset=utf-8', demoPage(pins, user, now))
    }
    if (req.method === 'GET' && url.pathname === '/fake/pins') {
      return sendJson(
        res,
        200,
        pins.map((pin) => ({
          id: pin.id,
          code: pin.code,
          strong: pin.strong,
          product: pin.product,
          clientIdentifier: pin.clientIdentifier,
          expiresIn: pin.secondsLeft(now),
          expired: pin.expired,
          claimed: pin.authToken !== null
        }))
      )
    }
    if (req.method === 'POST' && url.pathname === '/fake/approve') {
      const id = url.searchParams.get('id')
      try {
        fake.approve(id === null ? undefined : Number(id))
      } catch (error) {
        return send(res, 409, 'text/plain; charset=utf-8', (error as Error).message)
      }
      res.writeHead(303, { location: '/', 'content-length': 0 }).end()
      return
    }
    send(res, 404, 'text/plain; charset=utf-8', 'Not found')
  }

  async function answerFromRoutes(
    req: IncomingMessage,
    url: URL,
    body: string,
    res: ServerResponse
  ): Promise<boolean> {
    const request = {
      method: req.method ?? 'GET',
      url,
      headers: flatHeaders(req.headers),
      token: plexParam(req, url, 'X-Plex-Token'),
      body,
      isValidToken: (token: string) => tokens.has(token)
    }
    const handlers = [...(options.jwt ? [options.jwt.handler] : []), ...(options.routes ?? [])]
    for (const route of handlers) {
      const answer = await route(request)
      if (!answer) continue
      await pause(answer.delayMs ?? 0)
      const text = answer.body === undefined ? '' : JSON.stringify(answer.body)
      send(res, answer.status, 'application/json', text, answer.headers)
      return true
    }
    return false
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = readBody(req) // drains it too, so the connection stays usable for keep-alive
    const url = new URL(req.url ?? '/', 'http://127.0.0.1')
    const method = req.method ?? 'GET'
    if (url.pathname === '/' || url.pathname.startsWith('/fake/')) {
      return handleControl(req, url, res)
    }
    const route = routeOf(method, url.pathname)
    const record: FakeRequest = {
      method,
      path: req.url ?? '/',
      route,
      headers: flatHeaders(req.headers),
      at: Date.now(),
      connection: connectionIds.get(req.socket)
    }
    requests.push(record)
    void body.then((text) => text && (record.body = text))
    res.once('finish', () => {
      record.answeredAt = Date.now()
      record.status = res.statusCode
    })
    try {
      await pause(delayMs)
      const fault = route === 'other' ? undefined : (queued[route].shift() ?? sticky[route])
      if (fault) {
        await pause(fault.delayMs ?? 0)
        if (fault.drop) {
          req.socket.destroy()
          return
        }
        if (answersItself(fault)) return sendFault(res, fault)
      }
      if (route === 'other' && (await answerFromRoutes(req, url, await body, res))) return
      handleApi(route, req, url, res, route === 'create' ? await body : '')
    } catch (error) {
      // close() aborts pending delays; the socket is gone by then
      if (closing.signal.aborted) return
      throw error
    }
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) sendJson(res, 500, plexError(500))
      console.error('Fake plex.tv failed:', error)
    })
  })
  // Longer than any poll back-off a client might use, so one connection serves the whole poll.
  server.keepAliveTimeout = 60_000
  server.on('connection', (socket) => void connectionIds.set(socket, ++connections))

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject)
      resolve()
    })
  })
  const { port } = server.address() as AddressInfo
  options.jwt?.connect({ user, addToken: (token) => tokens.add(token) })

  const fake: FakePlex = {
    url: `http://127.0.0.1:${port}`,
    requests,
    pins,
    user,
    get connections() {
      return connections
    },
    approve(ref) {
      const pin = findPin(
        ref,
        pins.filter((p) => !p.expired && p.authToken === null)
      )
      const token =
        pin.jwk && options.jwt
          ? options.jwt.issue(pin.clientIdentifier)
          : randomString(TOKEN_ALPHABET, 20)
      tokens.add(token)
      pin.authToken = token
      pin.claimedAt = Date.now()
      fake.onClaim?.(pin)
      return token
    },
    expire(ref) {
      findPin(
        ref,
        pins.filter((p) => !p.expired)
      ).forcedExpired = true
    },
    addToken(token) {
      tokens.add(token)
    },
    revoke(token) {
      tokens.delete(token)
    },
    isValidToken(token) {
      return tokens.has(token)
    },
    fault(route, ...faults) {
      queued[route].push(...faults)
    },
    failAlways(route, fault) {
      sticky[route] = fault
    },
    setDelay(ms) {
      delayMs = ms
    },
    close() {
      closed ??= new Promise<void>((resolve, reject) => {
        closing.abort()
        server.close((error) => (error ? reject(error) : resolve()))
        server.closeAllConnections()
      })
      return closed
    }
  }
  return fake
}
