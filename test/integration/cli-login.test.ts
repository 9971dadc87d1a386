// `plex-login login` end to end: the built command against the fake plex.tv.
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { version } from '../../package.json'
import {
  approveShownCode,
  jsonOut,
  requestsSince,
  runPlexLogin,
  setup,
  SHORT_CODE_LINE,
  signIn,
  sleep,
  startPlexLogin,
  tempDir,
  waitUntil
} from './run-plex-login'

const USER_KEYS = ['email', 'id', 'thumb', 'title', 'username', 'uuid']

// A safety net against a hanging command, not a measure: some tests sign in three or four times,
// which on a loaded two-core machine takes longer than the default.
describe.concurrent('plex-login login', { timeout: 60_000 }, () => {
  it('signs in: exit 0, one JSON object on stdout, the token nowhere else', async (context) => {
    const { fake, base } = await setup(context)
    const run = startPlexLogin(['--json', ...base])
    const code = await approveShownCode(run, fake)
    const result = await run.done

    expect(result.code).toBe(0)
    const json = jsonOut(result)
    expect(Object.keys(json).sort()).toEqual([
      'authToken',
      'clientIdentifier',
      'ok',
      'tokenType',
      'user'
    ])
    expect(json.tokenType).toBe('classic')
    expect(json.ok).toBe(true)
    expect(json.authToken).toBe(fake.pins[0]!.authToken)
    expect(json.authToken).toMatch(/^\S{10,}$/)
    expect(json.clientIdentifier).toBe(fake.pins[0]!.clientIdentifier)
    const user = json.user as Record<string, unknown>
    expect(Object.keys(user).sort()).toEqual(USER_KEYS)
    expect(user).toEqual({ ...fake.user })

    expect(result.stderr).not.toContain(json.authToken)
    expect(result.stderr).toContain(`https://plex.tv/link and enter the code:  ${code}`)
    expect(result.stderr).toContain(`https://plex.tv/link/?pin=${code}`)
    expect(result.stderr).toMatch(/[█▀▄]{5}/) // the QR code
    expect(result.stderr).toContain(`Signed in as ${fake.user.username}`)
    // One kept-alive connection for everything: create, every poll and the account read.
    expect(fake.connections).toBe(1)
    const routes = fake.requests.map((r) => r.route)
    expect(routes[0]).toBe('create')
    expect(routes.at(-1)).toBe('user')
    expect(new Set(routes.slice(1, -1))).toEqual(new Set(['poll']))
  })

  it('sends Accept and every X-Plex-* header on every request, X-Plex-Product from --product', async (context) => {
    const { fake, storeDir } = await setup(context)
    const { token, clientIdentifier } = await signIn(fake, storeDir, [
      '--product',
      'Integration Rig'
    ])

    expect(fake.requests.length).toBeGreaterThanOrEqual(3)
    for (const request of fake.requests) {
      const { headers } = request
      expect(headers.accept, request.path).toBe('application/json')
      expect(headers['x-plex-client-identifier'], request.path).toBe(clientIdentifier)
      expect(headers['x-plex-product'], request.path).toBe('Integration Rig')
      expect(headers['x-plex-version'], request.path).toBe(version)
      for (const name of ['platform', 'platform-version', 'device', 'device-name']) {
        expect(headers[`x-plex-${name}`], `${request.path} x-plex-${name}`).toMatch(/\S/)
      }
      // The token goes only to calls made as the user, never to the pin calls.
      if (request.route === 'user') expect(headers['x-plex-token']).toBe(token)
      else expect(headers['x-plex-token']).toBeUndefined()
    }
    expect(fake.pins[0]!.product).toBe('Integration Rig')
  })

  it('keeps one client identifier across runs; --client-id overrides without replacing it', async (context) => {
    const { fake, storeDir, base } = await setup(context)
    const idsOf = (from: number, to = fake.requests.length): string[] =>
      fake.requests.slice(from, to).map((r) => r.headers['x-plex-client-identifier']!)

    const first = await signIn(fake, storeDir)
    const second = await signIn(fake, storeDir)
    const afterSecond = fake.requests.length
    expect(first.clientIdentifier).toMatch(/\S{8,}/)
    expect(second.clientIdentifier).toBe(first.clientIdentifier)
    const routes = fake.requests.map((r) => r.route)
    expect(routes.filter((r) => r === 'create')).toHaveLength(2)
    expect(routes.filter((r) => r === 'poll').length).toBeGreaterThanOrEqual(2)
    expect(new Set(idsOf(0))).toEqual(new Set([first.clientIdentifier]))
    expect(fake.pins.map((p) => p.clientIdentifier)).toEqual([
      first.clientIdentifier,
      first.clientIdentifier
    ])

    const overridden = await signIn(fake, storeDir, ['--client-id', 'override-client-7'])
    expect(overridden.clientIdentifier).toBe('override-client-7')
    expect(new Set(idsOf(afterSecond))).toEqual(new Set(['override-client-7']))

    // The stored identifier is untouched: the next run without --client-id uses it again.
    const before = fake.requests.length
    const status = await runPlexLogin(['status', '--json', ...base])
    expect(status.code).toBe(0)
    expect(idsOf(before)).toEqual([first.clientIdentifier])
  })

  it('polls about once a second and never has two requests in flight', async (context) => {
    const delayMs = 400
    const { fake, base } = await setup(context, { delayMs })
    const run = startPlexLogin(['--json', ...base])
    await run.waitForStderr(/enter the code/)
    const polls = (): number => fake.requests.filter((r) => r.route === 'poll').length
    await waitUntil(() => polls() >= 4, 'four polls')
    fake.approve()
    const result = await run.done
    expect(result.code).toBe(0)

    const times = fake.requests.map((r) => r.at)
    const gaps = times.slice(1).map((at, i) => at - times[i]!)
    // Each request waits for the previous answer (delayMs) and then about a second.
    for (const [i, gap] of gaps.entries()) {
      const next = fake.requests[i + 1]!.route
      expect(gap, `gap before request ${i + 1} (${next})`).toBeGreaterThanOrEqual(
        next === 'user' ? delayMs - 5 : delayMs + 1000 - 50
      )
    }
    // Regular polling, not a backoff (how close to a second depends on the machine's load).
    expect(result.stderr).not.toMatch(/retrying/)
  })

  it('renews an expired code and still signs in', async (context) => {
    const { fake, base } = await setup(context, { pinLifetimeSeconds: 2 })
    const run = startPlexLogin(['--json', ...base])
    const [, first] = await run.waitForStderr(SHORT_CODE_LINE)
    // Every later code is approved as it is shown, until the run ends: on a loaded machine a 2 s
    // code may run out before its approval reaches plex.tv, and the run shows another one.
    const nextCode = (): Promise<string | undefined> =>
      run.waitForStderr(SHORT_CODE_LINE).then(
        ([, code]) => code,
        () => undefined // the run ended
      )
    for (let code = await nextCode(); code !== undefined; code = await nextCode()) {
      try {
        fake.approve(code)
      } catch {
        // it ran out first
      }
    }
    const result = await run.done

    expect(result.code).toBe(0)
    expect(fake.pins.length).toBeGreaterThanOrEqual(2)
    const approved = fake.pins.find((p) => p.authToken === jsonOut(result).authToken)!
    expect(approved.code).not.toBe(first)
    expect(result.stderr).toMatch(/asking for a new one/)
    // One poller: once the new code exists, the old one is not polled any more.
    const created = fake.requests.findIndex((r, i) => r.route === 'create' && i > 0)
    const oldPolls = fake.requests
      .slice(created)
      .filter((r) => r.path === `/api/v2/pins/${fake.pins[0]!.id}`)
    expect(oldPolls).toEqual([])
  })

  it('with --no-renew an expired code ends with exit 3 "expired"', async (context) => {
    const { fake, base } = await setup(context, { pinLifetimeSeconds: 2 })
    const result = await runPlexLogin(['--json', '--no-renew', ...base])

    expect(result.code).toBe(3)
    const json = jsonOut(result)
    expect(json).toEqual({ ok: false, error: { code: 'expired', message: expect.any(String) } })
    expect(fake.requests.filter((r) => r.route === 'create')).toHaveLength(1)
    expect(result.stderr).toContain('plex-login: ')
  })

  it('gets a new code when plex.tv says the code is gone (404 mid-poll)', async (context) => {
    const { fake, base } = await setup(context)
    const run = startPlexLogin(['--json', ...base])
    const [, first] = await run.waitForStderr(/enter the code:\s+(\S+)/)
    await waitUntil(() => fake.requests.some((r) => r.route === 'poll'), 'a poll')
    fake.expire(first)
    const second = await approveShownCode(run, fake)
    const result = await run.done

    expect(result.code).toBe(0)
    expect(second).not.toBe(first)
    expect(fake.pins).toHaveLength(2)
    expect(jsonOut(result).authToken).toBe(fake.pins[1]!.authToken)
    expect(result.stderr).toContain('The code expired; asking for a new one')
  })

  // How far the run gets before --timeout ends it depends on the machine: whatever it had sent,
  // it stops there, and ends with exit 3 while the code is still waiting for approval.
  it('--timeout gives up with exit 3 "timeout" and then sends nothing', async (context) => {
    const { fake, base } = await setup(context)
    const result = await runPlexLogin(['--json', '--timeout', '1.5', ...base])

    expect(result.code).toBe(3)
    expect(jsonOut(result)).toEqual({
      ok: false,
      error: { code: 'timeout', message: expect.stringContaining('--timeout') }
    })
    expect(result.stderr).toContain('Gave up after 1.5 s (--timeout)')
    expect(fake.requests.every((r) => r.route === 'create' || r.route === 'poll')).toBe(true)
    const sent = fake.requests.length
    expect(fake.requests.every((r) => r.at <= result.exitedAt)).toBe(true)
    await sleep(1200)
    expect(fake.requests).toHaveLength(sent)
  })

  it('--reuse with a valid stored token finishes at once without a new code', async (context) => {
    const { fake, storeDir, base } = await setup(context)
    const { token, clientIdentifier } = await signIn(fake, storeDir)
    const before = fake.requests.length

    const result = await runPlexLogin(['login', '--json', '--reuse', ...base])
    expect(result.code).toBe(0)
    expect(jsonOut(result)).toMatchObject({ ok: true, authToken: token, clientIdentifier })
    expect(requestsSince(fake, before).map((r) => r.route)).toEqual(['user'])
    expect(fake.pins).toHaveLength(1)
    expect(result.stderr).not.toContain(token)
  })

  it('--reuse with a revoked stored token asks for a new code', async (context) => {
    const { fake, storeDir } = await setup(context)
    const first = await signIn(fake, storeDir)
    fake.revoke(first.token)
    const second = await signIn(fake, storeDir, ['--reuse'])

    expect(second.token).not.toBe(first.token)
    expect(fake.pins).toHaveLength(2)
  })

  it('without --reuse always starts fresh and replaces the stored token', async (context) => {
    const { fake, storeDir, base } = await setup(context)
    const first = await signIn(fake, storeDir)
    const second = await signIn(fake, storeDir)
    expect(fake.pins).toHaveLength(2)
    expect(second.token).not.toBe(first.token)

    // Only the second token is stored: with the first one revoked, status still uses the second.
    fake.revoke(first.token)
    const before = fake.requests.length
    const status = await runPlexLogin(['status', '--json', ...base])
    expect(status.code).toBe(0)
    expect(requestsSince(fake, before).map((r) => r.headers['x-plex-token'])).toEqual([
      second.token
    ])
  })

  it('--strong asks for a strong code and shows the app.plex.tv auth page', async (context) => {
    const { fake, base } = await setup(context)
    const run = startPlexLogin(['--json', '--strong', '--product', 'My Rig', ...base])
    const [url, clientId, code] = await run.waitForStderr(
      /https:\/\/app\.plex\.tv\/auth#\?clientID=(\S+?)&code=([a-z0-9]+)&\S+/
    )
    fake.approve(code)
    const result = await run.done

    expect(result.code).toBe(0)
    expect(fake.requests[0]!.path).toBe('/api/v2/pins?strong=true')
    expect(fake.pins[0]!.strong).toBe(true)
    expect(code).toBe(fake.pins[0]!.code)
    expect(clientId).toBe(jsonOut(result).clientIdentifier)
    expect(url).toBe(
      `https://app.plex.tv/auth#?clientID=${clientId}&code=${code}` +
        '&context%5Bdevice%5D%5Bproduct%5D=My%20Rig'
    )
    expect(result.stderr).not.toContain('https://plex.tv/link')
  })

  it.skipIf(process.platform !== 'linux')(
    '--open opens the link with xdg-open',
    async (context) => {
      const { fake, base } = await setup(context)
      const bin = tempDir(context, 'plex-login-bin-')
      const opened = join(bin, 'opened.txt')
      writeFileSync(join(bin, 'xdg-open'), '#!/bin/sh\nprintf \'%s\' "$1" > "$OPENED_FILE"\n')
      chmodSync(join(bin, 'xdg-open'), 0o755)

      const run = startPlexLogin(['--json', '--open', ...base], {
        env: { PATH: `${bin}:${process.env.PATH ?? ''}`, OPENED_FILE: opened }
      })
      const [, code] = await run.waitForStderr(/enter the code:\s+(\S+)/)
      await waitUntil(
        () => existsSync(opened) && readFileSync(opened, 'utf8').length > 0,
        'xdg-open'
      )
      fake.approve(code)
      const result = await run.done

      expect(result.code).toBe(0)
      expect(readFileSync(opened, 'utf8')).toBe(`https://plex.tv/link/?pin=${code}`)
    }
  )

  it('takes plex.tv from PLEX_LOGIN_PLEX_URL when --plex-url is not given', async (context) => {
    const { fake, storeDir } = await setup(context)
    const run = startPlexLogin(['--json', '--store-dir', storeDir], {
      env: { PLEX_LOGIN_PLEX_URL: fake.url }
    })
    await approveShownCode(run, fake)
    const result = await run.done

    expect(result.code).toBe(0)
    expect(jsonOut(result).authToken).toBe(fake.pins[0]!.authToken)
  })
})
