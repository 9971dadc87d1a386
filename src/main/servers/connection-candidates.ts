// The addresses worth probing for one server, best-ranked first: local > remote > relay, and
// https before http within each. Rank is what the race compares; latency only breaks ties.

import type { ResourceConnection, ServerResource } from './plex-resources'

export interface Candidate {
  uri: string
  local: boolean
  relay: boolean
  https: boolean
  rank: number // 0 best: location (local, remote, relay) major, then https before http
}

export function connectionCandidates(server: ServerResource): Candidate[] {
  const candidates: Candidate[] = []
  for (const connection of server.connections) {
    // A shared server's local addresses are on its owner's LAN, which is only ours too when
    // plex.tv saw both behind the same public address.
    if (!server.owned && connection.local && !connection.relay && !server.publicAddressMatches)
      continue
    if (connection.protocol === 'https' || !server.httpsRequired) {
      candidates.push(candidate(connection.uri, connection))
    }
    // Routers with DNS-rebinding protection refuse to resolve *.plex.direct to a private
    // address: the same server over plain http on its raw address is the way around it.
    const fallback = plainHttpUri(connection)
    if (fallback && !server.httpsRequired) candidates.push(candidate(fallback, connection))
  }
  const seen = new Set<string>()
  return candidates
    .sort((a, b) => a.rank - b.rank)
    .filter((c) => !seen.has(c.uri) && seen.add(c.uri))
}

function candidate(uri: string, connection: ResourceConnection): Candidate {
  const https = uri.startsWith('https:')
  const location = connection.relay ? 2 : connection.local ? 0 : 1
  return {
    uri,
    local: connection.local,
    relay: connection.relay,
    https,
    rank: location * 2 + (https ? 0 : 1)
  }
}

function plainHttpUri(connection: ResourceConnection): string | undefined {
  if (connection.protocol !== 'https' || connection.address === null) return undefined
  if (!new URL(connection.uri).hostname.endsWith('.plex.direct')) return undefined
  const host = connection.address.includes(':') ? `[${connection.address}]` : connection.address
  return new URL(`http://${host}:${connection.port}`).origin
}
