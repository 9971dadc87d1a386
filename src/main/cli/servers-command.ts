// `plex-login servers [--json]`: every media server of the stored sign-in, every address of each
// tested, best first; a readable list on stderr and `{"ok":true,"servers":[…]}` on stdout.

import type { ConnectionFailure, ConnectionTest } from '../servers/choose-connection'
import { listServers } from '../servers/plex-resources'
import { probeServers, type ProbedServer } from '../servers/probe-servers'
import { serverJson } from '../servers/server-json'
import type { MessageKey } from '../../shared/i18n/catalogs'
import type { Translator } from '../../shared/i18n/translator'
import { serverLine, whereWords } from './login-steps'
import type { ListingOptions } from './profiles-command'
import { isStoredSignIn, storedSignIn, type CommandOutcome } from './stored-sign-in'
import { reasonWords } from '../../shared/reason-words'

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
    const text = t('cli.servers.readFailed', { reason: reasonWords(listed.message, t) })
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
  for (const server of probed) say(serverListing(server, t))
  return { ok: true, body: { servers: probed.map(serverJson) } }
}

/** A server and each of its addresses, as `servers` lists them on stderr. */
export function serverListing(server: ProbedServer, t: Translator['t']): string {
  const lines = [serverLine(server, t)]
  if (server.resource.accessToken === null) lines.push(`  ${t('cli.server.noTokenForIt')}`)
  for (const test of server.choice.tests) {
    const where = whereWords(test, t)
    const result =
      test.state === 'reachable'
        ? t('cli.server.latency', { ms: test.latencyMs ?? 0 })
        : failureWords(test, t)
    lines.push(`  ${test.state === 'reachable' ? '+' : '-'} ${test.uri}  ${where}  ${result}`)
  }
  return lines.join('\n')
}

const FAILED: Record<ConnectionFailure['code'], MessageKey> = {
  'unsendable-client-id': 'cli.server.failed.unsendableClientId',
  stopped: 'cli.server.failed.stopped',
  redirect: 'cli.server.failed.redirect',
  'too-large': 'cli.server.failed.tooLarge',
  timeout: 'cli.server.failed.timeout',
  'no-connection': 'cli.server.failed.noConnection',
  http: 'cli.server.failed.http',
  'not-plex': 'cli.server.failed.notPlex',
  'other-server': 'cli.server.failed.otherServer',
  cancelled: 'cli.server.failed.cancelled',
  'not-needed': 'cli.server.failed.notNeeded'
}

// Why an address is not reachable, in the catalog's words: the engine only gives a code.
function failureWords({ failure }: ConnectionTest, t: Translator['t']): string {
  // Only a test still probing has none; the listing is printed once every race has ended.
  if (!failure) return t('cli.server.failed.unknown')
  // Plain text, as `{status}` in every catalog: a status is a code, never grouped like "1,234".
  return t(FAILED[failure.code], failure.code === 'http' ? { status: String(failure.status) } : {})
}
