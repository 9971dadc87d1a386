import { afterEach, describe, expect, it } from 'vitest'
import { isProfilePin, switchProfile } from '../../src/main/profiles/switch-profile'
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
const [ADMIN, KIDS, ALEX] = DEMO_HOME_USERS as [
  (typeof DEMO_HOME_USERS)[0],
  (typeof DEMO_HOME_USERS)[0],
  (typeof DEMO_HOME_USERS)[0]
]

let plex: FakePlex
let home: FakeHome
const opened: FakePlex[] = []
afterEach(async () => {
  await Promise.all(opened.splice(0).map((fake) => fake.close()))
})

async function start() {
  home = createFakeHome({ users: DEMO_HOME_USERS, addToken: (token) => plex.addToken(token) })
  plex = await startFakePlex({ routes: [home.handler] })
  opened.push(plex)
  plex.addToken(TOKEN)
}

function switchTo(uuid: string, pin?: string) {
  return switchProfile({
    fetch,
    clientsUrl: plex.url,
    token: TOKEN,
    clientIdentifier: 'profiles-test-client',
    device: DEVICE,
    uuid,
    ...(pin === undefined ? {} : { pin })
  })
}

describe('isProfilePin', () => {
  it('is exactly four digits', () => {
    expect(['0000', '1234', '9876'].map(isProfilePin)).toEqual([true, true, true])
    for (const pin of ['', '123', '12345', '12a4', ' 1234', '1234\n', '١٢٣٤', '12.4']) {
      expect(isProfilePin(pin)).toBe(false)
    }
  })
})

describe('switchProfile', () => {
  it('an unprotected profile: its own token, valid at plex.tv, and its account', async () => {
    await start()
    const result = await switchTo(KIDS.uuid)
    if (!result.ok) throw new Error(result.message)
    expect(result.token).toBe(home.switches[0]?.token)
    expect(plex.isValidToken(result.token)).toBe(true)
    expect(result.token).not.toBe(TOKEN)
    expect(result.account).toMatchObject({ uuid: KIDS.uuid, title: 'Kids' })
    const request = plex.requests.at(-1)
    expect(request?.method).toBe('POST')
    expect(request?.path).toBe(`/api/v2/home/users/${KIDS.uuid}/switch`)
    expect(request?.headers['x-plex-token']).toBe(TOKEN)
  })

  it('a protected profile: the PIN goes as the pin query parameter', async () => {
    await start()
    const result = await switchTo(ALEX.uuid, '1234')
    expect(result).toMatchObject({ ok: true, account: { title: 'Alex' } })
    expect(plex.requests.at(-1)?.path).toBe(`/api/v2/home/users/${ALEX.uuid}/switch?pin=1234`)
  })

  it('a wrong or missing PIN (403, code 1041) is a wrong-pin result, no token', async () => {
    await start()
    expect(await switchTo(ALEX.uuid, '0000')).toEqual({
      ok: false,
      kind: 'wrong-pin',
      message: 'That PIN is not the profile’s PIN'
    })
    expect(await switchTo(ALEX.uuid)).toMatchObject({ ok: false, kind: 'wrong-pin' })
    expect(home.switches.map((s) => [s.status, s.token])).toEqual([
      [403, undefined],
      [403, undefined]
    ])
  })

  it('another 403 is a refusal, not a wrong PIN', async () => {
    await start()
    home.fail({
      status: 403,
      body: { errors: [{ code: 1001, message: 'Forbidden for JWT', status: 403 }] }
    })
    expect(await switchTo(ALEX.uuid, '1234')).toEqual({
      ok: false,
      kind: 'rejected',
      status: 403,
      message: 'Forbidden for JWT'
    })
  })

  it('unknown profile 404 → rejected; 429 → rate-limited; 5xx → unavailable', async () => {
    await start()
    expect(await switchTo('doesnotexist')).toMatchObject({
      ok: false,
      kind: 'rejected',
      status: 404
    })
    home.fail({ status: 429 }, { status: 502 })
    expect(await switchTo(ADMIN.uuid)).toMatchObject({ ok: false, kind: 'rate-limited' })
    expect(await switchTo(ADMIN.uuid)).toMatchObject({ ok: false, kind: 'unavailable' })
  })

  it('a uuid or PIN that is not one is refused before anything is sent', async () => {
    await start()
    for (const uuid of ['../../api/v2/user', 'a/b', 'a?b=1', '', 'x'.repeat(65)]) {
      expect(await switchTo(uuid)).toMatchObject({ ok: false, kind: 'rejected', status: 0 })
    }
    for (const pin of ['123', '12345', 'abcd', '1234&x=1']) {
      expect(await switchTo(ALEX.uuid, pin)).toMatchObject({
        ok: false,
        kind: 'rejected',
        status: 0,
        message: 'A profile PIN is 4 digits'
      })
    }
    expect(plex.requests).toEqual([])
  })

  it('a 201 without a token a header can carry is not understood', async () => {
    await start()
    for (const body of [{}, { authToken: '' }, { authToken: 'a b' }, { authToken: 7 }, []]) {
      home.fail({ status: 201, body })
      expect(await switchTo(KIDS.uuid)).toEqual({
        ok: false,
        kind: 'unavailable',
        message: 'plex.tv sent an answer this app does not understand'
      })
    }
  })

  it('account fields of an odd shape are left out, the token still taken', async () => {
    await start()
    home.fail({ status: 201, body: { authToken: 'ProfileToken1', id: 'x', title: { a: 1 } } })
    expect(await switchTo(KIDS.uuid)).toEqual({ ok: true, token: 'ProfileToken1' })
    home.fail({
      status: 201,
      body: {
        authToken: 'ProfileToken2',
        id: 9,
        uuid: 'k1',
        title: 'Kids\u001b[2J',
        thumb: 'http://x/y'
      }
    })
    expect(await switchTo(KIDS.uuid)).toEqual({
      ok: true,
      token: 'ProfileToken2',
      account: { id: 9, uuid: 'k1', username: 'Kids', title: 'Kids', email: '', thumb: '' }
    })
  })
})
