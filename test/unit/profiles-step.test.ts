import { afterEach, describe, expect, it } from 'vitest'
import { listProfiles, type HomeProfile } from '../../src/main/profiles/home-users'
import {
  createProfileStep,
  findProfile,
  MAX_WRONG_PINS,
  type ProfileStep
} from '../../src/main/profiles/profile-step'
import { createFakeHome, DEMO_HOME_USERS, type FakeHome } from '../fake-plex/fake-plex-home'
import { startFakePlex, type FakePlex } from '../fake-plex/fake-plex-server'

const DEVICE = {
  product: 'Profiles Test',
  version: '1.0.0',
  platform: 'Linux',
  platformVersion: '6.1',
  device: 'Linux',
  deviceName: 'test-host'
}
const TOKEN = 'AccountToken123'

function profile(uuid: string, title: string, extra: Partial<HomeProfile> = {}): HomeProfile {
  return { uuid, title, admin: false, restricted: false, protected: false, ...extra }
}

describe('findProfile', () => {
  const profiles = [
    profile('aaa-1', 'Alex'),
    profile('bbb-2', 'Kids'),
    profile('ccc-3', 'Sam'),
    profile('ddd-4', 'sam'),
    profile('Émile', 'Émile')
  ]

  it('finds by uuid, or by title ignoring case', () => {
    expect(findProfile(profiles, 'bbb-2')).toEqual({ ok: true, profile: profiles[1] })
    expect(findProfile(profiles, 'KIDS')).toEqual({ ok: true, profile: profiles[1] })
    expect(findProfile(profiles, 'alex')).toEqual({ ok: true, profile: profiles[0] })
    expect(findProfile(profiles, 'émile')).toEqual({ ok: true, profile: profiles[4] })
  })

  it('a title two profiles share is an error naming their uuids', () => {
    expect(findProfile(profiles, 'SAM')).toEqual({
      ok: false,
      message: 'Several Plex Home profiles are called "SAM": choose one by its uuid (ccc-3, ddd-4)'
    })
  })

  it('not found, and no Home at all, are plain errors with the name cleaned', () => {
    expect(findProfile(profiles, 'Nobody\u001b[2J')).toEqual({
      ok: false,
      message: 'No Plex Home profile is called "Nobody"'
    })
    expect(findProfile([], 'Kids')).toEqual({
      ok: false,
      message: 'This Plex account has no Home profiles'
    })
  })
})

describe('the profile step against the fake Home', () => {
  let plex: FakePlex
  let home: FakeHome
  const opened: FakePlex[] = []
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((fake) => fake.close()))
  })

  async function start(): Promise<ProfileStep> {
    home = createFakeHome({ users: DEMO_HOME_USERS, addToken: (token) => plex.addToken(token) })
    plex = await startFakePlex({ routes: [home.handler] })
    opened.push(plex)
    plex.addToken(TOKEN)
    const options = {
      fetch,
      clientsUrl: plex.url,
      token: TOKEN,
      clientIdentifier: 'profiles-test-client',
      device: DEVICE
    }
    const listed = await listProfiles(options)
    if (!listed.ok) throw new Error(listed.message)
    return createProfileStep(listed.profiles, options)
  }

  it('an unprotected profile switches at once, chosen by title', async () => {
    const step = await start()
    const choice = await step.choose('kids')
    expect(choice).toMatchObject({ kind: 'switched', profile: { title: 'Kids' } })
    expect(choice.kind === 'switched' && plex.isValidToken(choice.token)).toBe(true)
    expect(home.switches).toHaveLength(1)
  })

  it('a protected profile without a PIN asks for one, sending nothing', async () => {
    const step = await start()
    expect(await step.choose('Alex')).toEqual({
      kind: 'pin-needed',
      profile: expect.objectContaining({ title: 'Alex', protected: true }),
      message: 'Alex is protected by a PIN'
    })
    expect(await step.choose('Alex', '12a4')).toMatchObject({
      kind: 'pin-needed',
      message: 'A profile PIN is 4 digits'
    })
    expect(home.switches).toEqual([])
  })

  it('a wrong PIN, then the right one', async () => {
    const step = await start()
    expect(await step.choose('Alex', '0000')).toMatchObject({
      kind: 'wrong-pin',
      attemptsLeft: MAX_WRONG_PINS - 1,
      message: 'Wrong PIN for Alex (4 tries left)'
    })
    expect(await step.choose('Alex', '1234')).toMatchObject({
      kind: 'switched',
      profile: { title: 'Alex' }
    })
    expect(home.switches.map((s) => [s.pin, s.status])).toEqual([
      ['0000', 403],
      ['1234', 201]
    ])
  })

  it('five wrong PINs end the step with `profile`, and nothing more is sent', async () => {
    const step = await start()
    const left: number[] = []
    for (let i = 0; i < MAX_WRONG_PINS - 1; i++) {
      const choice = await step.choose('Alex', `000${i}`)
      if (choice.kind === 'wrong-pin') left.push(choice.attemptsLeft)
    }
    expect(left).toEqual([4, 3, 2, 1])
    const fifth = await step.choose('Alex', '9999')
    expect(fifth).toEqual({
      kind: 'failed',
      code: 'profile',
      message: 'Wrong profile PIN 5 times; try again later',
      final: true
    })
    // Neither the right PIN nor another profile gets past a finished step.
    expect(await step.choose('Alex', '1234')).toEqual(fifth)
    expect(await step.choose('Kids')).toEqual(fifth)
    expect(home.switches).toHaveLength(MAX_WRONG_PINS)
  })

  it('wrong PINs on different profiles count together', async () => {
    home = createFakeHome({
      users: [
        { uuid: 'p1', title: 'One', pin: '1111' },
        { uuid: 'p2', title: 'Two', pin: '2222' }
      ],
      addToken: (token) => plex.addToken(token)
    })
    plex = await startFakePlex({ routes: [home.handler] })
    opened.push(plex)
    plex.addToken(TOKEN)
    const profiles = [
      profile('p1', 'One', { protected: true }),
      profile('p2', 'Two', { protected: true })
    ]
    const step = createProfileStep(profiles, {
      fetch,
      clientsUrl: plex.url,
      token: TOKEN,
      clientIdentifier: 'profiles-test-client',
      device: DEVICE
    })
    const kinds: string[] = []
    for (let i = 0; i < MAX_WRONG_PINS; i++) {
      kinds.push((await step.choose(i % 2 ? 'Two' : 'One', '0000')).kind)
    }
    expect(kinds).toEqual(['wrong-pin', 'wrong-pin', 'wrong-pin', 'wrong-pin', 'failed'])
  })

  it('a profile plex.tv wants a PIN for although the list said open: asked, not counted', async () => {
    const step = await start()
    const unmarked = createProfileStep(
      step.profiles.map((p) => ({ ...p, protected: false })),
      {
        fetch,
        clientsUrl: plex.url,
        token: TOKEN,
        clientIdentifier: 'profiles-test-client',
        device: DEVICE
      }
    )
    expect(await unmarked.choose('Alex')).toMatchObject({ kind: 'pin-needed' })
    expect(await unmarked.choose('Alex')).toMatchObject({ kind: 'pin-needed' })
    expect(await unmarked.choose('Alex', '1234')).toMatchObject({ kind: 'switched' })
    expect(home.switches.map((s) => s.pin)).toEqual([undefined, '1234'])
  })

  it('not found, refused and transient failures leave the step open', async () => {
    const step = await start()
    expect(await step.choose('Nobody')).toEqual({
      kind: 'failed',
      code: 'profile',
      message: 'No Plex Home profile is called "Nobody"',
      final: false
    })
    home.fail(
      { status: 503 },
      { status: 429 },
      { status: 400, body: { errors: [{ code: 1, message: 'No\u001b[31m way' }] } }
    )
    expect(await step.choose('Kids')).toMatchObject({
      kind: 'failed',
      code: 'unavailable',
      final: false
    })
    expect(await step.choose('Kids')).toMatchObject({
      kind: 'failed',
      code: 'rate-limited',
      final: false
    })
    expect(await step.choose('Kids')).toEqual({
      kind: 'failed',
      code: 'profile',
      message: 'plex.tv refused to switch to Kids: No way',
      final: false
    })
    expect(await step.choose('Kids')).toMatchObject({ kind: 'switched' })
  })

  it('calls made at once run one after another; a finished step answers the same', async () => {
    const step = await start()
    const choices = await Promise.all([
      step.choose('Alex', '0000'),
      step.choose('Alex', '1234'),
      step.choose('Kids')
    ])
    expect(choices.map((c) => c.kind)).toEqual(['wrong-pin', 'switched', 'switched'])
    expect(choices[2]).toBe(choices[1])
    expect(home.switches.map((s) => s.uuid)).toEqual([
      DEMO_HOME_USERS[2]?.uuid,
      DEMO_HOME_USERS[2]?.uuid
    ])
  })
})
