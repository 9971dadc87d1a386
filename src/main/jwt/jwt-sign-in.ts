// What a JWT sign-in needs, for the command and the app alike: the PIN flow's plex.tv client on
// clients.plex.tv with the JWT device's own client identifier and key, the check of the Plex JWT
// it ends with, and where it is kept. LoginFlow runs unchanged with these.

import { clientsUrlFor } from '../login/after-sign-in'
import { systemClock, type Clock, type TokenCheck } from '../login/login-flow'
import { createPlexClient, type DeviceInfo, type PlexAccount } from '../plex/plex-client'
import type { JwtDevice, JwtStore } from '../store/jwt-store'
import { registeredJwk, type DeviceKey } from './device-key'
import { deviceJwt } from './device-jwt'
import { JwtAuth, type JwtClient } from './jwt-auth'

export interface JwtClientOptions {
  plexUrl: string // --plex-url: its clients origin is used
  device: DeviceInfo
  fetch?: typeof fetch
  clock?: Clock
  signal?: AbortSignal
}

export interface JwtSignIn {
  device: JwtDevice
  client: JwtClient
  auth: JwtAuth
  /** For LoginFlow: the Plex JWT checked before the account is read or anything stored. */
  verifyToken(token: string): Promise<TokenCheck>
  /** For LoginFlow: keeps a verified JWT with its account. */
  saveCredentials(token: string, account: PlexAccount): Promise<void>
  /** When a JWT this sign-in verified expires (epoch ms). */
  expiresAt(token: string): number | undefined
}

/**
 * A plex.tv client for the JWT device `clientIdentifier`; with `pinKey`, its PINs carry that key
 * and its polls a JWT signed with it.
 */
export function jwtClient(
  options: JwtClientOptions,
  clientIdentifier: string,
  pinKey?: DeviceKey
): JwtClient {
  const clock = options.clock ?? systemClock
  return createPlexClient({
    baseUrl: clientsUrlFor(options.plexUrl),
    clientIdentifier,
    device: options.device,
    now: () => clock.now(),
    ...(options.fetch ? { fetch: options.fetch } : {}),
    ...(pinKey
      ? {
          pinKey: {
            jwk: registeredJwk(pinKey),
            deviceJwt: () => deviceJwt({ key: pinKey, clientIdentifier, nowMs: clock.now() })
          }
        }
      : {})
  })
}

/** The device (made on first use) and everything LoginFlow needs to sign it in. */
export async function prepareJwtSignIn(
  options: JwtClientOptions & { store: JwtStore }
): Promise<JwtSignIn> {
  const { store } = options
  const device = await store.device()
  const client = jwtClient(options, device.clientIdentifier, device.key)
  const auth = new JwtAuth({
    client,
    store,
    clock: options.clock ?? systemClock,
    ...(options.signal ? { signal: options.signal } : {})
  })
  const verified = new Map<string, number>()
  return {
    device,
    client,
    auth,
    async verifyToken(token) {
      const result = await auth.verify(token, device.clientIdentifier, device.key.kid)
      if (result.ok) {
        verified.set(token, result.expiresAt)
        return { ok: true }
      }
      return { ok: false, code: result.kind, message: result.message }
    },
    async saveCredentials(token, account) {
      const expiresAt = verified.get(token)
      // Never reached by LoginFlow, which verifies first: a guard for other callers.
      if (expiresAt === undefined) throw new Error('The JWT was not verified')
      await store.save(device, token, expiresAt, account)
    },
    expiresAt: (token) => verified.get(token)
  }
}
