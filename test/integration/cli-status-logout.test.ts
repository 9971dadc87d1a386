// `plex-login status` and `plex-login logout` against the fake plex.tv.
import { describe, expect, it } from 'vitest'
import type { FakeFault } from '../fake-plex/fake-plex-server'
import { jsonOut, requestsSince, runPlexLogin, setup, signIn } from './run-plex-login'

describe.concurrent('plex-login status', () => {
  it('with nothing stored: exit 4, signed out, nothing asked of plex.tv', async (context) => {
    const { fake, base } = await setup(context)
    const result = await runPlexLogin(['status', '--json', ...base])

    expect(result.code).toBe(4)
    expect(jsonOut(result)).toEqual({ ok: true, signedIn: false })
    expect(fake.requests).toEqual([])
  })

  it('with a valid token: exit 0 and the account, never the token', async (context) => {
    const { fake, storeDir, base } = await setup(context)
    const { token, clientIdentifier } = await signIn(fake, storeDir)
    const before = fake.requests.length
    const result = await runPlexLogin(['status', '--json', ...base])

    expect(result.code).toBe(0)
    expect(jsonOut(result)).toEqual({
      ok: true,
      signedIn: true,
      user: { ...fake.user }
    })
    expect(result.stdout).not.toContain(token)
    expect(result.stderr).not.toContain(token)
    expect(result.stderr).toContain(`Signed in as ${fake.user.username}`)
    const [request, ...more] = requestsSince(fake, before)
    expect(more).toEqual([])
    expect(request).toMatchObject({ method: 'GET', route: 'user' })
    expect(request!.headers['x-plex-token']).toBe(token)
    expect(request!.headers['x-plex-client-identifier']).toBe(clientIdentifier)
    expect(request!.headers.accept).toBe('application/json')
  })

  it('with a revoked token (401): exit 4 and the token is forgotten', async (context) => {
    const { fake, storeDir, base } = await setup(context)
    const { token } = await signIn(fake, storeDir)
    fake.revoke(token)
    const result = await runPlexLogin(['status', '--json', ...base])

    expect(result.code).toBe(4)
    expect(jsonOut(result)).toEqual({ ok: true, signedIn: false })

    const before = fake.requests.length
    const again = await runPlexLogin(['status', '--json', ...base])
    expect(again.code).toBe(4)
    expect(jsonOut(again)).toEqual({ ok: true, signedIn: false })
    expect(requestsSince(fake, before)).toEqual([])
  })

  const outages: [string, FakeFault, string][] = [
    ['a 503', { status: 503 }, 'unavailable'],
    ['a dropped connection', { drop: true }, 'unavailable'],
    ['a 429', { retryAfter: '30' }, 'rate-limited'],
    ['a 404', { status: 404 }, 'rejected']
  ]
  it.for(outages)('when plex.tv answers %s: exit 1, token kept', async (testCase, context) => {
    const [, fault, code] = testCase
    const { fake, storeDir, base } = await setup(context)
    const { token } = await signIn(fake, storeDir)
    fake.failAlways('user', fault)
    const result = await runPlexLogin(['status', '--json', ...base])

    expect(result.code).toBe(1)
    expect(jsonOut(result)).toEqual({ ok: false, error: { code, message: expect.any(String) } })
    expect(result.stderr).not.toContain(token)

    fake.failAlways('user', undefined)
    const later = await runPlexLogin(['status', '--json', ...base])
    expect(later.code).toBe(0)
    expect(jsonOut(later)).toMatchObject({ ok: true, signedIn: true })
  })
})

describe.concurrent('plex-login logout', () => {
  it('revokes the token at plex.tv and forgets it: exit 0, revoked true', async (context) => {
    const { fake, storeDir, base } = await setup(context)
    const { token, clientIdentifier } = await signIn(fake, storeDir)
    const before = fake.requests.length
    const result = await runPlexLogin(['logout', '--json', ...base])

    expect(result.code).toBe(0)
    expect(jsonOut(result)).toEqual({ ok: true, signedIn: false, revoked: true })
    const [request, ...more] = requestsSince(fake, before)
    expect(more).toEqual([])
    expect(request).toMatchObject({ method: 'DELETE', path: '/api/v2/users/signout' })
    expect(request!.headers['x-plex-token']).toBe(token)
    expect(request!.headers.accept).toBe('application/json')
    expect(request!.headers['x-plex-product']).toBe('Plex Login Helper')
    expect(request!.headers['x-plex-client-identifier']).toBe(clientIdentifier)
    expect(fake.isValidToken(token)).toBe(false)
    expect(result.stdout + result.stderr).not.toContain(token)

    const after = fake.requests.length
    const status = await runPlexLogin(['status', '--json', ...base])
    expect(status.code).toBe(4)
    expect(requestsSince(fake, after)).toEqual([])
  })

  it('with plex.tv unreachable still forgets the token: exit 0, revoked false', async (context) => {
    const { fake, storeDir, base } = await setup(context)
    const { token } = await signIn(fake, storeDir)
    // Not another --plex-url: the token would not be sent there at all (and would be kept).
    fake.failAlways('signout', { drop: true })
    const result = await runPlexLogin(['logout', '--json', ...base])

    expect(result.code).toBe(0)
    expect(jsonOut(result)).toEqual({ ok: true, signedIn: false, revoked: false })
    expect(result.stderr).toMatch(/Authorized Devices/)
    expect(fake.isValidToken(token)).toBe(true) // plex.tv never heard of it

    const before = fake.requests.length
    const status = await runPlexLogin(['status', '--json', ...base])
    expect(status.code).toBe(4)
    expect(requestsSince(fake, before)).toEqual([])
  })

  it('when not signed in: exit 0, revoked false, nothing sent', async (context) => {
    const { fake, base } = await setup(context)
    const result = await runPlexLogin(['logout', '--json', ...base])

    expect(result.code).toBe(0)
    expect(jsonOut(result)).toEqual({ ok: true, signedIn: false, revoked: false })
    expect(fake.requests).toEqual([])
  })
})
