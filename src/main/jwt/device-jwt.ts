// The JWTs this device signs for plex.tv: one per PIN poll (proving the PIN's key is ours) and
// one per refresh (with plex.tv's single-use nonce). `iss` must be the device's own client
// identifier: plex.tv refuses any other with error 1097.

import { signJws } from './compact-jws'
import type { DeviceKey } from './device-key'

export const PLEX_AUDIENCE = 'plex.tv'
// Short-lived on purpose (as python-plexapi and the reference clients): a device JWT that leaks
// through a proxy log is worthless minutes later.
export const DEVICE_JWT_LIFETIME_S = 5 * 60
// Which account details plex.tv puts into the Plex JWT; none of them grants any right.
export const JWT_SCOPE = 'username,email,friendly_name'

export interface DeviceJwtOptions {
  key: DeviceKey
  clientIdentifier: string
  nowMs: number
  nonce?: string // refresh only: from GET /api/v2/auth/nonce
}

export function deviceJwt({ key, clientIdentifier, nowMs, nonce }: DeviceJwtOptions): string {
  const iat = Math.floor(nowMs / 1000)
  return signJws(
    { kid: key.kid, typ: 'JWT' },
    {
      ...(nonce === undefined ? {} : { nonce, scope: JWT_SCOPE }),
      aud: PLEX_AUDIENCE,
      iss: clientIdentifier,
      iat,
      exp: iat + DEVICE_JWT_LIFETIME_S
    },
    key.privateKey
  )
}
