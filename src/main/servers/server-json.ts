// The `Server` object of `plex-login servers --json` and of `login --server` (an exact contract,
// issue 10 §2), made in one place so that the command and the installer hand-off agree.

import type { ProbedServer } from './probe-servers'

export interface ServerJson {
  name: string
  machineIdentifier: string
  owned: boolean
  owner: string | null
  accessToken: string | null
  connection: { uri: string; local: boolean; relay: boolean; latencyMs: number } | null
  connections: {
    uri: string
    local: boolean
    relay: boolean
    reachable: boolean
    latencyMs: number | null
  }[]
}

export function serverJson({ resource, choice }: ProbedServer): ServerJson {
  const { chosen } = choice
  return {
    name: resource.name,
    machineIdentifier: resource.machineIdentifier,
    owned: resource.owned,
    owner: resource.owner,
    accessToken: resource.accessToken,
    connection:
      chosen && chosen.latencyMs !== null
        ? { uri: chosen.uri, local: chosen.local, relay: chosen.relay, latencyMs: chosen.latencyMs }
        : null,
    connections: choice.tests.map((test) => ({
      uri: test.uri,
      local: test.local,
      relay: test.relay,
      reachable: test.state === 'reachable',
      latencyMs: test.state === 'reachable' ? test.latencyMs : null
    }))
  }
}
