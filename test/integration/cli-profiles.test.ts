// `plex-login profiles` and `login --profile`, the built command against the fake plex.tv with
// a Plex Home (issue 10 §2).
import type { TestContext } from 'vitest'
import { describe, expect, it } from 'vitest'
import { createFakeHome, DEMO_HOME_USERS, type FakeHomeUser } from '../fake-plex/fake-plex-home'
import {
  approveShownCode,
  jsonOut,
  runPlexLogin,
  setup,
  signIn,
  startPlexLogin
} from './run-plex-login'

const [ADMIN, KIDS, ALEX] = DEMO_HOME_USERS as [FakeHomeUser, FakeHomeUser, FakeHomeUser]

async function withHome(
  context: Pick<TestContext, 'onTestFinished'>,
  users: FakeHomeUser[] = DEMO_HOME_USERS
) {
  const home = createFakeHome({ users, addToken: (token) => started.fake.addToken(token) })
  const started = await setup(context, { routes: [home.handler] })
  return { ...started, home }
}

describe.concurrent('plex-login profiles', () => {
  it('lists the Home profiles of the stored sign-in, exactly the documented keys', async (context) => {
    const { fake, storeDir, base } = await withHome(context)
    const { token } = await signIn(fake, storeDir)

    const result = await runPlexLogin(['profiles', '--json', ...base])

    expect(result.code).toBe(0)
    expect(jsonOut(result)).toEqual({
      ok: true,
      profiles: [
        { uuid: ADMIN.uuid, title: ADMIN.title, admin: true, restricted: false, protected: false },
        { uuid: KIDS.uuid, title: 'Kids', admin: false, restricted: true, protected: false },
        { uuid: ALEX.uuid, title: 'Alex', admin: false, restricted: false, protected: true }
      ]
    })
    expect(result.stderr).toContain(`Alex  ${ALEX.uuid}  PIN`)
    expect(result.stderr).not.toContain(token)
    const list = fake.requests.find((request) => request.path === '/api/v2/home/users')
    expect(list?.headers['x-plex-token']).toBe(token)
  })

  it('an account without a Home: [] and exit 0', async (context) => {
    const { fake, storeDir, base } = await withHome(context, [])
    await signIn(fake, storeDir)

    const result = await runPlexLogin(['profiles', '--json', ...base])

    expect(result.code).toBe(0)
    expect(jsonOut(result)).toEqual({ ok: true, profiles: [] })
  })

  it('not signed in: exit 4, nothing asked of the Home', async (context) => {
    const { fake, base } = await withHome(context)
    const result = await runPlexLogin(['profiles', '--json', ...base])

    expect(result.code).toBe(4)
    expect(jsonOut(result)).toEqual({ ok: true, signedIn: false })
    expect(fake.requests).toEqual([])
  })

  it('plex.tv failing the Home list: exit 1 with its code', async (context) => {
    const { fake, storeDir, base, home } = await withHome(context)
    await signIn(fake, storeDir)
    home.fail({ status: 503 })

    const result = await runPlexLogin(['profiles', '--json', ...base])

    expect(result.code).toBe(1)
    expect(jsonOut(result)).toMatchObject({ ok: false, error: { code: 'unavailable' } })
  })
})

describe.concurrent('plex-login login --profile', () => {
  it('a protected profile with PLEX_LOGIN_PROFILE_PIN: the profile’s token and user', async (context) => {
    const { fake, base, home } = await withHome(context)
    const run = startPlexLogin(['login', '--json', ...base, '--profile', 'Alex'], {
      env: { PLEX_LOGIN_PROFILE_PIN: '1234' }
    })
    await approveShownCode(run, fake)
    const result = await run.done

    expect(result.code).toBe(0)
    const [switched] = home.switches
    expect(home.switches).toHaveLength(1)
    expect(switched).toMatchObject({ uuid: ALEX.uuid, pin: '1234', status: 201 })
    const answer = jsonOut(result)
    expect(answer).toEqual({
      ok: true,
      authToken: switched!.token,
      clientIdentifier: expect.any(String),
      user: expect.objectContaining({ uuid: ALEX.uuid, title: 'Alex' }),
      profile: { uuid: ALEX.uuid, title: 'Alex', restricted: false },
      tokenType: 'classic'
    })
    expect(result.stderr).not.toContain('1234')
    expect(result.stderr).not.toContain(switched!.token!)

    // The stored sign-in stays the account's: status answers for the account, not Alex.
    const status = await runPlexLogin(['status', '--json', ...base])
    expect(jsonOut(status)).toMatchObject({ signedIn: true, user: { uuid: fake.user.uuid } })
  })

  it('a wrong PLEX_LOGIN_PROFILE_PIN: exit 1, `profile`, the PIN tried once and never shown', async (context) => {
    const { fake, storeDir, base, home } = await withHome(context)
    await signIn(fake, storeDir)

    const result = await runPlexLogin(
      ['login', '--reuse', '--json', ...base, '--profile', ALEX.uuid],
      {
        env: { PLEX_LOGIN_PROFILE_PIN: '4321' }
      }
    )

    expect(result.code).toBe(1)
    expect(jsonOut(result)).toMatchObject({ ok: false, error: { code: 'profile' } })
    expect(home.switches).toHaveLength(1)
    expect(result.stdout + result.stderr).not.toContain('4321')
  })

  it('a protected profile without a PIN and without a terminal: `profile`, no switch tried', async (context) => {
    const { fake, storeDir, base, home } = await withHome(context)
    await signIn(fake, storeDir)

    const result = await runPlexLogin(['login', '--reuse', '--json', ...base, '--profile', 'Alex'])

    expect(result.code).toBe(1)
    expect(jsonOut(result)).toMatchObject({
      ok: false,
      error: { code: 'profile', message: expect.stringContaining('PLEX_LOGIN_PROFILE_PIN') }
    })
    expect(home.switches).toEqual([])
  })

  it('an unknown profile: exit 1, `profile`', async (context) => {
    const { fake, storeDir, base } = await withHome(context)
    await signIn(fake, storeDir)

    const result = await runPlexLogin([
      'login',
      '--reuse',
      '--json',
      ...base,
      '--profile',
      'Nobody'
    ])

    expect(result.code).toBe(1)
    expect(jsonOut(result)).toEqual({
      ok: false,
      error: { code: 'profile', message: 'No Plex Home profile is called "Nobody"' }
    })
  })

  it('--profile ask without a terminal is a usage error found before any code is asked for', async (context) => {
    const { fake, base } = await withHome(context)
    const result = await runPlexLogin(['login', '--json', ...base, '--profile', 'ask'])

    expect(result.code).toBe(2)
    expect(jsonOut(result)).toMatchObject({ ok: false, error: { code: 'usage' } })
    expect(fake.requests).toEqual([])
  })

  it('--profile and --server only apply to login', async (context) => {
    const { base } = await withHome(context)
    for (const args of [
      ['status', '--profile', 'Kids'],
      ['profiles', '--server', 'auto'],
      ['servers', '--profile', 'Kids']
    ]) {
      const result = await runPlexLogin([...args, '--json', ...base])
      expect(result.code).toBe(2)
      expect(jsonOut(result)).toEqual({
        ok: false,
        error: { code: 'usage', message: `${args[1]} only applies to login` }
      })
    }
  })
})
