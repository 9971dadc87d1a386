// Section 6, sign-in → server chosen: from holding the account token to having the server to hand
// over, ours beside waiting for every probe to finish before choosing (python-plexapi's default).
// Both run the same engine on the same fakes; only the waiting policy differs:
//   ours     = chooseServer(token, 'auto', …) resolves (reads the resources list from the fake
//              plex.tv, then probes and chooses by the race rules of choose-connection.ts);
//   wait all = the same listServers read, probeServers(…, { probeAll: true }) resolving once every
//              probe has an answer or timed out, then pickServer(probed, 'auto').
// Every measurement gets fresh fakes (new ports, so no connection is kept alive from the last
// one); all delays are on the fake side (plex.tv's injected delay, each /identity's own delay).

import { performance } from 'node:perf_hooks'
import { chooseServer, type StepsOptions } from '../src/main/login/after-sign-in'
import { createPlexClient } from '../src/main/plex/plex-client'
import { deviceInfo } from '../src/main/plex/device-info'
import { pickServer } from '../src/main/servers/pick-server'
import { listServers } from '../src/main/servers/plex-resources'
import { probeServers, type ProbedServer } from '../src/main/servers/probe-servers'
import { FakeMediaServers, refusedPort } from '../test/fake-media-server/fake-media-server'
import { demoServers } from '../test/fake-plex/demo-servers'
import {
  fakePlexResources,
  loopbackConnection,
  type FakeResource
} from '../test/fake-plex/fake-plex-resources'
import { startFakePlex } from '../test/fake-plex/fake-plex-server'

export interface ServerChoiceRow {
  scenario: string
  delayMs: number // the fake plex.tv's injected delay
  ours: number[] // ms, token → server chosen
  waitAll: number[]
  oursChosen: string[] // per run: "server name: local|remote|relay", or "none"
  // Ours, per run: token → the moment the server it handed over had its connection chosen. The
  // rest of `ours` is spent waiting for the other servers' races to settle.
  oursDecided: number[]
  waitAllChosen: string[]
  disagreements: number // runs where the two handed over different servers
}

const CLIENT_ID = 'bench-server-choice'
const ACCOUNT_TOKEN = 'bench-server-choice-account-token'
const DEVICE = deviceInfo('Plex Login Helper', 'bench')
const HOME_ID = 'be0c0000bench00000home000server0000000001'
const DEAD_ID = 'be0c0000bench00000dead000server0000000002'

interface Scenario {
  name: string
  servers(media: FakeMediaServers): Promise<FakeResource[]>
}

const identity = (delayMs: number) =>
  ({ kind: 'identity', machineIdentifier: HOME_ID, delayMs }) as const

function ownServer(connections: FakeResource['connections']): FakeResource {
  return {
    name: 'Home',
    clientIdentifier: HOME_ID,
    accessToken: 'home-token',
    owned: true,
    connections
  }
}

/** Home answering on its LAN in 10 ms, beside a friend's server whose every address is dead. */
async function withDeadFriend(
  media: FakeMediaServers,
  dead: (host: string) => Promise<string>
): Promise<FakeResource[]> {
  const local = await media.start({ host: '127.0.0.2', behaviour: identity(10) })
  return [
    ownServer([loopbackConnection(local.url)]),
    {
      name: 'Dead friend',
      clientIdentifier: DEAD_ID,
      accessToken: 'dead-token',
      owned: false,
      connections: [
        loopbackConnection(await dead('127.0.0.5'), { local: false }),
        loopbackConnection(await dead('127.0.0.6'), { local: false, relay: true })
      ]
    }
  ]
}

const refusedUrl = async (host: string): Promise<string> =>
  `http://${host}:${await refusedPort(host)}`

export const SCENARIOS: Scenario[] = [
  { name: 'demo servers (`npm run fake-plex`)', servers: demoServers },
  {
    name: 'local silent, remote answers in 20 ms',
    servers: async (media) => {
      const local = await media.start({ host: '127.0.0.2', behaviour: { kind: 'silent' } })
      const remote = await media.start({ host: '127.0.0.3', behaviour: identity(20) })
      return [
        ownServer([loopbackConnection(local.url), loopbackConnection(remote.url, { local: false })])
      ]
    }
  },
  {
    name: 'local answers in 30 ms, relay in 5 ms',
    servers: async (media) => {
      const local = await media.start({ host: '127.0.0.2', behaviour: identity(30) })
      const relay = await media.start({ host: '127.0.0.4', behaviour: identity(5) })
      return [
        ownServer([
          loopbackConnection(local.url),
          loopbackConnection(relay.url, { local: false, relay: true })
        ])
      ]
    }
  },
  {
    name: 'two servers, the second refuses on every address',
    servers: (media) => withDeadFriend(media, refusedUrl)
  },
  {
    name: 'two servers, the second silent on every address',
    servers: (media) =>
      withDeadFriend(media, async (host) => {
        const silent = await media.start({ host, behaviour: { kind: 'silent' } })
        return silent.url
      })
  }
]

type Side = 'ours' | 'waitAll'

interface Outcome {
  ms: number
  chosen: string
  server?: string // machineIdentifier
  decidedMs?: number // ours only: see ServerChoiceRow.oursDecided
}

function chosenOf(server: ProbedServer | undefined): Pick<Outcome, 'chosen' | 'server'> {
  const chosen = server?.choice.chosen
  if (!server || !chosen) return { chosen: 'none' }
  const kind = chosen.relay ? 'relay' : chosen.local ? 'local' : 'remote'
  return { chosen: `${server.resource.name}: ${kind}`, server: server.resource.machineIdentifier }
}

const unasked = async (): Promise<{ ok: false; code: 'server'; message: string }> => ({
  ok: false,
  code: 'server',
  message: '`auto` asks nothing'
})

async function oursOnce(plexUrl: string): Promise<Outcome> {
  const decided = new Map<string, number>() // machineIdentifier → ms to its connection chosen
  const options: StepsOptions = {
    fetch,
    clientsUrl: plexUrl,
    clientIdentifier: CLIENT_ID,
    device: DEVICE,
    getAccount: createPlexClient({ baseUrl: plexUrl, clientIdentifier: CLIENT_ID, device: DEVICE })
      .getAccount,
    questions: { chooseProfile: unasked, profilePin: unasked, chooseServer: unasked },
    onServers: (servers) => {
      const now = performance.now()
      for (const { resource, choice } of servers)
        if (choice.chosen && !decided.has(resource.machineIdentifier))
          decided.set(resource.machineIdentifier, now - started)
    }
  }
  const started = performance.now()
  const result = await chooseServer(ACCOUNT_TOKEN, 'auto', options)
  const ms = performance.now() - started
  const outcome = chosenOf(result.ok ? result.server : undefined)
  const decidedMs = outcome.server === undefined ? undefined : decided.get(outcome.server)
  return { ms, ...outcome, ...(decidedMs === undefined ? {} : { decidedMs }) }
}

async function waitAllOnce(plexUrl: string): Promise<Outcome> {
  const started = performance.now()
  const listed = await listServers({
    fetch,
    clientsUrl: plexUrl,
    token: ACCOUNT_TOKEN,
    clientIdentifier: CLIENT_ID,
    device: DEVICE
  })
  if (!listed.ok) throw new Error(`wait all: could not list the servers: ${listed.message}`)
  const probed = await probeServers(listed.servers, {
    fetch,
    clientIdentifier: CLIENT_ID,
    product: DEVICE.product,
    probeAll: true
  })
  const picked = pickServer(probed, 'auto')
  const ms = performance.now() - started
  return { ms, ...chosenOf(picked.ok ? picked.server : undefined) }
}

/** One measurement on its own fakes, closed before the next. */
async function once(scenario: Scenario, side: Side, delayMs: number): Promise<Outcome> {
  const media = new FakeMediaServers()
  try {
    const resources = await scenario.servers(media)
    const plex = await startFakePlex({ delayMs, routes: [fakePlexResources(() => resources)] })
    try {
      plex.addToken(ACCOUNT_TOKEN)
      return await (side === 'ours' ? oursOnce(plex.url) : waitAllOnce(plex.url))
    } finally {
      await plex.close()
    }
  } finally {
    await media.closeAll()
  }
}

export async function measureServerChoice(
  delays: number[],
  runs: number,
  progress: (text: string) => void
): Promise<ServerChoiceRow[]> {
  // Untimed warm-up of both code paths, so the first timed run does not pay for compiling them.
  await once(SCENARIOS[0]!, 'ours', 0)
  await once(SCENARIOS[0]!, 'waitAll', 0)
  const rows: ServerChoiceRow[] = []
  for (const delayMs of delays) {
    for (const scenario of SCENARIOS) {
      const row: ServerChoiceRow = {
        scenario: scenario.name,
        delayMs,
        ours: [],
        waitAll: [],
        oursChosen: [],
        oursDecided: [],
        waitAllChosen: [],
        disagreements: 0
      }
      for (let i = 0; i < runs; i++) {
        // Alternate which side goes first, so neither always runs on a freshly idle machine.
        const sides: Side[] = i % 2 === 0 ? ['ours', 'waitAll'] : ['waitAll', 'ours']
        const outcomes: Partial<Record<Side, Outcome>> = {}
        for (const side of sides) outcomes[side] = await once(scenario, side, delayMs)
        const { ours, waitAll } = outcomes as Record<Side, Outcome>
        row.ours.push(ours.ms)
        row.waitAll.push(waitAll.ms)
        row.oursChosen.push(ours.chosen)
        if (ours.decidedMs !== undefined) row.oursDecided.push(ours.decidedMs)
        row.waitAllChosen.push(waitAll.chosen)
        if (ours.server !== waitAll.server) row.disagreements += 1
      }
      rows.push(row)
      progress(`server choice, ${delayMs} ms: ${scenario.name} (${runs} runs)`)
    }
  }
  return rows
}
