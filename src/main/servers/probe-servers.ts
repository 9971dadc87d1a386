// Every server's race at once, reported as one list ordered best first, so that a listing (or
// the window) can redraw as probes answer instead of waiting for the slowest address.

import {
  chooseConnection,
  type ChooseOptions,
  type ConnectionChoice,
  type ConnectionTest
} from './choose-connection'
import { connectionCandidates } from './connection-candidates'
import type { ServerResource } from './plex-resources'

export interface ProbedServer {
  resource: ServerResource
  choice: ConnectionChoice
}

export interface ProbeServersOptions extends Omit<ChooseOptions, 'onProgress'> {
  onProgress?: (servers: ProbedServer[]) => void // best first, after every answer
}

export async function probeServers(
  resources: ServerResource[],
  options: ProbeServersOptions
): Promise<ProbedServer[]> {
  const { onProgress, ...choose } = options
  // Every address is out from the start: a race that has not reported yet still shows (and
  // counts, for `auto`) what it is testing.
  const probed: ProbedServer[] = resources.map((resource) => {
    const tests = connectionCandidates(resource).map((candidate): ConnectionTest => ({
      ...candidate,
      state: 'probing',
      latencyMs: null
    }))
    return { resource, choice: { chosen: null, tests, searching: tests.length > 0 } }
  })
  await Promise.all(
    probed.map(async (entry) => {
      entry.choice = await chooseConnection(entry.resource, {
        ...choose,
        onProgress: (choice) => {
          entry.choice = choice
          onProgress?.(orderServers(probed))
        }
      })
    })
  )
  return orderServers(probed)
}

/** Best first: reachable, then the account's own, then the chosen connection's rank and latency. */
export function orderServers(servers: ProbedServer[]): ProbedServer[] {
  return servers.toSorted((a, b) => {
    const x = a.choice.chosen
    const y = b.choice.chosen
    if (!x || !y)
      return (x ? 0 : 1) - (y ? 0 : 1) || Number(b.resource.owned) - Number(a.resource.owned)
    return (
      Number(b.resource.owned) - Number(a.resource.owned) ||
      x.rank - y.rank ||
      (x.latencyMs ?? 0) - (y.latencyMs ?? 0)
    )
  })
}
