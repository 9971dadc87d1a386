// `--server <machineIdentifier|name|auto>`: which server the sign-in hands over. A server is
// only handed over when it can be used: an address proved it is that server, and plex.tv gave
// this account a token for it.

import type { ServerResource } from './plex-resources'
import { orderServers, type ProbedServer } from './probe-servers'

export type FindResult<T> = { ok: true; server: T } | { ok: false; message: string }

/** By machineIdentifier, else by name (exact, then ignoring case); a name two servers share is refused. */
export function findServer<T extends { resource: ServerResource } | ServerResource>(
  servers: T[],
  ref: string
): FindResult<T> {
  const of = (server: T): ServerResource => ('resource' in server ? server.resource : server)
  const byId = servers.find((server) => of(server).machineIdentifier === ref)
  if (byId) return { ok: true, server: byId }
  const exact = servers.filter((server) => of(server).name === ref)
  const named =
    exact.length > 0 ? exact : servers.filter((server) => sameName(of(server).name, ref))
  if (named.length === 1) return { ok: true, server: named[0]! }
  if (named.length > 1) {
    return {
      ok: false,
      message: `Several servers are called "${of(named[0]!).name}": give its machineIdentifier`
    }
  }
  return { ok: false, message: 'No server of this account has that name or machineIdentifier' }
}

/** `auto` or a reference, among servers already probed and ordered best first. */
export function pickServer(servers: ProbedServer[], selector: string): FindResult<ProbedServer> {
  if (selector === 'auto') {
    const usable = servers.find((server) => usability(server) === undefined)
    if (usable) return { ok: true, server: usable }
    if (servers.length === 0) return { ok: false, message: 'This account has no media server' }
    return {
      ok: false,
      message: servers.some((server) => server.choice.chosen)
        ? 'No reachable server gives this account an access token'
        : 'No server answered from this computer'
    }
  }
  const found = findServer(servers, selector)
  if (!found.ok) return found
  const problem = usability(found.server)
  return problem === undefined ? found : { ok: false, message: problem }
}

/**
 * Whether `auto`'s pick is settled while other servers are still being tested: the best usable
 * server so far could only lose to one still testing an address that outranks it (an own server
 * over a shared one, or a better-ranked address). A later answer of the same rank is slower, so
 * it cannot win; and a server without a token cannot be picked at all.
 */
export function autoPickSettled(servers: readonly ProbedServer[]): boolean {
  const best = orderServers([...servers]).find((server) => usability(server) === undefined)
  const chosen = best?.choice.chosen
  if (!best || !chosen) return false
  return servers.every(({ resource, choice }) => {
    if (!choice.searching || choice.chosen || resource.accessToken === null) return true
    if (resource.owned !== best.resource.owned) return best.resource.owned
    const pending = choice.tests.filter((test) => test.state === 'probing')
    return pending.every((test) => test.rank >= chosen.rank)
  })
}

function usability({ resource, choice }: ProbedServer): string | undefined {
  if (!choice.chosen) return `${resource.name} did not answer from this computer`
  if (resource.accessToken === null) return `plex.tv gives no access token for ${resource.name}`
  return undefined
}

function sameName(a: string, b: string): boolean {
  return a.localeCompare(b, undefined, { sensitivity: 'accent' }) === 0
}
