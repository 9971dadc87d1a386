// A JWT account's own server is listed with the account's Plex JWT as its token, which media
// servers refuse: the server's device token is handed over instead, and a JWT never is.
import { afterEach, describe, expect, it } from 'vitest'
import { mediaServerToken, type StepsOptions } from '../../src/main/login/after-sign-in'
import { createPlexClient } from '../../src/main/plex/plex-client'
import type { ServerJson } from '../../src/main/servers/server-json'
import { createFakeJwt, type FakeDeviceEntry } from '../fake-plex/fake-plex-jwt'
import { startFakePlex, type FakePlex } from '../fake-plex/fake-plex-server'
import { TEST_DEVICE } from './fixtures'

const TOKEN = 'account-token-media'
const CLIENT_ID = 'client-id-media'
const SERVER_ID = 'own-server-media-0001'
const b64 = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url')
// Shaped as a Plex JWT (EdDSA header, claims, 64-byte signature); nothing here checks it.
const ACCOUNT_JWT = `${b64({ alg: 'EdDSA', typ: 'JWT' })}.${b64({ iss: 'plex.tv' })}.${Buffer.alloc(64, 7).toString('base64url')}`

let plex: FakePlex | undefined
afterEach(async () => plex?.close())

async function options(devices: FakeDeviceEntry[]): Promise<StepsOptions> {
  plex = await startFakePlex({ jwt: createFakeJwt({ devices: () => devices }) })
  plex.addToken(TOKEN)
  const client = createPlexClient({
    baseUrl: plex.url,
    clientIdentifier: CLIENT_ID,
    device: TEST_DEVICE
  })
  const never = () => Promise.reject(new Error('not asked'))
  return {
    fetch,
    clientsUrl: plex.url,
    clientIdentifier: CLIENT_ID,
    device: TEST_DEVICE,
    getAccount: client.getAccount,
    questions: { chooseProfile: never, profilePin: never, chooseServer: never }
  }
}

function server(accessToken: string | null, owned = true): ServerJson {
  return {
    name: 'Own',
    machineIdentifier: SERVER_ID,
    owned,
    owner: owned ? null : 'friend',
    accessToken,
    connection: null,
    connections: []
  }
}

const devicesCalls = (): number =>
  plex!.requests.filter((request) => request.path === '/api/v2/devices').length

describe('mediaServerToken', () => {
  it('keeps a plain server token as it is, without asking plex.tv', async () => {
    const steps = await options([])
    expect(await mediaServerToken(TOKEN, server('plain-server-token'), steps)).toEqual({
      ok: true,
      accessToken: 'plain-server-token'
    })
    expect(devicesCalls()).toBe(0)
  })

  it("hands over the server's device token in place of the account's JWT", async () => {
    const steps = await options([{ clientIdentifier: SERVER_ID, name: 'Own', token: 'dev-tok-1' }])
    expect(await mediaServerToken(TOKEN, server(ACCOUNT_JWT), steps)).toEqual({
      ok: true,
      accessToken: 'dev-tok-1'
    })
  })

  it('never hands over the JWT: without a device token the step fails with `server`', async () => {
    const steps = await options([])
    const result = await mediaServerToken(TOKEN, server(ACCOUNT_JWT), steps)
    expect(result).toMatchObject({ ok: false, code: 'server' })
    expect(JSON.stringify(result)).not.toContain(ACCOUNT_JWT)
  })

  it('does not look a shared server up among the account’s own devices', async () => {
    const steps = await options([{ clientIdentifier: SERVER_ID, name: 'Own', token: 'dev-tok-1' }])
    const result = await mediaServerToken(TOKEN, server(ACCOUNT_JWT, false), steps)
    expect(result).toMatchObject({ ok: false, code: 'server' })
    expect(devicesCalls()).toBe(0)
  })
})
