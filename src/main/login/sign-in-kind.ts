// The two kinds of sign-in the app's session runs: the classic token, or (--jwt, issue 11) a
// device key and a Plex JWT. The code, the window and the steps are the same; what differs is
// how a kept sign-in is checked, what a new code's flow checks and keeps, and how signing out
// ends it. The command has its own pair (cli/login-command.ts) over the same engine calls.

import { checkJwtStatus, signOutJwt, type JwtAccountOptions } from '../jwt/jwt-account'
import { prepareJwtSignIn } from '../jwt/jwt-sign-in'
import type { PlexAccount, PlexClient } from '../plex/plex-client'
import type { CredentialStore } from '../store/credential-store'
import { checkStatus, signOut } from './account-status'
import type { LoginFlowOptions } from './login-flow'
import { CLASSIC_TOKEN, type TokenKind } from './sign-in-result'

export type KeptSignIn =
  | { status: 'signed-out' }
  // unknown: plex.tv could not be asked; the app may still take it, marked as not verified
  | {
      status: 'signed-in' | 'unknown'
      token: string
      account: PlexAccount
      clientIdentifier: string
      kind: TokenKind
    }

export interface ReadyToSignIn {
  flow: Pick<LoginFlowOptions, 'client' | 'saveCredentials' | 'verifyToken'>
  clientIdentifier: string // the device the new token is issued to
  kindOf(token: string): TokenKind
}

export interface SignInKind {
  readonly jwt: boolean
  kept(): Promise<KeptSignIn>
  /** For a new code; for a JWT sign-in this makes the device key once (it may throw: store). */
  prepare(): Promise<ReadyToSignIn>
  /** Ends the kept sign-in at plex.tv and forgets it here, whatever plex.tv answers. */
  signOut(): Promise<void>
}

export function classicSignIn(client: PlexClient, store: CredentialStore): SignInKind {
  return {
    jwt: false,
    async kept() {
      const status = await checkStatus(client, store)
      if (status.status === 'signed-out') return { status: 'signed-out' }
      const { token, account, clientIdentifier = client.clientIdentifier } = status
      return { status: status.status, token, account, clientIdentifier, kind: CLASSIC_TOKEN }
    },
    prepare: async () => ({
      flow: {
        client,
        saveCredentials: (token, account) => store.save(token, account, client.clientIdentifier)
      },
      clientIdentifier: client.clientIdentifier,
      kindOf: () => CLASSIC_TOKEN
    }),
    signOut: async () => void (await signOut(client, store))
  }
}

/** A JWT sign-in: its own client identifier and key, never the classic one's (see jwt-store). */
export function jwtSignIn(account: JwtAccountOptions): SignInKind {
  return {
    jwt: true,
    async kept() {
      const status = await checkJwtStatus(account)
      // Unlike a classic token, a JWT plex.tv could not be asked about is not offered as is: it
      // may be days from expiring and this run could not refresh it.
      if (status.status !== 'signed-in') return { status: 'signed-out' }
      const { token, account: user, clientIdentifier, expiresAt } = status
      const kind: TokenKind = { tokenType: 'jwt', expiresAt }
      return { status: 'signed-in', token, account: user, clientIdentifier, kind }
    },
    async prepare() {
      const signIn = await prepareJwtSignIn(account)
      return {
        flow: {
          client: signIn.client,
          verifyToken: (token) => signIn.verifyToken(token),
          saveCredentials: (token, user) => signIn.saveCredentials(token, user)
        },
        clientIdentifier: signIn.device.clientIdentifier,
        kindOf: (token) => ({ tokenType: 'jwt', expiresAt: signIn.expiresAt(token) ?? 0 })
      }
    },
    signOut: async () => void (await signOutJwt(account))
  }
}
