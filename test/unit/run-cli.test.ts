import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { helpText } from '../../src/main/cli/cli-args'
import { runCli, type CliIo } from '../../src/main/cli/run-cli'
import { openJsonFileStorage } from '../../src/main/store/json-file-storage'
import { CredentialStore } from '../../src/main/store/credential-store'

// runCli runs the real flow with its real 1 s polling; the timers are faked (Date is not) so
// a run that waits minutes finishes at once, and no duration is measured in real time.

const TOKEN = 'zX9-SECRET-TOKEN-42'
const USER = {
  id: 7,
  uuid: 'uuid-7',
  username: 'alice',
  title: 'Alice',
  friendlyName: 'Alice A.',
  email: 'alice@example.com',
  thumb: 'https://plex.tv/users/7/avatar',
  subscription: { active: true }
}
const USER_JSON = {
  id: 7,
  uuid: 'uuid-7',
  username: 'alice',
  title: 'Alice',
  email: 'alice@example.com',
  thumb: 'https://plex.tv/users/7/avatar'
}
const PLEX_URL = 'http://127.0.0.1:32499'

interface Sent {
  method: string
  path: string
  clientId: string | null
  token: string | null
}

type Route = (request: Sent, n: number) => Response | undefined

const json = (status: number, body: unknown, headers: Record<string, string> = {}): Response =>
  new Response(JSON.stringify(body), { status, headers })
const plexError = (status: number, code: number, message: string): Response =>
  json(status, { errors: [{ code, message, status }] })
const pinBody = (id: number, authToken: string | null = null) => ({
  id,
  code: `CODE${id}`,
  expiresIn: 900,
  expiresAt: '2024-01-01T00:15:00Z',
  authToken
})

// The usual plex.tv: one code, approved on the first poll, the account readable.
const approving: Route = (request) => {
  if (request.method === 'POST' && request.path === '/api/v2/pins') return json(201, pinBody(1))
  if (request.path === '/api/v2/pins/1') return json(200, pinBody(1, TOKEN))
  if (request.path === '/api/v2/user') return json(200, USER)
  return undefined
}

let storeDir: string
let root: string
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'plex-login-cli-'))
  storeDir = join(root, 'store')
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval'] })
})
afterEach(() => {
  vi.useRealTimers()
  rmSync(root, { recursive: true, force: true })
})

interface Harness {
  io: CliIo
  stdout: string[]
  stderr: string[]
  requests: Sent[]
  interrupt: () => void
  listening: () => boolean
}

function harness(argv: string[], route: Route = approving, env: NodeJS.ProcessEnv = {}): Harness {
  const stdout: string[] = []
  const stderr: string[] = []
  const requests: Sent[] = []
  let interruptCallback: (() => void) | undefined
  const fetchStub = async (input: string | URL | Request, init?: RequestInit) => {
    const url = new URL(String(input))
    const headers = new Headers(init?.headers)
    const request: Sent = {
      method: init?.method ?? 'GET',
      path: url.pathname + url.search,
      clientId: headers.get('x-plex-client-identifier'),
      token: headers.get('x-plex-token')
    }
    requests.push(request)
    const response = route(request, requests.length)
    if (!response) throw new Error(`unexpected ${request.method} ${request.path}`)
    return response
  }
  return {
    io: {
      argv: [...argv, '--store-dir', storeDir, '--plex-url', PLEX_URL],
      env,
      version: '9.8.7',
      stdout: (text) => stdout.push(text),
      stderr: (text) => stderr.push(text),
      stderrIsTty: false,
      fetch: fetchStub as typeof fetch,
      onInterrupt: (callback) => {
        interruptCallback = callback
        return () => {
          interruptCallback = undefined
        }
      }
    },
    stdout,
    stderr,
    requests,
    interrupt: () => interruptCallback?.(),
    listening: () => interruptCallback !== undefined
  }
}

// Runs the command, moving the fake timers on until it ends.
async function run(h: Harness): Promise<number | undefined> {
  let exitCode: number | undefined
  const running = runCli(h.io).then((result) => (exitCode = result.exitCode))
  for (let i = 0; exitCode === undefined && i < 20_000; i++) {
    await vi.advanceTimersByTimeAsync(100)
  }
  await running
  return exitCode
}

/** The one JSON line --json prints, checked to be alone on stdout. */
function jsonOut(h: Harness): unknown {
  const text = h.stdout.join('')
  expect(text.endsWith('\n')).toBe(true)
  const lines = text.slice(0, -1).split('\n')
  expect(lines).toHaveLength(1)
  return JSON.parse(lines[0]!)
}

function stored(): unknown {
  return JSON.parse(readFileSync(join(storeDir, 'plex-login.json'), 'utf8'))
}

async function seedSignedIn(token = TOKEN): Promise<string> {
  const storage = openJsonFileStorage(storeDir, () => {})
  const store = new CredentialStore(storage, { origin: PLEX_URL })
  await store.save(token, USER_JSON)
  return store.clientIdentifier()
}

const stderrText = (h: Harness): string => h.stderr.join('')

describe('plex-login login', () => {
  it('--json: one line with the token, the client identifier and the user', async () => {
    const h = harness(['--json'])
    expect(await run(h)).toBe(0)
    const clientIdentifier = (stored() as { clientIdentifier: string }).clientIdentifier
    expect(clientIdentifier).toMatch(/^[0-9a-f-]{36}$/)
    expect(jsonOut(h)).toEqual({
      ok: true,
      authToken: TOKEN,
      clientIdentifier,
      user: USER_JSON,
      tokenType: 'classic'
    })
    expect(h.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
      'POST /api/v2/pins',
      'GET /api/v2/pins/1',
      'GET /api/v2/user'
    ])
    expect(h.requests.every((r) => r.clientId === clientIdentifier)).toBe(true)
    expect(h.requests.map((r) => r.token)).toEqual([null, null, TOKEN])
    expect(stderrText(h)).toContain('CODE1')
    expect(stderrText(h)).toContain('https://plex.tv/link/?pin=CODE1')
    expect(stderrText(h)).toContain('Signed in as alice')
    expect(stderrText(h)).not.toContain(TOKEN)
    expect(stored()).toEqual({
      clientIdentifier,
      credentials: { token: TOKEN, account: USER_JSON, clientIdentifier, origin: PLEX_URL }
    })
    expect(h.listening()).toBe(false)
  })

  it('reuses the client identifier on the next run', async () => {
    const first = harness(['--json'])
    expect(await run(first)).toBe(0)
    const second = harness(['--json'])
    expect(await run(second)).toBe(0)
    const firstId = first.requests[0]!.clientId
    expect(second.requests.every((r) => r.clientId === firstId)).toBe(true)
    expect(jsonOut(second)).toMatchObject({ clientIdentifier: firstId })
  })

  it('--client-id replaces the stored identifier', async () => {
    const h = harness(['--json', '--client-id', 'installer-id-1'])
    expect(await run(h)).toBe(0)
    expect(h.requests.every((r) => r.clientId === 'installer-id-1')).toBe(true)
    expect(jsonOut(h)).toMatchObject({ clientIdentifier: 'installer-id-1' })
  })

  it('without --json prints nothing on stdout', async () => {
    const h = harness(['login'])
    expect(await run(h)).toBe(0)
    expect(h.stdout).toEqual([])
    expect(stderrText(h)).toContain('Signed in as alice')
    expect(stderrText(h)).not.toContain(TOKEN)
  })

  it('--strong asks for a strong code and shows the auth page', async () => {
    const h = harness(['--json', '--strong'], (request) => {
      if (request.path === '/api/v2/pins?strong=true') return json(201, pinBody(1))
      return approving(request, 0)
    })
    expect(await run(h)).toBe(0)
    expect(stderrText(h)).toContain('https://app.plex.tv/auth#?clientID=')
  })

  it('a 4xx on create: exit 1, code rejected, plex.tv’s message', async () => {
    const h = harness(['--json'], () => plexError(400, 1000, 'X-Plex-Client-Identifier is missing'))
    expect(await run(h)).toBe(1)
    expect(jsonOut(h)).toEqual({
      ok: false,
      error: { code: 'rejected', message: 'X-Plex-Client-Identifier is missing' }
    })
    expect(h.requests).toHaveLength(1)
  })

  it('plex.tv down: exit 1, code unavailable, after a few tries', async () => {
    const h = harness(['--json'], () => new Response('<html>502</html>', { status: 502 }))
    expect(await run(h)).toBe(1)
    expect(jsonOut(h)).toEqual({
      ok: false,
      error: { code: 'unavailable', message: expect.stringContaining('502') }
    })
    expect(h.requests).toHaveLength(5)
    expect(stderrText(h)).toContain('retrying in 2 s')
  })

  it('rate-limited on create: exit 1, code rate-limited', async () => {
    const h = harness(['--json'], () => plexError(429, 1003, 'API rate limit exceeded'))
    expect(await run(h)).toBe(1)
    expect(jsonOut(h)).toEqual({
      ok: false,
      error: { code: 'rate-limited', message: 'API rate limit exceeded' }
    })
    expect(stderrText(h)).toContain('rate-limited, retrying in 2 s')
  })

  it('--no-renew: an expired code is exit 3, code expired', async () => {
    const h = harness(['--json', '--no-renew'], (request) => {
      if (request.method === 'POST') return json(201, pinBody(1))
      return plexError(404, 1020, 'Code not found or expired')
    })
    expect(await run(h)).toBe(3)
    expect(jsonOut(h)).toEqual({
      ok: false,
      error: { code: 'expired', message: expect.any(String) }
    })
    expect(h.requests.filter((r) => r.method === 'POST')).toHaveLength(1)
  })

  it('renews an expired code by default', async () => {
    let posts = 0
    const h = harness(['--json'], (request) => {
      if (request.method === 'POST') return json(201, pinBody(++posts))
      if (request.path === '/api/v2/pins/1') return plexError(404, 1020, 'Code not found')
      if (request.path === '/api/v2/pins/2') return json(200, pinBody(2, TOKEN))
      return approving(request, 0)
    })
    expect(await run(h)).toBe(0)
    expect(h.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
      'POST /api/v2/pins',
      'GET /api/v2/pins/1',
      'POST /api/v2/pins',
      'GET /api/v2/pins/2',
      'GET /api/v2/user'
    ])
    expect(stderrText(h)).toContain('The code expired; asking for a new one')
    expect(stderrText(h)).toContain('CODE2')
  })

  it('--timeout: exit 3, code timeout, and nothing sent afterwards', async () => {
    const h = harness(['--json', '--timeout', '0.2'], (request) =>
      request.method === 'POST' ? json(201, pinBody(1)) : json(200, pinBody(1))
    )
    expect(await run(h)).toBe(3)
    expect(jsonOut(h)).toEqual({
      ok: false,
      error: { code: 'timeout', message: 'Gave up after 0.2 s (--timeout)' }
    })
    const count = h.requests.length
    await vi.advanceTimersByTimeAsync(60_000)
    expect(h.requests).toHaveLength(count)
  })

  it('--timeout lets polling run until it is reached', async () => {
    const h = harness(['--json', '--timeout', '5'], (request) =>
      request.method === 'POST' ? json(201, pinBody(1)) : json(200, pinBody(1))
    )
    expect(await run(h)).toBe(3)
    expect(h.requests.filter((r) => r.path === '/api/v2/pins/1').length).toBe(4)
    expect(jsonOut(h)).toMatchObject({ ok: false, error: { code: 'timeout' } })
  })

  it('an interrupt: exit 130, code interrupted, nothing sent afterwards', async () => {
    const h = harness(['--json'], (request) =>
      request.method === 'POST' ? json(201, pinBody(1)) : json(200, pinBody(1))
    )
    let exitCode: number | undefined
    const running = runCli(h.io).then((result) => (exitCode = result.exitCode))
    await vi.advanceTimersByTimeAsync(3_000)
    expect(stderrText(h)).toContain('CODE1')
    expect(h.listening()).toBe(true)
    h.interrupt()
    await running
    expect(exitCode).toBe(130)
    expect(jsonOut(h)).toEqual({
      ok: false,
      error: { code: 'interrupted', message: 'Interrupted' }
    })
    expect(h.listening()).toBe(false)
    const count = h.requests.length
    await vi.advanceTimersByTimeAsync(60_000)
    expect(h.requests).toHaveLength(count)
    expect(vi.getTimerCount()).toBe(0)
  })

  it('a store that cannot be written when saving: exit 1, code store', async () => {
    const h = harness(['--json'], (request) => {
      if (request.path === '/api/v2/user') {
        // the store file turns into a folder between approval and saving
        const file = join(storeDir, 'plex-login.json')
        rmSync(file, { force: true })
        mkdirSync(file)
      }
      return approving(request, 0)
    })
    expect(await run(h)).toBe(1)
    expect(jsonOut(h)).toEqual({
      ok: false,
      error: { code: 'store', message: expect.stringContaining('Could not save the sign-in') }
    })
    expect(stderrText(h)).not.toContain(TOKEN)
    expect(h.stdout.join('')).not.toContain(TOKEN)
  })

  it('a store directory under a regular file: exit 1, code store, plain message', async () => {
    writeFileSync(join(root, 'file'), 'x')
    storeDir = join(root, 'file', 'store')
    const h = harness(['--json'])
    expect(await run(h)).toBe(1)
    expect(jsonOut(h)).toEqual({
      ok: false,
      error: { code: 'store', message: `Cannot use the store in ${storeDir}: a file is in the way` }
    })
    expect(h.requests).toEqual([])
    expect(stderrText(h)).not.toMatch(/\n\s+at /)
  })

  it('--reuse with a valid stored token finishes at once', async () => {
    const clientIdentifier = await seedSignedIn()
    const h = harness(['--json', '--reuse'])
    expect(await run(h)).toBe(0)
    expect(jsonOut(h)).toEqual({
      ok: true,
      authToken: TOKEN,
      clientIdentifier,
      user: USER_JSON,
      tokenType: 'classic'
    })
    expect(h.requests.map((r) => `${r.method} ${r.path}`)).toEqual(['GET /api/v2/user'])
    expect(stderrText(h)).not.toContain(TOKEN)
  })

  it('--reuse with a revoked token asks for a new code', async () => {
    await seedSignedIn('old-dead-token')
    const h = harness(['--json', '--reuse'], (request) => {
      if (request.path === '/api/v2/user' && request.token === 'old-dead-token') {
        return plexError(401, 1001, 'User could not be authenticated')
      }
      return approving(request, 0)
    })
    expect(await run(h)).toBe(0)
    expect(jsonOut(h)).toMatchObject({ ok: true, authToken: TOKEN })
    expect(h.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
      'GET /api/v2/user',
      'POST /api/v2/pins',
      'GET /api/v2/pins/1',
      'GET /api/v2/user'
    ])
  })
})

describe('plex-login status', () => {
  it('signed in: exit 0 with the user', async () => {
    await seedSignedIn()
    const h = harness(['status', '--json'])
    expect(await run(h)).toBe(0)
    expect(jsonOut(h)).toEqual({ ok: true, signedIn: true, user: USER_JSON })
    expect(h.requests).toEqual([
      expect.objectContaining({ method: 'GET', path: '/api/v2/user', token: TOKEN })
    ])
    expect(stderrText(h)).toContain('Signed in as alice')
    expect(stderrText(h)).not.toContain(TOKEN)
  })

  it('prints exactly the six user fields, whatever else is stored', async () => {
    mkdirSync(storeDir, { recursive: true })
    writeFileSync(
      join(storeDir, 'plex-login.json'),
      JSON.stringify({
        clientIdentifier: 'cid',
        credentials: {
          token: TOKEN,
          account: { ...USER_JSON, extra: 'x', home: true },
          origin: PLEX_URL
        }
      })
    )
    const h = harness(['status', '--json'], () => json(200, USER))
    expect(await run(h)).toBe(0)
    const out = jsonOut(h) as { user: Record<string, unknown> }
    expect(Object.keys(out.user).sort()).toEqual(
      ['email', 'id', 'thumb', 'title', 'username', 'uuid'].sort()
    )
    const reuse = harness(['--json', '--reuse'], () => json(200, USER))
    expect(await run(reuse)).toBe(0)
    expect(jsonOut(reuse)).toEqual({
      ok: true,
      authToken: TOKEN,
      clientIdentifier: 'cid',
      user: USER_JSON,
      tokenType: 'classic'
    })
  })

  it('nothing stored: exit 4, no request', async () => {
    const h = harness(['status', '--json'])
    expect(await run(h)).toBe(4)
    expect(jsonOut(h)).toEqual({ ok: true, signedIn: false })
    expect(h.requests).toEqual([])
  })

  it('401: exit 4 and the token is forgotten', async () => {
    const clientIdentifier = await seedSignedIn()
    const h = harness(['status', '--json'], () =>
      plexError(401, 1001, 'User could not be authenticated')
    )
    expect(await run(h)).toBe(4)
    expect(jsonOut(h)).toEqual({ ok: true, signedIn: false })
    expect(stored()).toEqual({ clientIdentifier })
  })

  it('plex.tv unreachable: exit 1, code unavailable, token kept', async () => {
    await seedSignedIn()
    const h = harness(['status', '--json'], () => {
      throw new TypeError('fetch failed')
    })
    expect(await run(h)).toBe(1)
    expect(jsonOut(h)).toEqual({
      ok: false,
      error: { code: 'unavailable', message: expect.stringContaining('127.0.0.1:32499') }
    })
    expect(stored()).toMatchObject({ credentials: { token: TOKEN } })
    expect(stderrText(h)).not.toContain(TOKEN)
  })

  it('a 404 from /user: exit 1 (not 3, no expired code), token kept', async () => {
    await seedSignedIn()
    const h = harness(['status', '--json'], () => new Response('', { status: 404 }))
    expect(await run(h)).toBe(1)
    expect(jsonOut(h)).toMatchObject({ ok: false, error: { code: 'rejected' } })
    expect(stored()).toMatchObject({ credentials: { token: TOKEN } })
  })

  it('rate-limited: exit 1, code rate-limited, token kept', async () => {
    await seedSignedIn()
    const h = harness(['status', '--json'], () => plexError(429, 1003, 'API rate limit exceeded'))
    expect(await run(h)).toBe(1)
    expect(jsonOut(h)).toEqual({
      ok: false,
      error: {
        code: 'rate-limited',
        message: 'Could not check the sign-in: API rate limit exceeded'
      }
    })
    expect(stored()).toMatchObject({ credentials: { token: TOKEN } })
  })

  it('without --json: exit 4 and a line on stderr only', async () => {
    const h = harness(['status'])
    expect(await run(h)).toBe(4)
    expect(h.stdout).toEqual([])
    expect(stderrText(h)).toContain('Not signed in')
  })
})

describe('plex-login logout', () => {
  it('revokes and forgets: exit 0', async () => {
    const clientIdentifier = await seedSignedIn()
    const h = harness(['logout', '--json'], () => new Response(null, { status: 204 }))
    expect(await run(h)).toBe(0)
    expect(jsonOut(h)).toEqual({ ok: true, signedIn: false, revoked: true })
    expect(h.requests).toEqual([
      expect.objectContaining({ method: 'DELETE', path: '/api/v2/users/signout', token: TOKEN })
    ])
    expect(stored()).toEqual({ clientIdentifier })
    expect(stderrText(h)).not.toContain(TOKEN)
  })

  it('plex.tv unreachable: forgets anyway, revoked false', async () => {
    const clientIdentifier = await seedSignedIn()
    const h = harness(['logout', '--json'], () => new Response('down', { status: 503 }))
    expect(await run(h)).toBe(0)
    expect(jsonOut(h)).toEqual({ ok: true, signedIn: false, revoked: false })
    expect(stored()).toEqual({ clientIdentifier })
    expect(stderrText(h)).toContain('Authorized Devices')
    expect(stderrText(h)).not.toContain(TOKEN)
  })

  it('nothing stored: exit 0, no request', async () => {
    const h = harness(['logout', '--json'])
    expect(await run(h)).toBe(0)
    expect(jsonOut(h)).toEqual({ ok: true, signedIn: false, revoked: false })
    expect(h.requests).toEqual([])
  })
})

describe('plex-login usage, help and version', () => {
  it.each([
    [['--json', '--bogus'], "Unknown option '--bogus'"],
    [['--json', 'status', 'logout'], 'expected one command, got: status logout'],
    [['--json', 'status', '--strong'], '--strong only applies to login'],
    [['--json', '--timeout', '0'], '--timeout must be a positive number of seconds, got "0"']
  ])('%j: exit 2 with one JSON line', async (argv, message) => {
    const h = harness(argv)
    expect(await run(h)).toBe(2)
    expect(jsonOut(h)).toEqual({ ok: false, error: { code: 'usage', message } })
    expect(stderrText(h)).toContain(`plex-login: ${message}`)
    expect(stderrText(h)).toContain('plex-login --help')
    expect(h.requests).toEqual([])
  })

  it('a usage error without --json prints nothing on stdout', async () => {
    const h = harness(['frobnicate'])
    expect(await run(h)).toBe(2)
    expect(h.stdout).toEqual([])
    expect(stderrText(h)).toContain('unknown command "frobnicate"')
  })

  it('PLEX_LOGIN_PLEX_URL is checked like --plex-url', async () => {
    const h = harness(['--json'], approving, { PLEX_LOGIN_PLEX_URL: 'http://plex.example.com' })
    h.io.argv = ['--json', '--store-dir', storeDir]
    expect(await run(h)).toBe(2)
    expect(jsonOut(h)).toMatchObject({ ok: false, error: { code: 'usage' } })
    expect(h.requests).toEqual([])
  })

  it('PLEX_LOGIN_PLEX_URL points the command at another plex.tv', async () => {
    const h = harness(['--json'], approving, { PLEX_LOGIN_PLEX_URL: 'http://localhost:4010' })
    const urls: string[] = []
    const inner = h.io.fetch!
    h.io.fetch = ((input: string | URL | Request, init?: RequestInit) => {
      urls.push(String(input))
      return inner(String(input).replace('http://localhost:4010', PLEX_URL), init)
    }) as typeof fetch
    h.io.argv = ['--json', '--store-dir', storeDir]
    expect(await run(h)).toBe(0)
    expect(urls[0]).toBe('http://localhost:4010/api/v2/pins')
  })

  it('-h prints the help, -V the version', async () => {
    const help = harness(['-h'])
    expect(await run(help)).toBe(0)
    expect(help.stdout).toEqual([helpText()])
    const version = harness(['-V'])
    expect(await run(version)).toBe(0)
    expect(version.stdout).toEqual(['9.8.7\n'])
  })
})
