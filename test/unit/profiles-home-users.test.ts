import { afterEach, describe, expect, it } from 'vitest'
import { listProfiles, parseHomeUsers } from '../../src/main/profiles/home-users'
import { createFakeHome, DEMO_HOME_USERS, type FakeHomeUser } from '../fake-plex/fake-plex-home'
import { startFakePlex, type FakePlex } from '../fake-plex/fake-plex-server'

const DEVICE = {
  product: 'Profiles Test',
  version: '1.0.0',
  platform: 'Linux',
  platformVersion: '6.1',
  device: 'Linux',
  deviceName: 'test-host'
}
const CLIENT_ID = 'profiles-test-client'
const TOKEN = 'AccountToken123'

let plex: FakePlex | undefined
afterEach(async () => {
  await plex?.close()
  plex = undefined
})

async function home(users: FakeHomeUser[]) {
  const fake = createFakeHome({ users, addToken: (token) => plex?.addToken(token) })
  plex = await startFakePlex({ routes: [fake.handler] })
  plex.addToken(TOKEN)
  return { fake, plex }
}

function options(url: string, token = TOKEN) {
  return { fetch, clientsUrl: url, token, clientIdentifier: CLIENT_ID, device: DEVICE }
}

describe('parseHomeUsers', () => {
  it('reads each user, with the fields a profile needs', () => {
    const users = parseHomeUsers({
      id: 1,
      users: [
        {
          id: 1,
          uuid: 'abc-123',
          title: 'Admin',
          username: 'admin',
          admin: true,
          restricted: false,
          protected: true,
          thumb: 'https://plex.tv/users/abc/avatar'
        },
        { id: 2, uuid: 'kid1', title: 'Kids', admin: false, restricted: true, protected: false }
      ]
    })
    expect(users).toEqual([
      {
        uuid: 'abc-123',
        title: 'Admin',
        admin: true,
        restricted: false,
        protected: true,
        thumb: 'https://plex.tv/users/abc/avatar'
      },
      { uuid: 'kid1', title: 'Kids', admin: false, restricted: true, protected: false }
    ])
  })

  it('tolerates missing fields: a name falls back, flags default to false', () => {
    expect(
      parseHomeUsers({
        users: [
          { uuid: 'a1', friendlyName: 'Friendly' },
          { uuid: 'a2', username: 'user2' },
          { uuid: 'a3', title: '   ' },
          { uuid: 'a4', title: 'Old API', admin: 1, restricted: '1', protected: '1' }
        ]
      })
    ).toEqual([
      { uuid: 'a1', title: 'Friendly', admin: false, restricted: false, protected: false },
      { uuid: 'a2', title: 'user2', admin: false, restricted: false, protected: false },
      { uuid: 'a3', title: 'a3', admin: false, restricted: false, protected: false },
      { uuid: 'a4', title: 'Old API', admin: true, restricted: true, protected: true }
    ])
  })

  it('drops entries that cannot be chosen safely, and repeated uuids', () => {
    const users = parseHomeUsers({
      users: [
        null,
        'text',
        [],
        { title: 'no uuid' },
        { uuid: 42, title: 'number uuid' },
        { uuid: '../../api/v2/user', title: 'path' },
        { uuid: 'a b', title: 'space' },
        { uuid: 'x'.repeat(65), title: 'long' },
        { uuid: 'ok-1', title: 'First' },
        { uuid: 'ok-1', title: 'Again' }
      ]
    })
    expect(users?.map((user) => user.title)).toEqual(['First'])
  })

  it('keeps a picture only when it is a plain https address', () => {
    const thumbs = [
      'http://plex.tv/a.png',
      'javascript:alert(1)',
      'data:image/png;base64,AAAA',
      'https://plex.tv/a b.png',
      `https://plex.tv/${'a'.repeat(3000)}`,
      42
    ]
    const users = parseHomeUsers({
      users: thumbs.map((thumb, index) => ({ uuid: `u${index}`, title: 'x', thumb }))
    })
    expect(users?.map((user) => user.thumb)).toEqual(thumbs.map(() => undefined))
  })

  it('cleans hostile names: escapes, OSC 52, bidi overrides, line breaks', () => {
    const users = parseHomeUsers({
      users: [
        { uuid: 'u1', title: '\u001b]52;c;Y3VybCBldmlsIHwgc2g=\u0007Kids\u001b[31m' },
        { uuid: 'u2', title: 'evil\u202egpj.exe\nsecond line' }
      ]
    })
    expect(users?.map((user) => user.title)).toEqual(['Kids', 'evil gpj.exe second line'])
  })

  it('is undefined for an answer that is not a Home', () => {
    for (const body of [undefined, null, [], 'x', {}, { users: {} }, { users: 'a' }]) {
      expect(parseHomeUsers(body)).toBeUndefined()
    }
  })
})

describe('listProfiles', () => {
  it('lists the Home users of the account', async () => {
    const { plex } = await home(DEMO_HOME_USERS)
    const result = await listProfiles(options(plex.url))
    expect(result).toMatchObject({ ok: true })
    expect(result.ok && result.profiles.map((p) => [p.title, p.protected, p.restricted])).toEqual([
      ['fakeplexuser', false, false],
      ['Kids', false, true],
      ['Alex', true, false]
    ])
    const request = plex.requests.at(-1)
    expect(request?.method).toBe('GET')
    expect(request?.path).toBe('/api/v2/home/users')
    expect(request?.headers['x-plex-token']).toBe(TOKEN)
    expect(request?.headers['x-plex-client-identifier']).toBe(CLIENT_ID)
    expect(request?.headers['x-plex-product']).toBe(DEVICE.product)
    expect(request?.headers.accept).toBe('application/json')
  })

  it('no Home (404): no profile step', async () => {
    const { plex } = await home([])
    expect(await listProfiles(options(plex.url))).toEqual({ ok: true, profiles: [] })
    expect(plex.requests.at(-1)?.status).toBe(404)
  })

  it('a Home of one: no profile step', async () => {
    const { plex } = await home(DEMO_HOME_USERS.slice(0, 1))
    expect(await listProfiles(options(plex.url))).toEqual({ ok: true, profiles: [] })
    expect(plex.requests.at(-1)?.status).toBe(200)
  })

  it('a token plex.tv does not know is rejected with 401', async () => {
    const { plex } = await home(DEMO_HOME_USERS)
    const result = await listProfiles(options(plex.url, 'UnknownToken'))
    expect(result).toMatchObject({ ok: false, kind: 'rejected', status: 401 })
  })

  it('429 is rate-limited with its Retry-After, 5xx unavailable', async () => {
    const { fake, plex } = await home(DEMO_HOME_USERS)
    fake.fail({ status: 429, headers: { 'retry-after': '7' } }, { status: 503 })
    expect(await listProfiles(options(plex.url))).toEqual({
      ok: false,
      kind: 'rate-limited',
      message: 'plex.tv is limiting requests',
      retryAfterMs: 7000
    })
    expect(await listProfiles(options(plex.url))).toEqual({
      ok: false,
      kind: 'unavailable',
      message: 'plex.tv is not answering properly (HTTP 503)'
    })
  })

  it('an answer that is not a Home is not understood', async () => {
    const { fake, plex } = await home(DEMO_HOME_USERS)
    fake.fail({ status: 200, body: [{ uuid: 'a' }] })
    expect(await listProfiles(options(plex.url))).toEqual({
      ok: false,
      kind: 'unavailable',
      message: 'plex.tv sent an answer this app does not understand'
    })
  })

  it('a token or client id no header can carry is never sent', async () => {
    const { plex } = await home(DEMO_HOME_USERS)
    for (const [token, clientIdentifier] of [
      ['bad\ntoken', CLIENT_ID],
      ['Токен', CLIENT_ID],
      [TOKEN, 'client id with spaces']
    ] as const) {
      const result = await listProfiles({ ...options(plex.url, token), clientIdentifier })
      expect(result).toMatchObject({ ok: false, kind: 'rejected', status: 0 })
    }
    expect(plex.requests).toEqual([])
  })
})

describe('listProfiles with the fetch Electron gives', () => {
  const electronLike = (answer: () => Promise<Response>) => ({
    ...options('https://clients.plex.test'),
    fetch: answer as unknown as typeof fetch
  })

  it('net.fetch refusing a redirect it was told not to follow is a redirect failure', async () => {
    const result = await listProfiles(
      electronLike(() => Promise.reject(new Error('Redirect was cancelled')))
    )
    expect(result).toEqual({
      ok: false,
      kind: 'unavailable',
      message: 'plex.tv answered with a redirect to an unknown place'
    })
  })

  it('an opaque redirect (status 0) is a redirect failure, not an answer', async () => {
    const opaque = { type: 'opaqueredirect', status: 0, headers: new Headers(), body: null }
    const result = await listProfiles(electronLike(async () => opaque as unknown as Response))
    expect(result).toEqual({
      ok: false,
      kind: 'unavailable',
      message: 'plex.tv answered with a redirect to an unknown place'
    })
  })
})
