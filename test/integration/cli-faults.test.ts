// plex.tv misbehaving, or the person giving up: rate limits, outages, odd answers, signals.
import { describe, expect, it } from 'vitest'
import type { FakeFault } from '../fake-plex/fake-plex-server'
import {
  approveShownCode,
  jsonOut,
  runPlexLogin,
  setup,
  sleep,
  STACK_TRACE,
  startPlexLogin,
  tempDir,
  waitUntil
} from './run-plex-login'

// Nothing listens on the discard port of the loopback host.
const UNREACHABLE = 'http://127.0.0.1:9'

// A safety net against a hanging command, not a measure (generous for a loaded machine).
describe.concurrent('plex-login when plex.tv misbehaves', { timeout: 60_000 }, () => {
  // The one slow test (about 14 s): three retries of the account read with backoff, then exit 1.
  // (An unreachable plex.tv gives up the same way on the create call, but only after about 30 s:
  // the next test ends it earlier with --timeout.)
  it('gives up when plex.tv keeps failing after backing off: exit 1 "unavailable"', async (context) => {
    const { fake, base } = await setup(context)
    fake.failAlways('user', { status: 503 })
    const run = startPlexLogin(['--json', ...base])
    await approveShownCode(run, fake)
    const result = await run.done

    expect(result.code).toBe(1)
    expect(jsonOut(result)).toEqual({
      ok: false,
      error: { code: 'unavailable', message: expect.stringContaining('HTTP 503') }
    })
    const waits = [...result.stderr.matchAll(/unavailable \(.+\), retrying in (\d+) s/g)].map((m) =>
      Number(m[1])
    )
    expect(waits).toHaveLength(3)
    for (const [i, base] of [2, 4, 8].entries()) {
      expect(waits[i]).toBeGreaterThanOrEqual(Math.floor(base * 0.75))
      expect(waits[i]).toBeLessThanOrEqual(Math.ceil(base * 1.25))
    }
    expect(fake.requests.filter((r) => r.route === 'user')).toHaveLength(4)
    expect(result.stderr).not.toContain(fake.pins[0]!.authToken!)
    expect(result.stderr).not.toMatch(STACK_TRACE)

    // Nothing was stored: the sign-in did not happen.
    fake.failAlways('user', undefined)
    const before = fake.requests.length
    const status = await runPlexLogin(['status', '--json', ...base])
    expect(status.code).toBe(4)
    expect(fake.requests).toHaveLength(before)
  })

  it('with --timeout, an unreachable plex.tv ends with exit 3 "timeout"', async (context) => {
    const storeDir = tempDir(context)
    const result = await runPlexLogin([
      '--json',
      '--timeout',
      '3',
      '--store-dir',
      storeDir,
      '--plex-url',
      UNREACHABLE
    ])

    expect(result.code).toBe(3)
    expect(jsonOut(result)).toMatchObject({ ok: false, error: { code: 'timeout' } })
    // (How many tries fit in the 3 s depends on the machine; without --timeout it would take
    // about 30 s of retries to give up, with exit 1.)
    expect(result.stderr).not.toMatch(STACK_TRACE)
  })

  it('honours Retry-After on a 429: nothing is sent during the window', async (context) => {
    const { fake, base } = await setup(context)
    fake.fault('create', { retryAfter: '1' })
    fake.fault('poll', { retryAfter: '2' })
    const run = startPlexLogin(['--json', ...base])
    await run.waitForStderr(/rate-limited, retrying in 1 s/)
    await run.waitForStderr(/rate-limited, retrying in 2 s/)
    fake.approve()
    const result = await run.done

    expect(result.code).toBe(0)
    expect(jsonOut(result).authToken).toBe(fake.pins[0]!.authToken)
    const routes = fake.requests.map((r) => r.route)
    expect(routes.slice(0, 4)).toEqual(['create', 'create', 'poll', 'poll'])
    const [create429, create, poll429, poll] = fake.requests.map((r) => r.at)
    expect(create! - create429!).toBeGreaterThanOrEqual(1000 - 5)
    expect(poll! - poll429!).toBeGreaterThanOrEqual(2000 - 5)
  })

  const pollFaults: [string, FakeFault, RegExp][] = [
    ['a 503', { status: 503 }, /HTTP 503/],
    ['an HTML page', { html: true }, /does not understand/],
    ['truncated JSON', { body: '{"id":373040866,"co' }, /does not understand/],
    ['a dropped connection', { drop: true }, /Could not reach 127\.0\.0\.1/]
  ]
  it.for(pollFaults)(
    'keeps polling through %s and then signs in',
    async ([, fault, said], context) => {
      const { fake, base } = await setup(context)
      fake.fault('poll', fault)
      const run = startPlexLogin(['--json', ...base])
      const [line] = await run.waitForStderr(/plex\.tv unavailable \(.+\), retrying in \d+ s/)
      expect(line).toMatch(said)
      fake.approve()
      const result = await run.done

      expect(result.code).toBe(0)
      expect(jsonOut(result).authToken).toBe(fake.pins[0]!.authToken)
      expect(fake.pins).toHaveLength(1) // the code survived the outage
      expect(fake.requests.filter((r) => r.route === 'poll').length).toBeGreaterThanOrEqual(2)
    }
  )

  it('retries a 5xx on the create call, then signs in', async (context) => {
    const { fake, base } = await setup(context)
    fake.fault('create', { status: 502 })
    const run = startPlexLogin(['--json', ...base])
    await approveShownCode(run, fake)
    const result = await run.done

    expect(result.code).toBe(0)
    expect(result.stderr).toMatch(/plex\.tv unavailable \(.*HTTP 502.*\), retrying in \d+ s/)
    expect(fake.requests.filter((r) => r.route === 'create')).toHaveLength(2)
  })

  it('a 4xx on the create call is exit 1 "rejected" with plex.tv\'s message, no retry', async (context) => {
    const { fake, base } = await setup(context)
    const message = 'X-Plex-Product is not allowed here'
    fake.fault('create', {
      status: 400,
      body: JSON.stringify({ errors: [{ code: 1000, message, status: 400 }] })
    })
    const result = await runPlexLogin(['--json', ...base])

    expect(result.code).toBe(1)
    expect(jsonOut(result)).toEqual({
      ok: false,
      error: { code: 'rejected', message: expect.stringContaining(message) }
    })
    expect(result.stderr).toContain(message)
    expect(result.stderr).not.toMatch(/retrying/)
    expect(fake.requests).toHaveLength(1)
  })

  it('retries reading the account after approval when plex.tv has a hiccup', async (context) => {
    const { fake, base } = await setup(context)
    fake.fault('user', { status: 503 })
    const run = startPlexLogin(['--json', ...base])
    await approveShownCode(run, fake)
    const result = await run.done

    expect(result.code).toBe(0)
    expect(jsonOut(result).authToken).toBe(fake.pins[0]!.authToken)
    expect(fake.requests.filter((r) => r.route === 'user')).toHaveLength(2)
  })

  it('a 404 reading the account after approval is exit 1, not an expired code', async (context) => {
    const { fake, base } = await setup(context)
    fake.failAlways('user', { status: 404 })
    const run = startPlexLogin(['--json', ...base])
    await approveShownCode(run, fake)
    const result = await run.done

    expect(result.code).toBe(1)
    expect(jsonOut(result)).toMatchObject({ ok: false, error: { code: 'rejected' } })
    expect(result.stderr).not.toContain(fake.pins[0]!.authToken!)
  })

  const interruptions: [string, NodeJS.Signals, FakeFault | undefined][] = [
    ['SIGINT while waiting for approval', 'SIGINT', undefined],
    ['SIGTERM while waiting for approval', 'SIGTERM', undefined],
    ['SIGHUP (the terminal closed) while waiting for approval', 'SIGHUP', undefined],
    ['SIGQUIT while waiting for approval', 'SIGQUIT', undefined],
    ['SIGHUP during a backoff', 'SIGHUP', { status: 503 }],
    ['SIGINT during a backoff', 'SIGINT', { status: 503 }]
  ]
  it.for(interruptions)(
    '%s: exit 130 "interrupted", nothing sent after',
    async (testCase, context) => {
      const [, signal, fault] = testCase
      const { fake, base } = await setup(context)
      if (fault) fake.fault('poll', fault)
      const run = startPlexLogin(['--json', ...base])
      await run.waitForStderr(fault ? /retrying in/ : /enter the code/)
      if (!fault) await waitUntil(() => fake.requests.some((r) => r.route === 'poll'), 'a poll')
      run.child.kill(signal)
      const result = await run.done

      expect(result.code).toBe(130)
      expect(jsonOut(result)).toEqual({
        ok: false,
        error: { code: 'interrupted', message: expect.any(String) }
      })
      expect(result.stderr).not.toMatch(STACK_TRACE)
      const sent = fake.requests.length
      expect(fake.requests.every((r) => r.at <= result.exitedAt)).toBe(true)
      await sleep(1500)
      expect(fake.requests).toHaveLength(sent)
    }
  )
})
