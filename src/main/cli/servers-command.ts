// `plex-login servers [--json]`: every media server of the stored sign-in, every address of each
// tested, best first; a readable list on stderr and `{"ok":true,"servers":[…]}` on stdout.

import { listServers } from '../servers/plex-resources'
import { probeServers, type ProbedServer } from '../servers/probe-servers'
import { serverJson } from '../servers/server-json'
import { serverLine } from './login-steps'
import type { ListingOptions } from './profiles-command'
import { isStoredSignIn, storedSignIn, type CommandOutcome } from './stored-sign-in'

export async function serversCommand(options: ListingOptions): Promise<CommandOutcome> {
  const signedIn = await storedSignIn(options.client, options.store, options.say)
  if (!isStoredSignIn(signedIn)) return signedIn
  const listed = await listServers({
    fetch: options.fetch,
    clientsUrl: options.clientsUrl,
    token: signedIn.token,
    clientIdentifier: signedIn.clientIdentifier,
    device: options.device
  })
  if (!listed.ok) {
    const message = `Could not read this account's servers: ${listed.message}`
    return { ok: false, code: listed.kind, message }
  }
  const count = listed.servers.length
  if (count === 0) options.say('This Plex account has no media servers')
  else options.say(`Testing the addresses of ${count} ${count === 1 ? 'server' : 'servers'}`)
  // Every address gets a result, not just the winner: the listing shows each one's reachability.
  const probed = await probeServers(listed.servers, {
    fetch: options.fetch,
    clientIdentifier: signedIn.clientIdentifier,
    product: options.device.product,
    probeAll: true,
    signal: options.signal
  })
  for (const server of probed) options.say(describe(server))
  return { ok: true, body: { servers: probed.map(serverJson) } }
}

function describe(server: ProbedServer): string {
  const lines = [serverLine(server)]
  if (server.resource.accessToken === null) lines.push('  plex.tv gives no access token for it')
  for (const test of server.choice.tests) {
    const where = test.relay ? 'relay' : test.local ? 'local' : 'remote'
    const result =
      test.state === 'reachable' ? `${test.latencyMs ?? 0} ms` : (test.reason ?? test.state)
    lines.push(`  ${test.state === 'reachable' ? '+' : '-'} ${test.uri}  ${where}  ${result}`)
  }
  return lines.join('\n')
}
