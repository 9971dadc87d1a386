// `plex-login servers [--json]`: every media server of the stored sign-in, every address of each
// tested, best first; a readable list on stderr and `{"ok":true,"servers":[…]}` on stdout.

import { listServers } from '../servers/plex-resources'
import { probeServers, type ProbedServer } from '../servers/probe-servers'
import { serverJson } from '../servers/server-json'
import type { Translator } from '../../shared/i18n/translator'
import { serverLine, whereWords } from './login-steps'
import type { ListingOptions } from './profiles-command'
import { isStoredSignIn, storedSignIn, type CommandOutcome } from './stored-sign-in'

export async function serversCommand(options: ListingOptions): Promise<CommandOutcome> {
  const { say, t } = options
  const signedIn = await storedSignIn(options.client, options.store, say, t)
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
    const text = t('cli.servers.readFailed', { reason: listed.message })
    return { ok: false, code: listed.kind, message, text }
  }
  const count = listed.servers.length
  say(count === 0 ? t('cli.servers.none') : t('cli.steps.testing', { count }))
  // Every address gets a result, not just the winner: the listing shows each one's reachability.
  const probed = await probeServers(listed.servers, {
    fetch: options.fetch,
    clientIdentifier: signedIn.clientIdentifier,
    product: options.device.product,
    probeAll: true,
    signal: options.signal
  })
  for (const server of probed) say(describe(server, t))
  return { ok: true, body: { servers: probed.map(serverJson) } }
}

// An address that failed says why in the engine's words (English), as the JSON answer does.
function describe(server: ProbedServer, t: Translator['t']): string {
  const lines = [serverLine(server, t)]
  if (server.resource.accessToken === null) lines.push(`  ${t('cli.server.noTokenForIt')}`)
  for (const test of server.choice.tests) {
    const where = whereWords(test, t)
    const result =
      test.state === 'reachable'
        ? t('cli.server.latency', { ms: test.latencyMs ?? 0 })
        : (test.reason ?? test.state)
    lines.push(`  ${test.state === 'reachable' ? '+' : '-'} ${test.uri}  ${where}  ${result}`)
  }
  return lines.join('\n')
}
