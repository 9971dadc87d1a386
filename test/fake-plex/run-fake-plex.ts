// `npm run fake-plex`: the fake plex.tv as a standalone server for demos and manual runs, with
// a Plex Home (an admin, a managed profile, one with PIN 1234) and two media servers answering
// /identity on loopback, so that `login --profile ask --server ask` can be tried end to end.
import { randomBytes } from 'node:crypto'
import { parseArgs } from 'node:util'
import { FakeMediaServers, refusedPort } from '../fake-media-server/fake-media-server'
import { createFakeHome, DEMO_HOME_USERS } from './fake-plex-home'
import { fakePlexResources, loopbackConnection, type FakeResource } from './fake-plex-resources'
import { startFakePlex } from './fake-plex-server'

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '5155' },
    delay: { type: 'string', default: '0' },
    lifetime: { type: 'string' }
  }
})

function numberOption(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined
  const n = Number(value)
  if (!Number.isFinite(n) || n < 0) {
    console.error(`--${name} wants a non-negative number, got '${value}'`)
    process.exit(2)
  }
  return n
}

const port = numberOption('port', values.port)
const lifetime = numberOption('lifetime', values.lifetime)

const OWN_ID = 'fa4e0000demo0000own0000server00000000001'
const SHARED_ID = 'fa4e0000demo0000shared000server0000000002'

// Loopback only, 127.0.0.1 only (other 127.x addresses need setup on macOS): the owned server
// answers on a "local" and a slower "remote" port, the shared one on a remote port, behind a
// relay that refuses, so the listing shows every kind of result.
async function demoServers(media: FakeMediaServers): Promise<FakeResource[]> {
  const own = { kind: 'identity', machineIdentifier: OWN_ID } as const
  const ownLocal = await media.start({ behaviour: { ...own, delayMs: 5 } })
  const ownRemote = await media.start({ behaviour: { ...own, delayMs: 60 } })
  const shared = await media.start({
    behaviour: { kind: 'identity', machineIdentifier: SHARED_ID, delayMs: 120 }
  })
  const relay = `http://127.0.0.1:${await refusedPort()}`
  const token = (): string => randomBytes(12).toString('base64url')
  return [
    {
      name: 'Living Room',
      clientIdentifier: OWN_ID,
      accessToken: token(),
      owned: true,
      connections: [
        loopbackConnection(ownLocal.url),
        loopbackConnection(ownRemote.url, { local: false })
      ]
    },
    {
      name: 'Friend’s Server',
      clientIdentifier: SHARED_ID,
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

const media = new FakeMediaServers()
try {
  // Switches only happen once the fake plex.tv is up, so `plex` is set by then.
  const home = createFakeHome({ users: DEMO_HOME_USERS, addToken: (t) => plex.addToken(t) })
  const resources = await demoServers(media)
  const plex = await startFakePlex({
    port,
    delayMs: numberOption('delay', values.delay),
    // one lifetime for both kinds, so a demo can watch either expire
    pinLifetimeSeconds: lifetime,
    strongPinLifetimeSeconds: lifetime,
    routes: [home.handler, fakePlexResources(() => resources)]
  })
  const url = plex.url
  console.log(
    `Fake plex.tv on ${url} — open it to approve codes. Try: plex-login --plex-url ${url}\n` +
      `Profiles: ${DEMO_HOME_USERS.map((user) => user.title).join(', ')} (Alex's PIN is 1234); ` +
      `servers: ${resources.map((resource) => resource.name).join(', ')}. Try:\n` +
      `  plex-login login --plex-url ${url} --profile ask --server ask`
  )
  const stop = (): void => {
    Promise.all([plex.close(), media.closeAll()]).then(
      () => process.exit(0),
      () => process.exit(1)
    )
  }
  process.once('SIGINT', stop)
  process.once('SIGTERM', stop)
} catch (error) {
  await media.closeAll()
  console.error(`Fake plex.tv could not listen on port ${port}: ${(error as Error).message}`)
  process.exit(1)
}
