// `npm run fake-plex`: the fake plex.tv as a standalone server for demos and manual runs, with
// a Plex Home (an admin, a managed profile, one with PIN 1234) and two media servers answering
// /identity on loopback, so that `login --profile ask --server ask` can be tried end to end.
import { parseArgs } from 'node:util'
import { FakeMediaServers } from '../fake-media-server/fake-media-server'
import { demoServers } from './demo-servers'
import { createFakeHome, DEMO_HOME_USERS } from './fake-plex-home'
import { fakePlexResources } from './fake-plex-resources'
import { startFakePlex } from './fake-plex-server'
import { createFakeJwt } from './fake-plex-jwt'

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
    routes: [home.handler, fakePlexResources(() => resources)],
    // `login --jwt` and `token` too; the owned server's device token for `--jwt --server`.
    jwt: createFakeJwt({
      devices: () =>
        resources
          .filter((resource) => resource.owned && resource.accessToken !== null)
          .map((resource) => ({
            clientIdentifier: resource.clientIdentifier,
            name: resource.name,
            token: resource.accessToken!
          }))
    })
  })
  const url = plex.url
  console.log(
    `Fake plex.tv on ${url} — open it to approve codes. Try: plex-login --plex-url ${url}\n` +
      `Profiles: ${DEMO_HOME_USERS.map((user) => user.title).join(', ')} (Alex's PIN is 1234); ` +
      `servers: ${resources.map((resource) => resource.name).join(', ')}. Try:\n` +
      `  plex-login login --plex-url ${url} --profile ask --server ask\n` +
      `  plex-login login --jwt --plex-url ${url}; plex-login token --plex-url ${url}`
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
