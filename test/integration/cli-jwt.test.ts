// `plex-login login --jwt`, `token`, and status/logout of a JWT sign-in, as the BUILT command
// runs them against the fake plex.tv with its JWT endpoints.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { createHash } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { createFakeJwt, type FakeJwt, type FakeJwtOptions } from '../fake-plex/fake-plex-jwt'
import type { FakePlex } from '../fake-plex/fake-plex-server'
import {
  approveShownCode,
  jsonOut,
  requestsSince,
  runPlexLogin,
  setup,
  signIn,
  startPlexLogin,
  waitUntil
} from './run-plex-login'

// Not concurrent: each test runs the command several times, and a few at once already starve
// a two-core machine past the time limit.
const STORE_FILE = 'plex-login.json'
const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/

async function jwtSetup(context: Parameters<typeof setup>[0], options: FakeJwtOptions = {}) {
  const jwt = createFakeJwt(options)
  return { jwt, ...(await setup(context, { jwt })) }
}

/** A complete `login --jwt --json`; returns its answer. */
async function jwtSignIn(
  fake: FakePlex,
  base: string[],
  extra: string[] = []
): Promise<{ answer: Record<string, unknown>; stderr: string }> {
  const run = startPlexLogin(['login', '--jwt', '--json', ...base, ...extra])
  if (extra.includes('--strong')) {
    await waitUntil(() => fake.pins.length > 0, 'a PIN')
    fake.approve()
  } else await approveShownCode(run, fake)
  const result = await run.done
  if (result.code !== 0) throw new Error(`JWT sign-in failed (${result.code}):\n${result.stderr}`)
  return { answer: jsonOut(result), stderr: result.stderr }
}

function storeOf(storeDir: string): Record<string, unknown> {
  return JSON.parse(readFileSync(join(storeDir, STORE_FILE), 'utf8'))
}

function thumbprint(x: string): string {
  return createHash('sha256')
    .update(JSON.stringify({ crv: 'Ed25519', kty: 'OKP', x }))
    .digest('base64url')
}

function claimsOf(token: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString('utf8'))
}

const lastIssued = (jwt: FakeJwt): string => jwt.issued.at(-1)!

describe('plex-login login --jwt', () => {
  it('signs in with a device key: the JWT, tokenType jwt and its expiry', async (context) => {
    const { fake, jwt, base, storeDir } = await jwtSetup(context)
    const { answer, stderr } = await jwtSignIn(fake, base)

    const token = lastIssued(jwt)
    const clientIdentifier = answer.clientIdentifier as string
    expect(answer).toEqual({
      ok: true,
      authToken: token,
      clientIdentifier,
      user: { ...fake.user },
      tokenType: 'jwt',
      expiresAt: new Date((claimsOf(token).exp as number) * 1000).toISOString()
    })
    expect(answer.expiresAt).toMatch(ISO)
    expect(stderr).not.toContain(token)

    // The key registered with the PIN, its kid the RFC 7638 thumbprint; every poll signed.
    const device = jwt.devices.get(clientIdentifier)!
    expect(device.kid).toBe(thumbprint(device.jwk.x as string))
    expect(device.jwk).not.toHaveProperty('d')
    const polls = fake.requests.filter((r) => r.route === 'poll')
    expect(polls.length).toBeGreaterThan(0)
    for (const poll of polls) expect(poll.path).toMatch(/\?deviceJWT=[\w-]+\.[\w-]+\.[\w-]+$/)
    expect(fake.pins[0]!.clientIdentifier).toBe(clientIdentifier)

    // Stored apart from any classic sign-in, which this run neither made nor touched.
    const stored = storeOf(storeDir)
    expect(stored).not.toHaveProperty('credentials')
    expect(stored).not.toHaveProperty('clientIdentifier')
    expect(stored.jwtClientIdentifier).toBe(clientIdentifier)
    expect(stored.jwtSignIn).toMatchObject({ token, clientIdentifier, kid: device.kid })
  })

  it('--strong sends strong in the JSON body beside the key', async (context) => {
    const { fake, base } = await jwtSetup(context)
    await jwtSignIn(fake, base, ['--strong'])
    expect(fake.pins[0]!.strong).toBe(true)
    expect(fake.requests.find((r) => r.route === 'create')!.path).toBe('/api/v2/pins')
  })

  it('a classic sign-in in the same store survives turning JWT on', async (context) => {
    const { fake, base, storeDir } = await jwtSetup(context)
    const classic = await signIn(fake, storeDir)
    const before = storeOf(storeDir)
    const from = fake.requests.length

    const { answer } = await jwtSignIn(fake, base)

    // Its own device: the classic token and client id were never sent, and still work.
    expect(answer.clientIdentifier).not.toBe(classic.clientIdentifier)
    for (const request of requestsSince(fake, from)) {
      expect(request.headers['x-plex-client-identifier']).not.toBe(classic.clientIdentifier)
      expect(request.headers['x-plex-token'] ?? '').not.toBe(classic.token)
    }
    expect(fake.isValidToken(classic.token)).toBe(true)
    const after = storeOf(storeDir)
    expect(after.credentials).toEqual(before.credentials)
    expect(after.clientIdentifier).toBe(before.clientIdentifier)

    const status = await runPlexLogin(['status', '--json', ...base])
    expect(status.code).toBe(0)
    expect(jsonOut(status)).toMatchObject({ signedIn: true })
    const reused = await runPlexLogin(['login', '--json', '--reuse', ...base])
    expect(jsonOut(reused)).toMatchObject({
      authToken: classic.token,
      clientIdentifier: classic.clientIdentifier,
      tokenType: 'classic'
    })
  })

  it('a JWT signed by a key plex.tv does not publish is refused: not stored, not handed over', async (context) => {
    const { fake, base, storeDir, jwt } = await jwtSetup(context, { signWithUnknownKey: true })
    const run = startPlexLogin(['login', '--jwt', '--json', ...base])
    await approveShownCode(run, fake)
    const result = await run.done

    expect(result.code).toBe(1)
    expect(jsonOut(result)).toEqual({
      ok: false,
      error: { code: 'rejected', message: expect.stringMatching(/not signed by any of plex\.tv/) }
    })
    const token = lastIssued(jwt)
    expect(result.stdout).not.toContain(token)
    expect(result.stderr).not.toContain(token)
    expect(storeOf(storeDir)).not.toHaveProperty('jwtSignIn')
    // The account was never read with it either.
    expect(fake.requests.some((r) => r.route === 'user')).toBe(false)
  })

  it('a JWT for another device key (wrong thumbprint) is refused', async (context) => {
    const claims = (c: Record<string, unknown>) => ({ ...c, thumbprint: 'someone-else' })
    const { fake, base, storeDir } = await jwtSetup(context, { claims })
    const run = startPlexLogin(['login', '--jwt', '--json', ...base])
    await approveShownCode(run, fake)
    const result = await run.done
    expect(result.code).toBe(1)
    expect(jsonOut(result)).toMatchObject({ error: { message: /another device key/ } })
    expect(storeOf(storeDir)).not.toHaveProperty('jwtSignIn')
  })

  it('--reuse with a valid JWT sign-in finishes at once with it', async (context) => {
    const { fake, base, jwt } = await jwtSetup(context)
    const { answer } = await jwtSignIn(fake, base)
    const result = await runPlexLogin(['login', '--jwt', '--json', '--reuse', ...base])
    expect(result.code).toBe(0)
    expect(jsonOut(result)).toEqual(answer)
    expect(fake.pins).toHaveLength(1)
    expect(jwt.refreshes).toBe(0)
  })

  it('--client-id is refused with --jwt: a JWT sign-in has its own', async (context) => {
    const { fake, base } = await jwtSetup(context)
    const result = await runPlexLogin(['login', '--jwt', '--json', '--client-id', 'x', ...base])
    expect(result.code).toBe(2)
    expect(jsonOut(result)).toMatchObject({ ok: false, error: { code: 'usage' } })
    expect(fake.requests).toEqual([])
  })
})

describe('plex-login token', () => {
  it('prints the stored JWT alone on stdout when it is valid long enough', async (context) => {
    const { fake, base, jwt } = await jwtSetup(context)
    const { answer } = await jwtSignIn(fake, base)
    const from = fake.requests.length

    const bare = await runPlexLogin(['token', ...base])
    expect(bare.code).toBe(0)
    expect(bare.stdout).toBe(`${answer.authToken}\n`)
    expect(bare.stderr).toBe('')

    const json = await runPlexLogin(['token', '--json', ...base])
    expect(jsonOut(json)).toEqual({
      ok: true,
      authToken: answer.authToken,
      expiresAt: answer.expiresAt,
      refreshed: false
    })
    expect(requestsSince(fake, from)).toEqual([])
    expect(jwt.refreshes).toBe(0)
  })

  it('refreshes first when less than --min-validity is left, and keeps the new one', async (context) => {
    const { fake, base, jwt, storeDir } = await jwtSetup(context)
    const { answer } = await jwtSignIn(fake, base)

    const result = await runPlexLogin(['token', '--json', '--min-validity', '604800', ...base])
    expect(result.code).toBe(0)
    const out = jsonOut(result)
    const fresh = lastIssued(jwt)
    expect(out).toEqual({
      ok: true,
      authToken: fresh,
      expiresAt: expect.stringMatching(ISO),
      refreshed: true
    })
    expect(fresh).not.toBe(answer.authToken)
    expect(jwt.refreshes).toBe(1)
    expect(jwt.nonceRequests).toHaveLength(1)
    expect((storeOf(storeDir).jwtSignIn as { token: string }).token).toBe(fresh)

    const next = await runPlexLogin(['token', ...base])
    expect(next.stdout).toBe(`${fresh}\n`)
  })

  it('exit 4 when there is no JWT sign-in, even with a classic one', async (context) => {
    const { fake, base, storeDir } = await jwtSetup(context)
    await signIn(fake, storeDir)
    const from = fake.requests.length
    const bare = await runPlexLogin(['token', ...base])
    expect(bare.code).toBe(4)
    expect(bare.stdout).toBe('')
    expect(bare.stderr).toMatch(/login --jwt/)
    const json = await runPlexLogin(['token', '--json', ...base])
    expect(json.code).toBe(4)
    expect(jsonOut(json)).toEqual({ ok: true, signedIn: false })
    expect(requestsSince(fake, from)).toEqual([])
  })

  it('exit 1 when the refresh fails; the stored JWT is kept', async (context) => {
    const { fake, base, storeDir } = await jwtSetup(context, {
      nonceLimit: { max: 0, windowMs: 60_000, retryAfter: '3600' }
    })
    const { answer } = await jwtSignIn(fake, base)
    const result = await runPlexLogin(['token', '--json', '--min-validity', '604800', ...base])
    expect(result.code).toBe(1)
    expect(jsonOut(result)).toMatchObject({
      ok: false,
      error: { code: 'rate-limited', message: expect.stringContaining('kept') }
    })
    expect((storeOf(storeDir).jwtSignIn as { token: string }).token).toBe(answer.authToken)
    // Honoured: one nonce request, then nothing more while plex.tv asks for quiet.
    expect(fake.requests.filter((r) => r.path === '/api/v2/auth/nonce')).toHaveLength(1)
  })

  it('exit 1 when plex.tv no longer knows the key; then the JWT sign-in is gone', async (context) => {
    const { fake, base, storeDir, jwt } = await jwtSetup(context)
    const { answer } = await jwtSignIn(fake, base)
    jwt.forgetDevice(answer.clientIdentifier as string)
    const result = await runPlexLogin(['token', '--json', '--min-validity', '604800', ...base])
    expect(result.code).toBe(1)
    expect(jsonOut(result)).toMatchObject({ ok: false, error: { message: /login --jwt/ } })
    const stored = storeOf(storeDir)
    expect(stored).not.toHaveProperty('jwtSignIn')
    expect(stored).not.toHaveProperty('jwtDeviceKey')
    expect((await runPlexLogin(['token', ...base])).code).toBe(4)
  })

  it.for([['0'], ['-5'], ['1.5'], ['604801'], ['abc'], ['']])(
    '--min-validity %j is a usage error (exit 2)',
    async ([value], context) => {
      const { fake, base } = await jwtSetup(context)
      const result = await runPlexLogin(['token', '--json', '--min-validity', value!, ...base])
      expect(result.code).toBe(2)
      expect(jsonOut(result)).toMatchObject({ ok: false, error: { code: 'usage' } })
      expect(fake.requests).toEqual([])
    }
  )

  it('--min-validity belongs to token alone', async (context) => {
    const { base } = await jwtSetup(context)
    const result = await runPlexLogin(['status', '--min-validity', '60', ...base])
    expect(result.code).toBe(2)
  })
})

describe('status and logout of a JWT sign-in', () => {
  it('status --jwt: the account and the expiry, never the JWT', async (context) => {
    const { fake, base } = await jwtSetup(context)
    const { answer } = await jwtSignIn(fake, base)
    const result = await runPlexLogin(['status', '--jwt', '--json', ...base])
    expect(result.code).toBe(0)
    expect(jsonOut(result)).toEqual({
      ok: true,
      signedIn: true,
      user: { ...fake.user },
      tokenType: 'jwt',
      expiresAt: answer.expiresAt
    })
    expect(result.stdout + result.stderr).not.toContain(answer.authToken as string)
    // Without --jwt, status speaks of the classic sign-in, of which there is none.
    const classic = await runPlexLogin(['status', ...base])
    expect(classic.code).toBe(4)
    expect(classic.stderr).toMatch(/A JWT sign-in is kept here: see status --jwt/)
  })

  it('a 498 from plex.tv: refreshed once, the call made again, the new JWT kept', async (context) => {
    const { fake, base, jwt, storeDir } = await jwtSetup(context)
    const { answer } = await jwtSignIn(fake, base)
    jwt.expire(answer.authToken as string)
    const from = fake.requests.length

    const result = await runPlexLogin(['status', '--jwt', '--json', ...base])
    expect(result.code).toBe(0)
    expect(jsonOut(result)).toMatchObject({ signedIn: true })
    expect(requestsSince(fake, from).map((r) => [r.path.split('?')[0], r.status])).toEqual([
      ['/api/v2/user', 498],
      ['/api/v2/auth/nonce', 200],
      ['/api/v2/auth/token', 200],
      ['/api/v2/auth/keys', 200],
      ['/api/v2/user', 200]
    ])
    const fresh = lastIssued(jwt)
    expect(fresh).not.toBe(answer.authToken)
    expect((storeOf(storeDir).jwtSignIn as { token: string }).token).toBe(fresh)
  })

  it('logout --jwt signs out at plex.tv and forgets the key; a classic sign-in stays', async (context) => {
    const { fake, base, storeDir, jwt } = await jwtSetup(context)
    const classic = await signIn(fake, storeDir)
    const { answer } = await jwtSignIn(fake, base)
    const result = await runPlexLogin(['logout', '--jwt', '--json', ...base])

    expect(result.code).toBe(0)
    expect(jsonOut(result)).toEqual({ ok: true, signedIn: false, revoked: true })
    expect(fake.isValidToken(answer.authToken as string)).toBe(false)
    expect(jwt.devices.has(answer.clientIdentifier as string)).toBe(false)
    const stored = storeOf(storeDir)
    for (const key of ['jwtSignIn', 'jwtDeviceKey', 'jwtClientIdentifier'])
      expect(stored).not.toHaveProperty(key)
    expect(fake.isValidToken(classic.token)).toBe(true)
    expect((stored.credentials as { token: string }).token).toBe(classic.token)

    const again = await runPlexLogin(['logout', '--jwt', '--json', ...base])
    expect(jsonOut(again)).toEqual({ ok: true, signedIn: false, revoked: false })
  })
})
