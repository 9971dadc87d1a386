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

export type ProbeResult =
  { reachable: true; latencyMs: number } | { reachable: false; reason: string }

export async function probeIdentity(
  uri: string,
  machineIdentifier: string,
  options: ProbeOptions
): Promise<ProbeResult> {
  // fetch would only say "network error" about a value no header can carry.
  if (!isHeaderToken(options.clientIdentifier) || !/^[\x20-\x7e]{1,200}$/.test(options.product)) {
    return { reachable: false, reason: 'the client identifier cannot be sent' }
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
        return { reachable: false, reason: 'stopped' }
      case 'redirect':
        return { reachable: false, reason: 'answered with a redirect' }
      case 'too-large':
        return { reachable: false, reason: 'answered with something too large' }
      case 'timeout':
        return { reachable: false, reason: 'did not answer in time' }
      default:
        return { reachable: false, reason: 'could not connect' }
    }
  }
  if (answer.status !== 200) return { reachable: false, reason: `answered HTTP ${answer.status}` }
  const container = isRecord(answer.body) ? answer.body.MediaContainer : undefined
  const id = isRecord(container) ? container.machineIdentifier : undefined
  if (typeof id !== 'string') return { reachable: false, reason: 'is not a Plex Media Server' }
  if (id !== machineIdentifier) return { reachable: false, reason: 'is a different server' }
  return { reachable: true, latencyMs }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}
