// The two media servers of the demo (`npm run fake-plex`) and of the window's tests: the
// account's own, answering on a fast "local" and a slower "remote" port, and a friend's, behind
// a relay that refuses, so a list shows every kind of result.
import { randomBytes } from 'node:crypto'
import { refusedPort, type FakeMediaServers } from '../fake-media-server/fake-media-server'
import { loopbackConnection, type FakeResource } from './fake-plex-resources'

export const DEMO_OWN_SERVER_ID = 'fa4e0000demo0000own0000server00000000001'
export const DEMO_SHARED_SERVER_ID = 'fa4e0000demo0000shared000server0000000002'

// 127.0.0.1 only: other 127.x addresses need setup on macOS, and anyone may run the demo.
export async function demoServers(media: FakeMediaServers): Promise<FakeResource[]> {
  const own = { kind: 'identity', machineIdentifier: DEMO_OWN_SERVER_ID } as const
  const ownLocal = await media.start({ behaviour: { ...own, delayMs: 5 } })
  const ownRemote = await media.start({ behaviour: { ...own, delayMs: 60 } })
  const shared = await media.start({
    behaviour: { kind: 'identity', machineIdentifier: DEMO_SHARED_SERVER_ID, delayMs: 120 }
  })
  const relay = `http://127.0.0.1:${await refusedPort()}`
  const token = (): string => randomBytes(12).toString('base64url')
  return [
    {
      name: 'Living Room',
      clientIdentifier: DEMO_OWN_SERVER_ID,
      accessToken: token(),
      owned: true,
      connections: [
        loopbackConnection(ownLocal.url),
        loopbackConnection(ownRemote.url, { local: false })
      ]
    },
    {
      name: 'Friend’s Server',
      clientIdentifier: DEMO_SHARED_SERVER_ID,
      accessToken: token(),
      owned: false,
      sourceTitle: 'friend',
      connections: [
        loopbackConnection(shared.url, { local: false }),
        loopbackConnection(relay, { local: false, relay: true })
      ]
    }
  ]
}
