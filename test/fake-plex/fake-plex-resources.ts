// `GET /api/v2/resources` for the fake plex.tv: the account's devices as clients.plex.tv lists
// them (JSON, v2 field names), built from a list of fake servers. Pass it in `routes`.

import type { FakeRouteHandler } from './fake-routes'

export interface FakeConnection {
  protocol: 'http' | 'https'
  address: string
  port: number
  uri: string
  local: boolean
  relay: boolean
  IPv6?: boolean
}

export interface FakeResource {
  name: string
  clientIdentifier: string
  accessToken: string | null
  owned: boolean
  sourceTitle?: string | null // the owner's name, for shared servers
  provides?: string // default 'server'
  httpsRequired?: boolean
  publicAddressMatches?: boolean
  connections: FakeConnection[]
}

/** A plain-http connection to a loopback fake media server (its `url`). */
export function loopbackConnection(
  url: string,
  flags: { local?: boolean; relay?: boolean } = {}
): FakeConnection {
  const { hostname, port, protocol } = new URL(url)
  return {
    protocol: protocol === 'https:' ? 'https' : 'http',
    address: hostname,
    port: Number(port),
    uri: url,
    local: flags.local ?? true,
    relay: flags.relay ?? false,
    IPv6: false
  }
}

const UNAUTHORIZED = { errors: [{ code: 1001, message: 'User could not be authenticated' }] }

/** Answers for a token the fake plex.tv issued; `resources` is read at each request. */
export function fakePlexResources(resources: () => FakeResource[]): FakeRouteHandler {
  return (request) => {
    if (request.method !== 'GET' || request.url.pathname !== '/api/v2/resources') return undefined
    if (!request.token || !request.isValidToken(request.token)) {
      return { status: 401, body: UNAUTHORIZED }
    }
    return {
      status: 200,
      body: resources().map((resource) => ({
        name: resource.name,
        product: 'Plex Media Server',
        productVersion: '1.41.0.0000',
        platform: 'Linux',
        platformVersion: '6.1',
        device: 'PC',
        clientIdentifier: resource.clientIdentifier,
        createdAt: '2024-01-01T00:00:00Z',
        lastSeenAt: '2026-11-30T00:00:00Z',
        provides: resource.provides ?? 'server',
        ownerId: resource.owned ? null : 4242,
        sourceTitle: resource.owned ? null : (resource.sourceTitle ?? 'friend'),
        publicAddress: '203.0.113.7',
        accessToken: resource.accessToken,
        owned: resource.owned,
        home: false,
        synced: false,
        relay: true,
        presence: true,
        httpsRequired: resource.httpsRequired ?? false,
        publicAddressMatches: resource.publicAddressMatches ?? true,
        dnsRebindingProtection: false,
        natLoopbackSupported: false,
        connections: resource.connections
      }))
    }
  }
}
