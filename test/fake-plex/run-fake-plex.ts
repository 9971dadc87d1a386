// `npm run fake-plex`: the fake plex.tv as a standalone server for demos and manual runs.
import { parseArgs } from 'node:util'
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

try {
  const plex = await startFakePlex({
    port,
    delayMs: numberOption('delay', values.delay),
    // one lifetime for both kinds, so a demo can watch either expire
    pinLifetimeSeconds: lifetime,
    strongPinLifetimeSeconds: lifetime
  })
  console.log(
    `Fake plex.tv on ${plex.url} — open it to approve codes. Try: plex-login --plex-url ${plex.url}`
  )
  const stop = (): void => {
    plex.close().then(
      () => process.exit(0),
      () => process.exit(1)
    )
  }
  process.once('SIGINT', stop)
  process.once('SIGTERM', stop)
} catch (error) {
  console.error(`Fake plex.tv could not listen on port ${port}: ${(error as Error).message}`)
  process.exit(1)
}
