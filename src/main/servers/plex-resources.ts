// The account's media servers, from clients.plex.tv's resources list. Read leniently: plex.tv
// leaves fields out or null (accessToken above all), and one odd entry must not hide the rest.
// Everything that may later reach a terminal or the window is cleaned here, once.

import { isIP } from 'node:net'
import { cleanText } from '../../shared/sanitize-text'
import { isHeaderToken } from '../plex/header-value'
import { hostOf, isRecord, plexErrorMessage } from '../plex/plex-answer'
import { parseRetryAfter, type DeviceInfo, type PlexResult } from '../plex/plex-client'
import { redirectMessage } from '../plex/redirect'
import { plexHeaders } from '../plex/device-info'
import { createGetJson, systemTimers, type GetJsonAnswer, type Timers } from './get-json'

export const DEFAULT_CLIENTS_URL = 'https://clients.plex.tv'
export const RESOURCES_MAX_BYTES = 1 << 20
const DEFAULT_TIMEOUT_MS = 10_000

export interface ResourceConnection {
  uri: string // origin (and path, if any) of the connection, normalised, no trailing slash
  protocol: 'http' | 'https'
  address: string | null // the raw IP address, when plex.tv gave a valid one
  port: number
  local: boolean
  relay: boolean
}

export interface ServerResource {
  name: string
  machineIdentifier: string // the resource's clientIdentifier
  owned: boolean
  owner: string | null // who shares it; null for the account's own servers
  accessToken: string | null // null: listed, never selectable
  httpsRequired: boolean
  publicAddressMatches: boolean // this machine is on the server's network
  connections: ResourceConnection[]
}

export interface ListServersOptions {
  fetch: typeof fetch
  clientsUrl?: string // default https://clients.plex.tv; tests give the fake plex.tv
  token: string // the account's (or the switched profile's) plex.tv token
  clientIdentifier: string
  device: DeviceInfo
  timeoutMs?: number
  timers?: Timers
  now?: () => number // wall clock, for a Retry-After date
}

export async function listServers(
  options: ListServersOptions
): Promise<PlexResult<{ servers: ServerResource[] }>> {
  const { token, clientIdentifier, device } = options
  const clientsUrl = (options.clientsUrl ?? DEFAULT_CLIENTS_URL).replace(/\/+$/, '')
  const host = hostOf(clientsUrl)
  if (!isHeaderToken(token) || !isHeaderToken(clientIdentifier)) {
    return {
      ok: false,
      kind: 'rejected',
      status: 0,
      message: 'The stored sign-in has characters a header cannot carry'
    }
  }
  const getJson = createGetJson(options.fetch, options.timers ?? systemTimers)
  const url = `${clientsUrl}/api/v2/resources?includeHttps=1&includeRelay=1&includeIPv6=1`
  const answer = await getJson({
    url,
    headers: plexHeaders(device, clientIdentifier, token),
    maxBytes: RESOURCES_MAX_BYTES,
    timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS
  })
  if (!answer.ok) {
    return { ok: false, kind: 'unavailable', message: transportMessage(answer, host, url) }
  }
  if (answer.status < 200 || answer.status >= 300) {
    return statusFailure(answer, host, (options.now ?? Date.now)())
  }
  if (!Array.isArray(answer.body)) {
    return {
      ok: false,
      kind: 'unavailable',
      message: `${host} sent an answer not understood`
    }
  }
  return { ok: true, servers: answer.body.flatMap((entry) => toServer(entry) ?? []) }
}

function transportMessage(
  answer: GetJsonAnswer & { ok: false },
  host: string,
  url: string
): string {
  switch (answer.kind) {
    case 'redirect':
      return redirectMessage(answer.location, url)
    case 'too-large':
      return `${host} sent an answer that is too large`
    case 'timeout':
      return `${host} did not answer in time`
    default:
      return `Could not reach ${host}`
  }
}

function statusFailure(
  answer: GetJsonAnswer & { ok: true },
  host: string,
  now: number
): PlexResult<never> {
  const { status } = answer
  const message = plexErrorMessage(answer.body)
  if (status === 429) {
    const retryAfterMs = parseRetryAfter(answer.headers.get('retry-after'), now)
    return {
      ok: false,
      kind: 'rate-limited',
      message: message ?? `${host} is limiting requests`,
      ...(retryAfterMs === undefined ? {} : { retryAfterMs })
    }
  }
  if (status >= 400 && status < 500) {
    return {
      ok: false,
      kind: 'rejected',
      status,
      message: message ?? `${host} refused the request (HTTP ${status})`
    }
  }
  return {
    ok: false,
    kind: 'unavailable',
    message: `${host} is not answering properly (HTTP ${status})`
  }
}

function toServer(entry: unknown): ServerResource | undefined {
  if (!isRecord(entry) || !providesServer(entry.provides)) return undefined
  const id = entry.clientIdentifier
  // Without a machine identifier nothing could prove an address is this server: not listed.
  if (typeof id !== 'string' || !isHeaderToken(id, 200)) return undefined
  const owned = flag(entry.owned)
  const name = typeof entry.name === 'string' ? cleanText(entry.name) : ''
  const owner = typeof entry.sourceTitle === 'string' ? cleanText(entry.sourceTitle) : ''
  const token = entry.accessToken
  return {
    name: name || id,
    machineIdentifier: id,
    owned,
    owner: owned ? null : owner || null,
    accessToken: typeof token === 'string' && isHeaderToken(token) ? token : null,
    httpsRequired: flag(entry.httpsRequired),
    publicAddressMatches: flag(entry.publicAddressMatches),
    connections: Array.isArray(entry.connections)
      ? entry.connections.flatMap((connection) => toConnection(connection) ?? [])
      : []
  }
}

function providesServer(provides: unknown): boolean {
  const list = Array.isArray(provides)
    ? provides
    : typeof provides === 'string'
      ? provides.split(',')
      : []
  return list.some((item) => typeof item === 'string' && item.trim() === 'server')
}

function toConnection(entry: unknown): ResourceConnection | undefined {
  if (!isRecord(entry) || typeof entry.uri !== 'string') return undefined
  let url: URL
  try {
    url = new URL(entry.uri)
  } catch {
    return undefined
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined
  if (url.username || url.password) return undefined
  const port = url.port ? Number(url.port) : url.protocol === 'https:' ? 443 : 80
  const givenPort = typeof entry.port === 'number' ? entry.port : port
  return {
    uri: `${url.origin}${url.pathname.replace(/\/+$/, '')}`,
    protocol: url.protocol === 'https:' ? 'https' : 'http',
    address: typeof entry.address === 'string' && isIP(entry.address) ? entry.address : null,
    port: Number.isInteger(givenPort) && givenPort > 0 && givenPort < 65536 ? givenPort : port,
    local: flag(entry.local),
    relay: flag(entry.relay)
  }
}

// v2 JSON sends booleans; older shapes 1/"1".
function flag(value: unknown): boolean {
  return value === true || value === 1 || value === '1' || value === 'true'
}
