// How a sign-in ends, for programs: exit codes and the JSON answer. The command and the
// desktop app (--json / --output) give the same answers, so an installer can use either.

import type { PlexAccount } from '../plex/plex-client'
import type { chosenProfileJson } from '../profiles/profile-json'
import type { ServerJson } from '../servers/server-json'

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
  | 'profile' // login --profile: not found, wrong PIN five times, switch refused
  | 'server' // login --server: not found, none reachable, no access token

export const EXIT_FOR_ERROR: Record<ErrorCode, number> = {
  expired: EXIT.expired,
  timeout: EXIT.expired,
  rejected: EXIT.failure,
  unavailable: EXIT.failure,
  'rate-limited': EXIT.failure,
  usage: EXIT.usage,
  store: EXIT.failure,
  interrupted: EXIT.interrupted,
  profile: EXIT.failure,
  server: EXIT.failure
}

export function userJson(account: PlexAccount): PlexAccount {
  const { id, uuid, username, title, email, thumb } = account
  return { id, uuid, username, title, email, thumb }
}

/** What the profile and server steps add to a sign-in's answer, when they ran. */
export interface AfterSignInJson {
  profile?: ReturnType<typeof chosenProfileJson>
  server?: ServerJson
}

/** Which kind of token `authToken` is: a classic one, or a Plex JWT and when it expires. */
export type TokenKind = { tokenType: 'classic' } | { tokenType: 'jwt'; expiresAt: number }

export const CLASSIC_TOKEN: TokenKind = { tokenType: 'classic' }

/** `token` and `account` are the profile's once a profile step switched to one. */
export function signedInAnswer(
  token: string,
  clientIdentifier: string,
  account: PlexAccount,
  steps: AfterSignInJson = {},
  kind: TokenKind = CLASSIC_TOKEN
) {
  return {
    ok: true,
    authToken: token,
    clientIdentifier,
    user: userJson(account),
    ...(steps.profile ? { profile: steps.profile } : {}),
    ...(steps.server ? { server: steps.server } : {}),
    tokenType: kind.tokenType,
    ...(kind.tokenType === 'jwt' ? { expiresAt: new Date(kind.expiresAt).toISOString() } : {})
  } as const
}

export function errorAnswer(code: ErrorCode, message: string) {
  return { ok: false, error: { code, message } } as const
}
