import { describe, expect, it } from 'vitest'
import {
  createPlexClient,
  parseRetryAfter,
  type DeviceInfo,
  type PlexClient,
  type PlexClientOptions,
  type PlexResult
} from '../../src/main/plex/plex-client'

const DEVICE: DeviceInfo = {
  product: 'Test Product',
  version: '1.2.3',
  platform: 'Linux',
  platformVersion: '6.1.0',
  device: 'Linux',
  deviceName: 'test-host'
}
const CLIENT_ID = 'client-id-1234'
const TOKEN = 'secret-token-abc'

const PIN_BODY = {
  id: 4242,
  code: '7RQZ',
  product: 'Test Product',
  trusted: false,
  qr: 'https://plex.tv/api/v2/pins/qr/7RQZ',
  clientIdentifier: CLIENT_ID,
  location: { code: 'US' },
  expiresIn: 900,
  createdAt: '2024-01-01T00:00:00Z',
  expiresAt: '2024-01-01T00:15:00Z',
  authToken: null,
  newRegistration: null
}
const USER_BODY = {
  id: 7,
  uuid: 'u-u-i-d',
  username: 'alice',
  title: 'Alice',
  friendlyName: 'Alice A.',
  email: 'alice@example.com',
  thumb: 'https://plex.tv/users/7/avatar',
  subscription: { active: false }
}

interface Call {
  url: string
  method: string
  headers: Headers
  signal: AbortSignal | undefined
  redirect: RequestInit['redirect']
}

type Reply = (call: Call) => Response | Promise<Response>

function stubFetch(reply: Reply): { fetch: typeof fetch; calls: Call[] } {
  const calls: Call[] = []
  const fetchStub = async (input: string | URL | Request, init?: RequestInit) => {
    const call: Call = {
      url: String(input),
      method: init?.method ?? 'GET',
      headers: new Headers(init?.headers),
      signal: init?.signal ?? undefined,
      redirect: init?.redirect
    }
    calls.push(call)
    return reply(call)
  }
  return { fetch: fetchStub as typeof fetch, calls }
}

const json = (status: number, body: unknown, headers: Record<string, string> = {}): Response =>
  new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json', ...headers }
  })

const plexError = (status: number, code: number, message: string, headers = {}): Response =>
  json(status, { errors: [{ code, message, status }] }, headers)

function client(
  reply: Reply,
  options: Partial<PlexClientOptions> = {}
): { client: PlexClient; calls: Call[] } {
  const stub = stubFetch(reply)
  return {
    client: createPlexClient({
      clientIdentifier: CLIENT_ID,
      device: DEVICE,
      fetch: stub.fetch,
      ...options
    }),
    calls: stub.calls
  }
}

const EXPECTED_HEADERS = {
  accept: 'application/json',
  'x-plex-client-identifier': CLIENT_ID,
  'x-plex-product': 'Test Product',
  'x-plex-version': '1.2.3',
  'x-plex-platform': 'Linux',
  'x-plex-platform-version': '6.1.0',
  'x-plex-device': 'Linux',
  'x-plex-device-name': 'test-host'
}

describe('plex client: requests', () => {
  it('creates a short PIN with POST /api/v2/pins and no token', async () => {
    const { client: plex, calls } = client(() => json(201, PIN_BODY))
    const result = await plex.createPin(false)
    expect(result).toEqual({
      ok: true,
      pin: { id: 4242, code: '7RQZ', expiresIn: 900, authToken: null }
    })
    expect(calls).toHaveLength(1)
    expect(calls[0]!.method).toBe('POST')
    expect(calls[0]!.url).toBe('https://plex.tv/api/v2/pins')
    expect(Object.fromEntries(calls[0]!.headers)).toEqual(EXPECTED_HEADERS)
  })

  it('asks for a strong PIN with ?strong=true', async () => {
    const strongCode = 'abcdefghijklmnopqrstuvwxy'
    const { client: plex, calls } = client(() =>
      json(201, { ...PIN_BODY, code: strongCode, expiresIn: 1800 })
    )
    const result = await plex.createPin(true)
    expect(result).toMatchObject({ ok: true, pin: { code: strongCode, expiresIn: 1800 } })
    expect(calls[0]!.method).toBe('POST')
    expect(calls[0]!.url).toBe('https://plex.tv/api/v2/pins?strong=true')
  })

  it('polls with GET /api/v2/pins/:id, same headers, no token', async () => {
    const { client: plex, calls } = client(() => json(200, { ...PIN_BODY, authToken: TOKEN }))
    const result = await plex.getPin(4242)
    expect(result).toEqual({
      ok: true,
      pin: { id: 4242, code: '7RQZ', expiresIn: 900, authToken: TOKEN }
    })
    expect(calls[0]!.method).toBe('GET')
    expect(calls[0]!.url).toBe('https://plex.tv/api/v2/pins/4242')
    expect(Object.fromEntries(calls[0]!.headers)).toEqual(EXPECTED_HEADERS)
  })

  it('reads the account with GET /api/v2/user and X-Plex-Token', async () => {
    const { client: plex, calls } = client(() => json(200, USER_BODY))
    const result = await plex.getAccount(TOKEN)
    expect(result).toEqual({
      ok: true,
      account: {
        id: 7,
        uuid: 'u-u-i-d',
        username: 'alice',
        title: 'Alice',
        email: 'alice@example.com',
        thumb: 'https://plex.tv/users/7/avatar'
      }
    })
    expect(calls[0]!.method).toBe('GET')
    expect(calls[0]!.url).toBe('https://plex.tv/api/v2/user')
    expect(Object.fromEntries(calls[0]!.headers)).toEqual({
      ...EXPECTED_HEADERS,
      'x-plex-token': TOKEN
    })
  })

  it('signs out with DELETE /api/v2/users/signout and X-Plex-Token', async () => {
    const { client: plex, calls } = client(() => new Response(null, { status: 204 }))
    const result = await plex.signOut(TOKEN)
    expect(result).toEqual({ ok: true })
    expect(calls[0]!.method).toBe('DELETE')
    expect(calls[0]!.url).toBe('https://plex.tv/api/v2/users/signout')
    expect(Object.fromEntries(calls[0]!.headers)).toEqual({
      ...EXPECTED_HEADERS,
      'x-plex-token': TOKEN
    })
  })

  it('sends every header on every call, the token only as the user', async () => {
    const { client: plex, calls } = client((call) => {
      if (call.url.endsWith('/user')) return json(200, USER_BODY)
      if (call.method === 'DELETE') return new Response(null, { status: 204 })
      return json(call.method === 'POST' ? 201 : 200, PIN_BODY)
    })
    await plex.createPin(false)
    await plex.getPin(1)
    await plex.getAccount(TOKEN)
    await plex.signOut(TOKEN)
    expect(calls.map((call) => call.headers.get('x-plex-token'))).toEqual([
      null,
      null,
      TOKEN,
      TOKEN
    ])
    for (const call of calls) {
      for (const [name, value] of Object.entries(EXPECTED_HEADERS)) {
        expect(call.headers.get(name)).toBe(value)
      }
    }
  })

  it('uses the configured base URL, with or without a trailing slash', async () => {
    for (const baseUrl of ['http://127.0.0.1:32401', 'http://127.0.0.1:32401/']) {
      const { client: plex, calls } = client(() => json(201, PIN_BODY), { baseUrl })
      await plex.createPin(false)
      await plex.getPin(9)
      expect(calls.map((call) => call.url)).toEqual([
        'http://127.0.0.1:32401/api/v2/pins',
        'http://127.0.0.1:32401/api/v2/pins/9'
      ])
    }
  })

  it('accepts any 2xx status', async () => {
    for (const status of [200, 201, 202, 203]) {
      const { client: plex } = client(() => json(status, PIN_BODY))
      expect(await plex.createPin(false)).toMatchObject({ ok: true, pin: { id: 4242 } })
    }
    for (const status of [200, 202, 204]) {
      const { client: plex } = client(() =>
        status === 204 ? new Response(null, { status }) : json(status, {})
      )
      expect(await plex.signOut(TOKEN)).toEqual({ ok: true })
    }
  })

  it('treats an empty authToken as not yet claimed', async () => {
    const { client: plex } = client(() => json(200, { ...PIN_BODY, authToken: '' }))
    expect(await plex.getPin(1)).toMatchObject({ ok: true, pin: { authToken: null } })
  })

  it('fills username and title from each other when one is missing', async () => {
    const { client: plex } = client(() =>
      json(200, { id: 3, title: 'Only Title', email: 'x@example.com' })
    )
    expect(await plex.getAccount(TOKEN)).toEqual({
      ok: true,
      account: {
        id: 3,
        uuid: '',
        username: 'Only Title',
        title: 'Only Title',
        email: 'x@example.com',
        thumb: ''
      }
    })
  })
})

describe('plex client: failures', () => {
  it('4xx other than 404/429 is rejected, with plex.tv’s own message', async () => {
    const { client: plex } = client(() =>
      plexError(400, 1000, 'X-Plex-Client-Identifier is missing')
    )
    expect(await plex.createPin(false)).toEqual({
      ok: false,
      kind: 'rejected',
      status: 400,
      message: 'X-Plex-Client-Identifier is missing'
    })
  })

  it('401 on /user is rejected with status 401', async () => {
    const { client: plex } = client(() => plexError(401, 1001, 'User could not be authenticated'))
    expect(await plex.getAccount(TOKEN)).toEqual({
      ok: false,
      kind: 'rejected',
      status: 401,
      message: 'User could not be authenticated'
    })
  })

  it('a 4xx without a plex.tv message still explains itself', async () => {
    const { client: plex } = client(() => new Response('nope', { status: 403 }))
    const result = await plex.createPin(false)
    expect(result).toMatchObject({ ok: false, kind: 'rejected', status: 403 })
    expect(result.ok === false && result.message).toContain('403')
  })

  it('404 is expired, with plex.tv’s message', async () => {
    const { client: plex } = client(() => plexError(404, 1020, 'Code not found or expired'))
    expect(await plex.getPin(1)).toEqual({
      ok: false,
      kind: 'expired',
      message: 'Code not found or expired'
    })
  })

  it('404 without a body is expired too', async () => {
    const { client: plex } = client(() => new Response('', { status: 404 }))
    expect(await plex.getPin(1)).toMatchObject({ ok: false, kind: 'expired' })
  })

  it('error code 1020 is expired whatever the 4xx status', async () => {
    const { client: plex } = client(() => plexError(400, 1020, 'Code not found or expired'))
    expect(await plex.getPin(1)).toMatchObject({ ok: false, kind: 'expired' })
  })

  it('a 404 outside a pin poll is a plain refusal, not an expired code', async () => {
    const { client: plex } = client(() => plexError(404, 1020, 'Not found'))
    for (const result of [
      await plex.createPin(false),
      await plex.getAccount(TOKEN),
      await plex.signOut(TOKEN)
    ]) {
      expect(result).toEqual({ ok: false, kind: 'rejected', status: 404, message: 'Not found' })
    }
  })

  it('429 is rate-limited, with Retry-After in seconds', async () => {
    const { client: plex } = client(() =>
      plexError(429, 1003, 'API rate limit exceeded', { 'Retry-After': '7' })
    )
    expect(await plex.getPin(1)).toEqual({
      ok: false,
      kind: 'rate-limited',
      message: 'API rate limit exceeded',
      retryAfterMs: 7_000
    })
  })

  it('429 with Retry-After as an HTTP date counts from now()', async () => {
    const now = Date.UTC(2030, 0, 1, 12, 0, 0)
    const retryAt = new Date(now + 12_000).toUTCString()
    const { client: plex } = client(
      () => plexError(429, 1003, 'API rate limit exceeded', { 'Retry-After': retryAt }),
      { now: () => now }
    )
    expect(await plex.getPin(1)).toMatchObject({ kind: 'rate-limited', retryAfterMs: 12_000 })
  })

  it('429 without Retry-After has no retryAfterMs', async () => {
    const { client: plex } = client(() => plexError(429, 1003, 'API rate limit exceeded'))
    const result = await plex.createPin(false)
    expect(result).toEqual({ ok: false, kind: 'rate-limited', message: 'API rate limit exceeded' })
    expect(result).not.toHaveProperty('retryAfterMs')
  })

  it('5xx is unavailable', async () => {
    for (const status of [500, 502, 503, 504]) {
      const { client: plex } = client(() => new Response('<html>oops</html>', { status }))
      const result = await plex.getPin(1)
      expect(result).toMatchObject({ ok: false, kind: 'unavailable' })
      expect(result.ok === false && result.message).toContain(String(status))
    }
  })

  it('a network error is unavailable and names the host', async () => {
    const { client: plex } = client(
      () => {
        throw new TypeError('fetch failed')
      },
      { baseUrl: 'https://plex.example.test' }
    )
    const result = await plex.createPin(false)
    expect(result).toEqual({
      ok: false,
      kind: 'unavailable',
      message: 'Could not reach plex.example.test'
    })
  })

  it('times out through the AbortSignal and reports it as unavailable', async () => {
    const { client: plex, calls } = client(
      (call) =>
        new Promise<Response>((resolve, reject) => {
          call.signal?.addEventListener('abort', () => reject(call.signal?.reason))
          // a safety net, not a measurement: a timeout far above timeoutMs answers normally
          setTimeout(() => resolve(json(200, PIN_BODY)), 2_000).unref()
        }),
      { timeoutMs: 5 }
    )
    const result = await plex.getPin(1)
    expect(result).toEqual({
      ok: false,
      kind: 'unavailable',
      message: 'plex.tv did not answer in time'
    })
    expect(calls[0]!.signal?.aborted).toBe(true)
  })

  it('a body that never finishes is cut off by the same timeout', async () => {
    const { client: plex } = client(
      (call) => {
        const body = new ReadableStream<Uint8Array>({
          start(controller) {
            controller.enqueue(new TextEncoder().encode('{"id":'))
            call.signal?.addEventListener('abort', () => controller.error(call.signal?.reason))
          }
        })
        return new Response(body, { status: 200 })
      },
      { timeoutMs: 5 }
    )
    expect(await plex.getPin(1)).toMatchObject({ ok: false, kind: 'unavailable' })
  })

  it.each([
    ['an HTML page', '<!doctype html><html><body>Plex</body></html>'],
    ['truncated JSON', JSON.stringify(PIN_BODY).slice(0, 40)],
    ['an empty body', ''],
    ['JSON of the wrong shape (array)', '[1,2,3]'],
    ['JSON without an id', JSON.stringify({ ...PIN_BODY, id: undefined })],
    ['a string id', JSON.stringify({ ...PIN_BODY, id: '4242' })],
    ['a fractional id', JSON.stringify({ ...PIN_BODY, id: 1.5 })],
    ['an empty code', JSON.stringify({ ...PIN_BODY, code: '' })],
    ['no expiresIn', JSON.stringify({ ...PIN_BODY, expiresIn: undefined })],
    ['expiresIn as a string', JSON.stringify({ ...PIN_BODY, expiresIn: '900' })],
    ['a numeric authToken', JSON.stringify({ ...PIN_BODY, authToken: 12 })],
    ['JSON null', 'null']
  ])('a 2xx with %s is unavailable', async (_label, body) => {
    const { client: plex } = client(() => new Response(body, { status: 200 }))
    expect(await plex.getPin(1)).toMatchObject({ ok: false, kind: 'unavailable' })
    const { client: creating } = client(() => new Response(body, { status: 201 }))
    expect(await creating.createPin(false)).toMatchObject({ ok: false, kind: 'unavailable' })
  })

  it.each([
    ['an HTML page', '<html></html>'],
    ['an account without id', JSON.stringify({ ...USER_BODY, id: undefined })],
    ['an account without username or title', JSON.stringify({ id: 1, email: 'a@b.c' })]
  ])('/user answering %s is unavailable', async (_label, body) => {
    const { client: plex } = client(() => new Response(body, { status: 200 }))
    expect(await plex.getAccount(TOKEN)).toMatchObject({ ok: false, kind: 'unavailable' })
  })

  it('puts plex.tv’s message on one line without escape sequences', async () => {
    const { client: plex } = client(() =>
      plexError(400, 1, 'Bad\u001b]52;c;Y3VybCB4IHwgc2g=\u0007 request\nnow\u202e')
    )
    const result = await plex.createPin(false)
    expect(result.ok === false && result.message).toBe('Bad request now')
  })

  it('takes a PIN without a positive lifetime for a malformed answer', async () => {
    const { client: plex } = client(() =>
      Response.json({ id: 1, code: 'ABCD', expiresIn: 0, authToken: null }, { status: 201 })
    )
    expect(await plex.createPin(false)).toMatchObject({ ok: false, kind: 'unavailable' })
  })

  it('trims and caps plex.tv’s message', async () => {
    const { client: plex } = client(() => plexError(400, 1, `  ${'x'.repeat(500)}  `))
    const result = await plex.createPin(false)
    expect(result.ok === false && result.message).toBe(`${'x'.repeat(199)}…`)
  })
})

describe('parseRetryAfter', () => {
  const now = Date.UTC(2030, 5, 1, 8, 0, 0)

  it('reads delay-seconds', () => {
    expect(parseRetryAfter('0', now)).toBe(0)
    expect(parseRetryAfter('5', now)).toBe(5_000)
    expect(parseRetryAfter(' 120 ', now)).toBe(120_000)
    expect(parseRetryAfter('1.5', now)).toBe(1_500)
  })

  it('reads an HTTP date relative to now, never negative', () => {
    expect(parseRetryAfter(new Date(now + 30_000).toUTCString(), now)).toBe(30_000)
    expect(parseRetryAfter(new Date(now - 30_000).toUTCString(), now)).toBe(0)
  })

  it('ignores what it cannot read', () => {
    expect(parseRetryAfter(null, now)).toBeUndefined()
    expect(parseRetryAfter('soon', now)).toBeUndefined()
    expect(parseRetryAfter('', now)).toBeUndefined()
  })
})

const EVERY_CALL: [string, (plex: PlexClient) => Promise<PlexResult<object>>][] = [
  ['createPin', (plex) => plex.createPin(false)],
  ['getPin', (plex) => plex.getPin(1)],
  ['getAccount', (plex) => plex.getAccount(TOKEN)],
  ['signOut', (plex) => plex.signOut(TOKEN)]
]

describe('plex client: redirects', () => {
  it('asks fetch not to follow redirects, on every call', async () => {
    const { client: plex, calls } = client(() => json(200, PIN_BODY))
    for (const [, call] of EVERY_CALL) await call(plex)
    expect(calls.map((call) => call.redirect)).toEqual(['manual', 'manual', 'manual', 'manual'])
  })

  it.each(EVERY_CALL)('%s: a 3xx is unavailable and names the origin only', async (_name, call) => {
    for (const status of [301, 302, 303, 307, 308]) {
      const { client: plex, calls } = client(
        () =>
          new Response(null, {
            status,
            headers: { location: 'http://evil.example:8080/take?token=x#y' }
          })
      )
      expect(await call(plex)).toEqual({
        ok: false,
        kind: 'unavailable',
        message: 'plex.tv answered with a redirect to http://evil.example:8080'
      })
      expect(calls).toHaveLength(1)
    }
  })

  it('a relative Location names plex.tv’s own origin', async () => {
    const { client: plex } = client(
      () => new Response(null, { status: 302, headers: { location: '/elsewhere' } }),
      { baseUrl: 'http://127.0.0.1:32401' }
    )
    expect(await plex.getAccount(TOKEN)).toMatchObject({
      message: 'plex.tv answered with a redirect to http://127.0.0.1:32401'
    })
  })

  it('an opaque redirect (status 0, no Location) is a redirect, not an answer', async () => {
    const opaque = {
      type: 'opaqueredirect',
      status: 0,
      ok: false,
      headers: new Headers(),
      body: null
    } as unknown as Response
    const { client: plex } = client(() => opaque)
    expect(await plex.signOut(TOKEN)).toEqual({
      ok: false,
      kind: 'unavailable',
      message: 'plex.tv answered with a redirect to an unknown place'
    })
  })

  it('Electron’s net.fetch refusing the redirect is reported as a redirect', async () => {
    const { client: plex } = client(() => {
      throw new Error('Redirect was cancelled')
    })
    expect(await plex.getAccount(TOKEN)).toEqual({
      ok: false,
      kind: 'unavailable',
      message: 'plex.tv answered with a redirect to an unknown place'
    })
  })

  it('a Location that is no URL, or has no origin, is an unknown place', async () => {
    for (const location of ['http://[::1', 'data:text/plain,hi', 'http://a\u0000b.example/']) {
      const { client: plex } = client(
        () => new Response(null, { status: 307, headers: { location: encodeURI(location) } })
      )
      expect(await plex.getAccount(TOKEN)).toEqual({
        ok: false,
        kind: 'unavailable',
        message: 'plex.tv answered with a redirect to an unknown place'
      })
    }
  })
})

describe('plex client: answer size', () => {
  /** A body of `chunks` pieces of 64 KiB, noting whether the reader cancelled it. */
  function streamed(chunks: number): {
    response: Response
    cancelled: () => boolean
    pulled: () => number
  } {
    let pulled = 0
    let cancelled = false
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (pulled === chunks) return controller.close()
        pulled += 1
        controller.enqueue(new Uint8Array(64 * 1024).fill(0x20))
      },
      cancel() {
        cancelled = true
      }
    })
    return {
      response: new Response(body, { status: 200 }),
      cancelled: () => cancelled,
      pulled: () => pulled
    }
  }

  it('reads an answer of exactly 1 MiB, and refuses one byte more', async () => {
    const exact = JSON.stringify(PIN_BODY).padEnd(1024 * 1024, ' ')
    const { client: plex } = client(() => new Response(exact, { status: 200 }))
    expect(await plex.getPin(1)).toMatchObject({ ok: true, pin: { id: 4242 } })
    const { client: over } = client(() => new Response(`${exact} `, { status: 200 }))
    expect(await over.getPin(1)).toMatchObject({
      message: 'plex.tv sent an answer that is too large'
    })
  })

  it('stops reading past 1 MiB and cancels the rest', async () => {
    const body = streamed(256) // 16 MiB: bounded, even for a reader that does not stop
    const { client: plex } = client(() => body.response)
    expect(await plex.getPin(1)).toEqual({
      ok: false,
      kind: 'unavailable',
      message: 'plex.tv sent an answer that is too large'
    })
    expect(body.cancelled()).toBe(true)
    expect(body.pulled()).toBeLessThan(20)
  })

  it('refuses an announced length above 1 MiB without reading', async () => {
    const body = streamed(1)
    const { client: plex } = client(
      () => new Response(body.response.body, { headers: { 'content-length': String(2 ** 21) } })
    )
    expect(await plex.getAccount(TOKEN)).toMatchObject({
      message: 'plex.tv sent an answer that is too large'
    })
    expect(body.cancelled()).toBe(true)
  })
})

describe('plex client: values a header cannot carry', () => {
  it.each([
    ['a control character', 'id\u0007'],
    ['a line break', 'id\r\nX-Evil: 1'],
    ['non-Latin-1', 'идентификатор'],
    ['Latin-1 beyond ASCII', 'café'],
    ['a space', 'an id'],
    ['nothing', '']
  ])('a client identifier with %s is refused at once', (_label, clientIdentifier) => {
    const { fetch: doFetch, calls } = stubFetch(() => json(200, PIN_BODY))
    expect(() => createPlexClient({ clientIdentifier, device: DEVICE, fetch: doFetch })).toThrow(
      'The client identifier has characters a header cannot carry'
    )
    expect(calls).toHaveLength(0)
  })

  it.each([
    ['a control character', 'tok\u0000en'],
    ['an escape sequence', 'tok\u001b]52;c;eA==\u0007'],
    ['a line break', 'tok\r\nX-Evil: 1'],
    ['non-Latin-1', 'токен'],
    ['a space', 'tok en']
  ])('a token with %s is not sent, and not taken for a dead one', async (_label, token) => {
    const { client: plex, calls } = client(() => json(200, USER_BODY))
    const refused = {
      ok: false,
      kind: 'rejected',
      status: 0,
      message: 'The stored token has characters a header cannot carry'
    }
    expect(await plex.getAccount(token)).toEqual(refused)
    expect(await plex.signOut(token)).toEqual(refused)
    expect(calls).toHaveLength(0)
  })
})

describe('plex client: what a PIN answer may hold', () => {
  it.each([
    ['an OSC 52 escape in the code', 'ABCD\u001b]52;c;Y3VybCBldmlsIHwgc2g=\u0007'],
    ['a CSI escape in the code', '\u001b[2J7RQZ'],
    ['a bidi override in the code', '7R\u202eQZ'],
    ['a code of 3', 'ABC'],
    ['a code of 65', 'A'.repeat(65)],
    ['a code with a space', '7R QZ'],
    ['a code with punctuation', '7RQ-Z'],
    ['a code of non-ASCII letters', 'ÄÖÜß']
  ])('%s is not understood', async (_label, code) => {
    const { client: plex } = client(() => json(201, { ...PIN_BODY, code }))
    expect(await plex.createPin(false)).toEqual({
      ok: false,
      kind: 'unavailable',
      message: 'plex.tv sent an answer this app does not understand'
    })
  })

  it('takes codes of 4 to 64 letters and digits', async () => {
    for (const code of ['7RQZ', 'abcdefghijklmnopqrstuvwx1', 'Z9'.repeat(32)]) {
      const { client: plex } = client(() => json(201, { ...PIN_BODY, code }))
      expect(await plex.createPin(true)).toMatchObject({ ok: true, pin: { code } })
    }
  })

  it.each([0, -1, -900, 86_401, 1e308, Number.MAX_VALUE, 'NaN', '900', null, true])(
    'an expiresIn of %s is not understood',
    async (expiresIn) => {
      // JSON has no NaN/Infinity: 1e308 and the strings are what a hostile server can send.
      const { client: plex } = client(() => json(201, { ...PIN_BODY, expiresIn }))
      expect(await plex.createPin(false)).toMatchObject({ ok: false, kind: 'unavailable' })
    }
  )

  it('an expiresIn written as 1e999 (Infinity once parsed) is not understood', async () => {
    const body = JSON.stringify(PIN_BODY).replace('"expiresIn":900', '"expiresIn":1e999')
    const { client: plex } = client(() => new Response(body, { status: 201 }))
    expect(await plex.createPin(false)).toMatchObject({ ok: false, kind: 'unavailable' })
  })

  it.each([0, -5, 2 ** 53, 1e300, 4242.5])('a PIN id of %s is not understood', async (id) => {
    const { client: plex } = client(() => json(201, { ...PIN_BODY, id }))
    expect(await plex.createPin(false)).toMatchObject({ ok: false, kind: 'unavailable' })
  })

  it.each([
    ['a control character', 'tok\u0007en'],
    ['a line break', 'tok\r\nen'],
    ['non-Latin-1', 'токен'],
    ['a space', 'tok en']
  ])('an authToken with %s is not understood', async (_label, authToken) => {
    const { client: plex } = client(() => json(200, { ...PIN_BODY, authToken }))
    expect(await plex.getPin(1)).toMatchObject({ ok: false, kind: 'unavailable' })
  })
})

describe('plex client: what an account answer may hold', () => {
  it.each([0, -7, 2 ** 53, 1e300, 7.5, '7'])('an id of %s is not understood', async (id) => {
    const { client: plex } = client(() => json(200, { ...USER_BODY, id }))
    expect(await plex.getAccount(TOKEN)).toEqual({
      ok: false,
      kind: 'unavailable',
      message: 'plex.tv sent an answer this app does not understand'
    })
  })

  it('cleans username, title and email of escapes and caps them', async () => {
    const { client: plex } = client(() =>
      json(200, {
        ...USER_BODY,
        username: 'ali\u001b]52;c;Y3VybA==\u0007ce\u202e',
        title: `\u001b[31mAlice\u001b[0m ${'A'.repeat(500)}`,
        email: 'alice@example.com\u0007\r\nInjected: yes'
      })
    )
    const result = await plex.getAccount(TOKEN)
    if (!result.ok) throw new Error(result.message)
    expect(result.account.username).toBe('alice')
    expect(result.account.title.startsWith('Alice AAA')).toBe(true)
    expect(Array.from(result.account.title)).toHaveLength(200)
    expect(result.account.email).toBe('alice@example.com Injected: yes')
  })

  it('a name made only of escapes counts as no name', async () => {
    const { client: plex } = client(() =>
      json(200, { id: 7, username: '\u001b[2J', title: '\u202e\u0007' })
    )
    expect(await plex.getAccount(TOKEN)).toMatchObject({ ok: false, kind: 'unavailable' })
  })

  it.each([
    ['a uuid with odd characters', { uuid: 'u/../\u001b[2J' }, { uuid: '' }],
    ['a uuid that is too long', { uuid: 'a'.repeat(65) }, { uuid: '' }],
    ['a thumb over http', { thumb: 'http://plex.tv/users/7/avatar' }, { thumb: '' }],
    ['a file: thumb', { thumb: 'file:///etc/passwd' }, { thumb: '' }],
    ['a javascript: thumb', { thumb: 'javascript:alert(1)' }, { thumb: '' }],
    ['a thumb with a space', { thumb: 'https://plex.tv/a b' }, { thumb: '' }],
    ['a thumb that is not text', { thumb: 42 }, { thumb: '' }]
  ])('%s is dropped, the sign-in kept', async (_label, change, expected) => {
    const { client: plex } = client(() => json(200, { ...USER_BODY, ...change }))
    expect(await plex.getAccount(TOKEN)).toMatchObject({ ok: true, account: expected })
  })
})
