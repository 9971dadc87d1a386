// `login --jwt --server`: plex.tv lists the account's own server with the account's JWT as its
// accessToken, which media servers reject; the server's device token is handed over instead.
import { describe, expect, it } from 'vitest'
import { FakeMediaServers } from '../fake-media-server/fake-media-server'
import { createFakeJwt, type FakeDeviceEntry } from '../fake-plex/fake-plex-jwt'
import { fakePlexResources, loopbackConnection } from '../fake-plex/fake-plex-resources'
import { approveShownCode, jsonOut, setup, startPlexLogin } from './run-plex-login'

const OWN = 'aaaa00000000000000000000000000000jwt0own'
const DEVICE_TOKEN = 'own-device-token-1234'

describe('plex-login login --jwt --server', () => {
  it.for([
    [
      'with its device token when plex.tv lists one',
      [{ clientIdentifier: OWN, name: 'Own', token: DEVICE_TOKEN }]
    ],
    ['or fails with `server` when plex.tv lists none: a JWT is never a server token', []]
  ] as [string, FakeDeviceEntry[]][])(
    'hands over the owned server %s',
    async ([, devices], context) => {
      const media = new FakeMediaServers()
      context.onTestFinished(() => media.closeAll())
      const own = await media.start({ behaviour: { kind: 'identity', machineIdentifier: OWN } })
      const jwt = createFakeJwt({ devices: () => devices })
      const resources = fakePlexResources(() => [
        {
          name: 'Own',
          clientIdentifier: OWN,
          accessToken: jwt.issued.at(-1) ?? null, // as plex.tv does for a JWT account
          owned: true,
          connections: [loopbackConnection(own.url)]
        }
      ])
      const { fake, base } = await setup(context, { jwt, routes: [resources] })
      const run = startPlexLogin(['login', '--jwt', '--json', '--server', 'Own', ...base])
      await approveShownCode(run, fake)
      const result = await run.done

      const answer = jsonOut(result)
      const accountJwt = jwt.issued.at(-1)!
      if (devices.length > 0) {
        expect(result.code).toBe(0)
        expect(answer).toMatchObject({ authToken: accountJwt, tokenType: 'jwt' })
        const server = answer.server as { accessToken: string; machineIdentifier: string }
        expect(server.machineIdentifier).toBe(OWN)
        expect(server.accessToken).toBe(DEVICE_TOKEN)
      } else {
        expect(result.code).toBe(1)
        expect(answer).toMatchObject({ ok: false, error: { code: 'server' } })
        expect(result.stdout).not.toContain(accountJwt)
      }
      const lookup = fake.requests.filter((r) => r.path === '/api/v2/devices')
      expect(lookup).toHaveLength(1)
      expect(lookup[0]!.headers['x-plex-token']).toBe(accountJwt)
      expect(result.stderr).not.toContain(accountJwt)
    }
  )
})
