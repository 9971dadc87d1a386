// One probe: does the server we mean answer at this address? `GET /identity` needs no token, so
// none is sent: an address proves it is the server (machineIdentifier) before it may ever see
// the server's token. The client id and product ride along so that Plex Media Server does not
// register every probe as a new anonymous device (and mail its owner about it).

import { isHeaderToken } from '../plex/header-value'
import type { GetJson } from './get-json'

export const IDENTITY_MAX_BYTES = 64 * 1024
export const PROBE_TIMEOUT_MS = 3000

export interface ProbeOptions {
  getJson: GetJson
  clientIdentifier: string
  product: string
  now: () => number // monotonic ms
  timeoutMs?: number
  signal?: AbortSignal
}

// Why an address did not prove to be the server: a code, worded by whoever shows it (the
// catalogs' cli.server.failed.*), so no English sentence leaves the engine.
export type ProbeFailure =
  | {
      code:
        | 'unsendable-client-id'
        | 'stopped'
        | 'redirect'
        | 'too-large'
        | 'timeout'
        | 'no-connection'
        | 'not-plex'
        | 'other-server'
    }
  | { code: 'http'; status: number }

export type ProbeResult =
  { reachable: true; latencyMs: number } | { reachable: false; failure: ProbeFailure }

export async function probeIdentity(
  uri: string,
  machineIdentifier: string,
  options: ProbeOptions
): Promise<ProbeResult> {
  // fetch would only say "network error" about a value no header can carry.
  if (!isHeaderToken(options.clientIdentifier) || !/^[\x20-\x7e]{1,200}$/.test(options.product)) {
    return { reachable: false, failure: { code: 'unsendable-client-id' } }
  }
  const started = options.now()
  const answer = await options.getJson({
    url: `${uri}/identity`,
    headers: {
      Accept: 'application/json',
      'X-Plex-Client-Identifier': options.clientIdentifier,
      'X-Plex-Product': options.product
    },
    maxBytes: IDENTITY_MAX_BYTES,
    timeoutMs: options.timeoutMs ?? PROBE_TIMEOUT_MS,
    ...(options.signal ? { signal: options.signal } : {})
  })
  const latencyMs = Math.max(0, options.now() - started)
  if (!answer.ok) {
    switch (answer.kind) {
      case 'aborted':
        return { reachable: false, failure: { code: 'stopped' } }
      case 'redirect':
        return { reachable: false, failure: { code: 'redirect' } }
      case 'too-large':
        return { reachable: false, failure: { code: 'too-large' } }
      case 'timeout':
        return { reachable: false, failure: { code: 'timeout' } }
      default:
        return { reachable: false, failure: { code: 'no-connection' } }
    }
  }
  if (answer.status !== 200)
    return { reachable: false, failure: { code: 'http', status: answer.status } }
  const container = isRecord(answer.body) ? answer.body.MediaContainer : undefined
  const id = isRecord(container) ? container.machineIdentifier : undefined
  if (typeof id !== 'string') return { reachable: false, failure: { code: 'not-plex' } }
  if (id !== machineIdentifier) return { reachable: false, failure: { code: 'other-server' } }
  return { reachable: true, latencyMs }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}
