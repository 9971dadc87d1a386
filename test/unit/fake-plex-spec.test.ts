// The fake plex.tv checked against the community OpenAPI description, so it cannot drift from
// plex.tv, plus the behaviour and fault injection the other tests rely on.
import { readFileSync } from 'node:fs'
import { Agent, request } from 'node:http'
import { dirname, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import Ajv2020 from 'ajv/dist/2020'
import addFormats from 'ajv-formats'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { parse } from 'yaml'
import { startFakePlex, type FakePlex } from '../fake-plex/fake-plex-server'

// Vendored into the repository (see its SOURCE.md), so a fresh clone needs nothing beside it.
const SPEC_FILE = fileURLToPath(
  new URL('../fake-plex/plex-api-spec/plextv-pins.yaml', import.meta.url)
)

type Json = Record<string, unknown>

// Inlines every `$ref` (all of them point at whole files, relative to the referring file).
function loadYaml(file: string): unknown {
  return inlineRefs(parse(readFileSync(file, 'utf8')), dirname(file))
}

function inlineRefs(node: unknown, dir: string): unknown {
  if (Array.isArray(node)) return node.map((item) => inlineRefs(item, dir))
  if (node === null || typeof node !== 'object') return node
  const { $ref, ...rest } = node as Json
  const inlined = Object.fromEntries(
    Object.entries(rest).map(([key, value]) => [key, inlineRefs(value, dir)])
  )
  if ($ref === undefined) return inlined
  if (typeof $ref !== 'string' || $ref.includes('#')) throw new Error(`unsupported $ref ${$ref}`)
  // OpenAPI 3.1 lets keys beside $ref (a description) add to the referenced schema
  return { ...(loadYaml(resolve(dir, $ref)) as Json), ...inlined }
}

const spec = loadYaml(SPEC_FILE) as { paths: Record<string, Record<string, Json>> }
const ajv = new Ajv2020({ strict: false, allErrors: true })
addFormats(ajv)

function responseSchema(path: string, method: string, status: number): Json {
  const responses = spec.paths[path][method].responses as Record<string, Json>
  const content = responses[String(status)].content as Record<string, { schema: Json }>
  return content['application/json'].schema
}

function specErrors(path: string, method: string, status: number, body: unknown): string {
  const validate = ajv.compile(responseSchema(path, method, status))
  return validate(body) ? '' : ajv.errorsText(validate.errors)
}

// The spec leaves additionalProperties open; this catches fields plex.tv does not send.
function undescribedKeys(path: string, method: string, status: number, body: Json): string[] {
  const described = Object.keys(responseSchema(path, method, status).properties as Json)
  return Object.keys(body).filter((key) => !described.includes(key))
}

const CLIENT_ID = 'fake-plex-spec-client'

function plexHeaders(extra: Record<string, string> = {}): Record<string, string> {
  return {
    accept: 'application/json',
    'x-plex-client-identifier': CLIENT_ID,
    'x-plex-product': 'Plex Login Helper',
    ...extra
  }
}

let plex: FakePlex

function createPin(query = '', headers = plexHeaders()): Promise<Response> {
  return fetch(`${plex.url}/api/v2/pins${query}`, { method: 'POST', headers })
}

function pollPin(id: number, headers = plexHeaders()): Promise<Response> {
  return fetch(`${plex.url}/api/v2/pins/${id}`, { headers })
}

function getUser(token?: string): Promise<Response> {
  const headers = token === undefined ? plexHeaders() : plexHeaders({ 'x-plex-token': token })
  return fetch(`${plex.url}/api/v2/user`, { headers })
}

async function newPin(query = ''): Promise<Json & { id: number; code: string }> {
  const res = await createPin(query)
  expect(res.status).toBe(201)
  return (await res.json()) as Json & { id: number; code: string }
}

beforeEach(async () => {
  plex = await startFakePlex()
})

afterEach(async () => {
  await plex.close()
})

describe('fake plex.tv answers match the OpenAPI description', () => {
  it('rejects bodies that break the schema, so the checks below mean something', async () => {
    const pin = await newPin()
    expect(specErrors('/pins', 'post', 201, { ...pin, code: undefined })).toMatch(/code/)
    expect(specErrors('/pins', 'post', 201, { ...pin, createdAt: 'yesterday' })).toMatch(
      /date-time/
    )
    expect(specErrors('/pins/{pinID}', 'get', 200, { ...pin, location: {} })).not.toBe('')
  })

  it('creates a short pin as an AuthPinContainer with 201', async () => {
    const res = await createPin()
    expect(res.status).toBe(201)
    expect(res.headers.get('content-type')).toBe('application/json')
    const pin = (await res.json()) as Json
    expect(specErrors('/pins', 'post', 201, pin)).toBe('')
    expect(undescribedKeys('/pins', 'post', 201, pin)).toEqual([])
    expect(pin.code).toMatch(/^[A-Z0-9]{4}$/)
    expect(pin).toMatchObject({
      product: 'Plex Login Helper',
      trusted: false,
      qr: `https://plex.tv/api/v2/pins/qr/${pin.code}`,
      clientIdentifier: CLIENT_ID,
      expiresIn: 900,
      authToken: null,
      newRegistration: null
    })
    expect(pin.createdAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/)
    const lifetime = Date.parse(pin.expiresAt as string) - Date.parse(pin.createdAt as string)
    expect(lifetime).toBe(900_000)
    expect(plex.pins).toHaveLength(1)
    expect(plex.pins[0]).toMatchObject({ id: pin.id, code: pin.code, strong: false })
  })

  it('creates a strong pin with strong=true', async () => {
    const res = await createPin('?strong=true')
    expect(res.status).toBe(201)
    const pin = (await res.json()) as Json
    expect(specErrors('/pins', 'post', 201, pin)).toBe('')
    expect(pin.code).toMatch(/^[a-z0-9]{25}$/)
    expect(pin.expiresIn).toBe(1800)
    expect(plex.pins[0].strong).toBe(true)
  })

  it('answers a poll with 200 before and after approval', async () => {
    const { id, code } = await newPin()
    const before = (await (await pollPin(id)).json()) as Json
    expect(specErrors('/pins/{pinID}', 'get', 200, before)).toBe('')
    expect(before).toMatchObject({ id, code, authToken: null })

    const token = plex.approve(id)
    const res = await pollPin(id)
    expect(res.status).toBe(200)
    const after = (await res.json()) as Json
    expect(specErrors('/pins/{pinID}', 'get', 200, after)).toBe('')
    expect(undescribedKeys('/pins/{pinID}', 'get', 200, after)).toEqual([])
    expect(after.authToken).toBe(token)
  })

  it('answers 404 code 1020 once a pin is expired', async () => {
    const { id } = await newPin()
    plex.expire(id)
    const res = await pollPin(id)
    expect(res.status).toBe(404)
    const body = await res.json()
    expect(specErrors('/pins/{pinID}', 'get', 404, body)).toBe('')
    expect(body).toEqual({ errors: [{ code: 1020, message: 'Code not found or expired' }] })
  })

  it('answers /user with a UserPlexAccount for a valid token', async () => {
    plex.addToken('stored-token-1234567')
    const res = await getUser('stored-token-1234567')
    expect(res.status).toBe(200)
    const user = (await res.json()) as Json
    expect(specErrors('/user', 'get', 200, user)).toBe('')
    expect(undescribedKeys('/user', 'get', 200, user)).toEqual([])
    expect(user).toMatchObject({
      authToken: 'stored-token-1234567',
      id: plex.user.id,
      uuid: plex.user.uuid,
      username: plex.user.username,
      email: plex.user.email
    })
  })

  it('answers /user with 401 for an unknown or missing token', async () => {
    for (const res of [await getUser('not-a-token'), await getUser()]) {
      expect(res.status).toBe(401)
      const body = await res.json()
      expect(specErrors('/user', 'get', 401, body)).toBe('')
      expect(body).toEqual({
        errors: [{ code: 1001, message: 'User could not be authenticated', status: 401 }]
      })
    }
  })

  it('answers 400 when the client identifier is missing', async () => {
    const { id } = await newPin()
    const headers = { accept: 'application/json' }
    for (const [path, method, res] of [
      ['/pins', 'post', await createPin('', headers)],
      ['/pins/{pinID}', 'get', await pollPin(id, headers)]
    ] as const) {
      expect(res.status).toBe(400)
      const body = await res.json()
      expect(specErrors(path, method, 400, body)).toBe('')
      expect(body).toEqual({
        errors: [{ code: 1000, message: 'X-Plex-Client-Identifier is missing', status: 400 }]
      })
    }
    expect(plex.pins).toHaveLength(1)
  })
})

describe('fake plex.tv behaviour', () => {
  it('signs in with the token of an approved pin', async () => {
    const claimed: number[] = []
    plex.onClaim = (pin) => claimed.push(pin.id)
    const { id, code } = await newPin()
    const token = plex.approve(code)
    expect(claimed).toEqual([id])
    expect(plex.isValidToken(token)).toBe(true)
    expect(plex.pins[0].authToken).toBe(token)
    expect(plex.pins[0].claimedAt).toBeTypeOf('number')
    const polled = (await (await pollPin(id)).json()) as Json
    expect(polled.authToken).toBe(token)
    expect((await getUser(token)).status).toBe(200)
  })

  it('approves the newest live pin by default and refuses dead or unknown ones', async () => {
    const first = await newPin()
    const second = await newPin()
    plex.approve()
    expect(plex.pins.map((pin) => pin.authToken !== null)).toEqual([false, true])
    expect(() => plex.approve(second.id)).toThrow()
    plex.expire(first.id)
    expect(plex.pins[0].expired).toBe(true)
    expect(() => plex.approve(first.code)).toThrow()
    expect(() => plex.approve(999)).toThrow()
  })

  it('revokes the token on sign-out and at the revoke() hook', async () => {
    plex.addToken('token-a')
    plex.addToken('token-b')
    const signout = () =>
      fetch(`${plex.url}/api/v2/users/signout`, {
        method: 'DELETE',
        headers: plexHeaders({ 'x-plex-token': 'token-a' })
      })
    const ping = (token: string) =>
      fetch(`${plex.url}/api/v2/ping`, { headers: plexHeaders({ 'x-plex-token': token }) })

    expect((await ping('token-a')).status).toBe(200)
    const res = await signout()
    expect(res.status).toBe(204)
    expect(await res.text()).toBe('')
    expect(plex.isValidToken('token-a')).toBe(false)
    expect((await getUser('token-a')).status).toBe(401)
    expect((await ping('token-a')).status).toBe(401)
    expect((await signout()).status).toBe(401)

    plex.revoke('token-b')
    expect((await getUser('token-b')).status).toBe(401)
  })

  it('will not hand a pin to another client identifier', async () => {
    const { id } = await newPin()
    plex.approve(id)
    const res = await pollPin(id, plexHeaders({ 'x-plex-client-identifier': 'someone-else' }))
    expect(res.status).toBe(404)
    expect(await res.json()).toEqual({
      errors: [{ code: 1020, message: 'Code not found or expired' }]
    })
    expect((await pollPin(id + 1000)).status).toBe(404)
  })

  it('logs API requests with their route, but not the demo and control routes', async () => {
    const { id } = await newPin('?strong=true')
    await pollPin(id)
    await getUser('nope')
    const other = await fetch(`${plex.url}/api/v2/nothing-here`)
    expect(other.status).toBe(404)
    expect(other.headers.get('content-type')).toBe('application/json')
    await fetch(`${plex.url}/`)
    await fetch(`${plex.url}/fake/pins`)
    expect(plex.requests.map((r) => [r.method, r.path, r.route])).toEqual([
      ['POST', '/api/v2/pins?strong=true', 'create'],
      ['GET', `/api/v2/pins/${id}`, 'poll'],
      ['GET', '/api/v2/user', 'user'],
      ['GET', '/api/v2/nothing-here', 'other']
    ])
    expect(plex.requests[0].headers['x-plex-client-identifier']).toBe(CLIENT_ID)
    expect(plex.requests[0].at).toBeLessThanOrEqual(Date.now())
  })

  it('expires pins after their lifetime', async () => {
    await plex.close()
    plex = await startFakePlex({ pinLifetimeSeconds: 1 })
    const { id, expiresIn } = await newPin()
    expect(expiresIn).toBe(1)
    expect((await pollPin(id)).status).toBe(200)
    await new Promise((done) => setTimeout(done, 1050))
    expect(plex.pins[0].expired).toBe(true)
    expect((await pollPin(id)).status).toBe(404)
    expect(() => plex.approve(id)).toThrow()
  })

  it('keeps one connection alive across polls', async () => {
    const { id } = await newPin()
    const agent = new Agent({ keepAlive: true })
    const poll = () =>
      new Promise<boolean>((done, fail) => {
        const req = request(`${plex.url}/api/v2/pins/${id}`, { agent, headers: plexHeaders() })
        req.on('response', (res) => {
          res.resume()
          res.on('end', () => done(req.reusedSocket))
        })
        req.on('error', fail)
        req.end()
      })
    try {
      expect(await poll()).toBe(false)
      expect(await poll()).toBe(true)
      expect(await poll()).toBe(true)
    } finally {
      agent.destroy()
    }
  })

  it('closes promptly with requests still waiting on a delay', async () => {
    plex.setDelay(5_000)
    const pending = createPin()
    await new Promise((done) => setTimeout(done, 50))
    const started = Date.now()
    await plex.close()
    await expect(pending).rejects.toThrow()
    expect(Date.now() - started).toBeLessThan(1_000)
  })
})

describe('fake plex.tv faults', () => {
  it('answers queued faults in order, then normally', async () => {
    const { id } = await newPin()
    plex.fault(
      'poll',
      { status: 429, retryAfter: '2' },
      { status: 502, html: true },
      { body: '{"id":1,"co' },
      { status: 503 }
    )

    const limited = await pollPin(id)
    expect(limited.status).toBe(429)
    expect(limited.headers.get('retry-after')).toBe('2')
    expect(await limited.json()).toEqual({
      errors: [{ code: 1003, message: 'API rate limit exceeded' }]
    })

    const html = await pollPin(id)
    expect(html.status).toBe(502)
    expect(html.headers.get('content-type')).toMatch(/^text\/html/)
    expect(await html.text()).toMatch(/^<!doctype html>.*502 Bad Gateway/)

    const truncated = await pollPin(id)
    expect(truncated.status).toBe(200)
    await expect(truncated.json()).rejects.toThrow(SyntaxError)

    const unavailable = await pollPin(id)
    expect(await unavailable.json()).toEqual({
      errors: [{ code: 503, message: 'Service Unavailable', status: 503 }]
    })

    expect((await pollPin(id)).status).toBe(200)
    expect(plex.requests.filter((r) => r.route === 'poll')).toHaveLength(5)
  })

  it('drops the connection without an answer', async () => {
    plex.fault('create', { drop: true })
    await expect(createPin()).rejects.toThrow()
    expect(plex.pins).toHaveLength(0)
    expect((await createPin()).status).toBe(201)
  })

  it('delays an answer, per fault and for every request', async () => {
    const { id } = await newPin()
    plex.fault('poll', { delayMs: 150 })
    let started = Date.now()
    expect((await pollPin(id)).status).toBe(200)
    expect(Date.now() - started).toBeGreaterThanOrEqual(140)

    plex.setDelay(100)
    started = Date.now()
    expect((await getUser()).status).toBe(401)
    expect(Date.now() - started).toBeGreaterThanOrEqual(90)
  })

  it('keeps a sticky fault until cleared, after the queued ones', async () => {
    plex.addToken('tok')
    plex.failAlways('user', { status: 500 })
    plex.fault('user', { status: 429 })
    expect((await getUser('tok')).status).toBe(429)
    expect((await getUser('tok')).status).toBe(500)
    expect((await getUser('tok')).status).toBe(500)
    plex.failAlways('user', undefined)
    expect((await getUser('tok')).status).toBe(200)
  })
})

describe('fake plex.tv demo page', () => {
  it('lists live codes and approves one from its form', async () => {
    const { id, code } = await newPin()
    const expired = await newPin()
    plex.expire(expired.id)

    const page = await fetch(`${plex.url}/`)
    expect(page.headers.get('content-type')).toMatch(/^text\/html/)
    const html = await page.text()
    expect(html).toContain(`<code>${code}</code>`)
    expect(html).not.toContain(expired.code)
    expect(html).toContain(`action="/fake/approve?id=${id}"`)
    expect(html).toMatch(/http-equiv="refresh" content="2"/)

    const approved = await fetch(`${plex.url}/fake/approve?id=${id}`, {
      method: 'POST',
      redirect: 'manual'
    })
    expect(approved.status).toBe(303)
    expect(approved.headers.get('location')).toBe('/')
    const polled = (await (await pollPin(id)).json()) as Json
    expect(polled.authToken).toBe(plex.pins[0].authToken)
    expect(plex.isValidToken(polled.authToken as string)).toBe(true)

    const again = await fetch(`${plex.url}/fake/approve?id=${id}`, { method: 'POST' })
    expect(again.status).toBe(409)

    const list = (await (await fetch(`${plex.url}/fake/pins`)).json()) as Json[]
    expect(list).toMatchObject([
      { id, code, claimed: true, expired: false },
      { id: expired.id, expired: true, claimed: false }
    ])
    expect(JSON.stringify(list)).not.toContain(polled.authToken as string)
    expect(plex.requests.map((r) => r.route)).toEqual(['create', 'create', 'poll'])
  })
})
