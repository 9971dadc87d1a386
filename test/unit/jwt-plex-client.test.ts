// What the plex.tv client sends and reads for a JWT sign-in: the PIN with the key in a JSON
// body, polls with a device JWT, the refresh calls, plex.tv's keys; redirects never followed.
import { describe, expect, it } from 'vitest'
import { createPlexClient, type PinDeviceKey } from '../../src/main/plex/plex-client'

const DEVICE = {
  product: 'Test',
  version: '1',
  platform: 'Linux',
  platformVersion: '6',
  device: 'PC',
  deviceName: 'test'
}
const PIN = { id: 5, code: 'ABCD', expiresIn: 900, authToken: null }

interface Sent {
  url: string
  init: RequestInit
}

function client(answer: () => Response, pinKey?: PinDeviceKey) {
  const sent: Sent[] = []
  const fetchStub = async (url: string | URL | Request, init?: RequestInit) => {
    sent.push({ url: String(url), init: init ?? {} })
    return answer()
  }
  const plex = createPlexClient({
    baseUrl: 'https://clients.example',
    clientIdentifier: 'jwt-device',
    device: DEVICE,
    fetch: fetchStub as typeof fetch,
    ...(pinKey ? { pinKey } : {})
  })
  return { plex, sent }
}

const KEY: PinDeviceKey = {
  jwk: { kty: 'OKP', crv: 'Ed25519', x: 'xx', kid: 'kid-1', alg: 'EdDSA', use: 'sig' },
  deviceJwt: (() => {
    let n = 0
    return () => `h.p.s${++n}`
  })()
}

describe('the PIN flow with a device key', () => {
  it('creates the PIN with the JWK (and strong) in a JSON body, not the query', async () => {
    const { plex, sent } = client(() => Response.json(PIN, { status: 201 }), KEY)
    expect((await plex.createPin(true)).ok).toBe(true)
    expect(sent[0]!.url).toBe('https://clients.example/api/v2/pins')
    expect(sent[0]!.init.method).toBe('POST')
    expect(JSON.parse(String(sent[0]!.init.body))).toEqual({ jwk: KEY.jwk, strong: true })
    expect((sent[0]!.init.headers as Record<string, string>)['Content-Type']).toBe(
      'application/json'
    )
    await plex.createPin(false)
    expect(JSON.parse(String(sent[1]!.init.body))).toEqual({ jwk: KEY.jwk })
  })

  it('polls with a device JWT signed anew each time', async () => {
    const { plex, sent } = client(() => Response.json(PIN), KEY)
    await plex.getPin(5)
    await plex.getPin(5)
    expect(sent.map((s) => s.url)).toEqual([
      'https://clients.example/api/v2/pins/5?deviceJWT=h.p.s1',
      'https://clients.example/api/v2/pins/5?deviceJWT=h.p.s2'
    ])
  })

  it('without a key, the classic PIN: no body, strong in the query', async () => {
    const { plex, sent } = client(() => Response.json(PIN, { status: 201 }))
    await plex.createPin(true)
    expect(sent[0]!.url).toBe('https://clients.example/api/v2/pins?strong=true')
    expect(sent[0]!.init.body).toBeUndefined()
  })
})

describe('the refresh calls', () => {
  it('reads the nonce, and refuses one that is not a plain id', async () => {
    expect(await client(() => Response.json({ nonce: 'a-1' })).plex.getNonce()).toEqual({
      ok: true,
      nonce: 'a-1'
    })
    const odd = await client(() => Response.json({ nonce: 'a b\n' })).plex.getNonce()
    expect(odd).toMatchObject({ ok: false, kind: 'unavailable' })
  })

  it('posts the device JWT and takes auth_token or authToken', async () => {
    const snake = client(() => Response.json({ auth_token: 'new.jwt.1' }))
    expect(await snake.plex.exchangeDeviceJwt('d.j.w')).toEqual({ ok: true, token: 'new.jwt.1' })
    expect(snake.sent[0]!.init.method).toBe('POST')
    expect(JSON.parse(String(snake.sent[0]!.init.body))).toEqual({ jwt: 'd.j.w' })
    expect(snake.sent[0]!.url).toBe('https://clients.example/api/v2/auth/token')
    const camel = client(() => Response.json({ authToken: 'new.jwt.2' }))
    expect(await camel.plex.exchangeDeviceJwt('d.j.w')).toEqual({ ok: true, token: 'new.jwt.2' })
  })

  it('says plainly what error 1097 means', async () => {
    const { plex } = client(() =>
      Response.json({ errors: [{ code: 1097, message: 'bad iss' }] }, { status: 400 })
    )
    expect(await plex.exchangeDeviceJwt('d.j.w')).toMatchObject({
      ok: false,
      kind: 'rejected',
      status: 400,
      message: expect.stringMatching(/issuer is not the client identifier.*1097/)
    })
  })

  it('reads plex.tv’s keys; a redirect is a failure, never followed', async () => {
    const keys = await client(() => Response.json({ keys: [{ kty: 'OKP' }] })).plex.getAuthKeys()
    expect(keys).toEqual({ ok: true, keys: [{ kty: 'OKP' }] })
    const moved = client(
      () => new Response(null, { status: 302, headers: { location: 'https://evil.example/k' } })
    )
    expect(await moved.plex.getAuthKeys()).toMatchObject({
      ok: false,
      kind: 'unavailable',
      message: expect.stringContaining('evil.example')
    })
    expect(moved.sent).toHaveLength(1)
    expect(moved.sent[0]!.init.redirect).toBe('manual')
  })
})
