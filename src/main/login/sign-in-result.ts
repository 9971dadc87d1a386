// How a sign-in ends, for programs: exit codes and the JSON answer. The command and the
// desktop app (--json / --output) give the same answers, so an installer can use either.

import type { PlexAccount } from '../plex/plex-client'

export const EXIT = {
  ok: 0,
  failure: 1,
  usage: 2,
  expired: 3,
  notSignedIn: 4,
  interrupted: 130
} as const

export type ErrorCode =
  | 'expired'
  | 'timeout'
  | 'rejected'
  | 'unavailable'
  | 'rate-limited'
  | 'usage'
  | 'store'
  | 'interrupted'

export const EXIT_FOR_ERROR: Record<ErrorCode, number> = {
  expired: EXIT.expired,
  timeout: EXIT.expired,
  rejected: EXIT.failure,
  unavailable: EXIT.failure,
  'rate-limited': EXIT.failure,
  usage: EXIT.usage,
  store: EXIT.failure,
  interrupted: EXIT.interrupted
}

export function userJson(account: PlexAccount): PlexAccount {
  const { id, uuid, username, title, email, thumb } = account
  return { id, uuid, username, title, email, thumb }
}

export function signedInAnswer(token: string, clientIdentifier: string, account: PlexAccount) {
  return { ok: true, authToken: token, clientIdentifier, user: userJson(account) } as const
}

export function errorAnswer(code: ErrorCode, message: string) {
  return { ok: false, error: { code, message } } as const
}
