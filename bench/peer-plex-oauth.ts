// The peer, the `plex-oauth` npm package, pointed at the fake plex.tv without touching
// node_modules. plex-oauth hard-codes https://plex.tv/api/v2 and sends every request through
// axios's shared default instance (`require("axios")` in its RequestHelper). One request
// interceptor on that same instance (loaded through plex-oauth's own `require`, so it is the
// very module object plex-oauth uses, not the ESM copy) rewrites the origin. The rewrite is
// chosen by the request's X-Plex-Client-Identifier, so several peers in one process can each
// talk to their own fake.

import { createRequire } from 'node:module'
import type { AxiosStatic, InternalAxiosRequestConfig } from 'axios'
import type { PlexOauth as PlexOauthType, IPlexClientDetails } from 'plex-oauth'

const PLEX_ORIGIN = 'https://plex.tv'

const requireHere = createRequire(import.meta.url)
const plexOauthEntry = requireHere.resolve('plex-oauth')
const { PlexOauth } = requireHere('plex-oauth') as { PlexOauth: typeof PlexOauthType }
// The axios plex-oauth itself resolves (CommonJS build, shared default instance).
export const peerAxios = createRequire(plexOauthEntry)('axios') as AxiosStatic

const targets = new Map<string, string>() // client identifier → fake origin
let interceptorInstalled = false

function rewrite(config: InternalAxiosRequestConfig): InternalAxiosRequestConfig {
  const clientId = config.headers?.get('X-Plex-Client-Identifier')
  const target = typeof clientId === 'string' ? targets.get(clientId) : undefined
  if (target && config.url?.startsWith(PLEX_ORIGIN)) {
    config.url = target + config.url.slice(PLEX_ORIGIN.length)
  }
  return config
}

/** Routes the plex.tv requests of the peer using this client identifier to `origin`. */
export function routePeerTo(clientIdentifier: string, origin: string): void {
  if (!interceptorInstalled) {
    peerAxios.interceptors.request.use(rewrite)
    interceptorInstalled = true
  }
  targets.set(clientIdentifier, origin)
}

export function forgetPeerRoute(clientIdentifier: string): void {
  targets.delete(clientIdentifier)
}

export interface Peer {
  clientIdentifier: string
  /** POST /pins?strong=true; resolves with the hosted login URL and the pin id. */
  requestPin(): Promise<{ url: string; pinId: number }>
  /** Polls every `requestDelayMs` (plex-oauth's minimum is 1000) until the token arrives. */
  waitForToken(pinId: number, requestDelayMs?: number, maxRetries?: number): Promise<string | null>
}

export function createPeer(origin: string, clientIdentifier: string): Peer {
  routePeerTo(clientIdentifier, origin)
  const details: IPlexClientDetails = {
    clientIdentifier,
    product: 'plex-oauth bench',
    device: 'Linux',
    version: '2'
  }
  const oauth = new PlexOauth(details)
  return {
    clientIdentifier,
    async requestPin() {
      const [url, pinId] = await oauth.requestHostedLoginURL()
      return { url, pinId }
    },
    waitForToken: (pinId, requestDelayMs = 1000, maxRetries = 10_000) =>
      oauth.checkForAuthToken(pinId, requestDelayMs, maxRetries)
  }
}
