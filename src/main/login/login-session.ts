// The desktop app's sign-in session: check a stored token at start, run the PIN flow, sign out
// and start over. It owns the one LoginState the window shows. No Electron in here either.

import type { LoginState, SignedInUser } from '../../shared/login-state'
import type { PlexAccount, PlexClient } from '../plex/plex-client'
import type { CredentialStore } from '../store/credential-store'
import { checkStatus, signOut } from './account-status'
import {
  LoginFlow,
  type LoginFailureCode,
  type LoginFlowOptions,
  type LoginOutcome
} from './login-flow'

/** A sign-in as the installer hand-off needs it: never sent to the window. */
export interface SignIn {
  token: string
  account: PlexAccount
  clientIdentifier: string // the device the token was issued to
  verified: boolean // false: a stored token plex.tv could not be asked about
}

export interface LoginSessionOptions {
  client: PlexClient
  store: CredentialStore
  flow?: Omit<LoginFlowOptions, 'client' | 'saveCredentials'>
  fetchAvatar?: (url: string) => Promise<string | undefined>
  // A stored token plex.tv cannot be asked about (outage) counts as signed in, marked as not
  // verified; with `verifiedOnly` a new code is shown instead, as `plex-login --reuse` does.
  verifiedOnly?: boolean
  onSignedIn?: (signIn: SignIn) => void // a new sign-in, or a stored one at start
  onFailed?: (code: LoginFailureCode, message: string) => void // the flow gave up
}

export class LoginSession {
  private current: LoginState = { phase: 'starting' }
  private readonly listeners = new Set<(state: LoginState) => void>()
  private readonly flow: LoginFlow
  private generation = 0 // bumps whenever the session changes course, so stale async work is dropped

  constructor(private readonly options: LoginSessionOptions) {
    this.flow = new LoginFlow({
      ...options.flow,
      client: options.client,
      saveCredentials: (token, account) =>
        options.store.save(token, account, options.client.clientIdentifier)
    })
    // The flow's own signed-in state is replaced by the session's, which adds the avatar.
    this.flow.onState((state) => {
      if (state.phase !== 'signed-in') this.publish(state)
    })
  }

  get state(): LoginState {
    return this.current
  }

  onState(listener: (state: LoginState) => void): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  /** At launch: a stored token that still works signs in at once; otherwise a fresh code. */
  async start(): Promise<void> {
    const generation = ++this.generation
    this.publish({ phase: 'starting' })
    // With nothing stored this answers signed-out at once, without asking plex.tv.
    const status = await checkStatus(this.options.client, this.options.store)
    if (generation !== this.generation) return
    const verified = status.status === 'signed-in'
    if (status.status === 'signed-out' || (!verified && this.options.verifiedOnly)) {
      return this.newCode()
    }
    const { token, account, clientIdentifier = this.options.client.clientIdentifier } = status
    this.options.onSignedIn?.({ token, account, clientIdentifier, verified })
    this.signedIn(account, verified, generation)
  }

  newCode(): void {
    const generation = ++this.generation
    void this.flow.start().then((outcome: LoginOutcome) => {
      if (generation !== this.generation) return
      if (outcome.ok) {
        const { token, account } = outcome
        const { clientIdentifier } = this.options.client
        this.options.onSignedIn?.({ token, account, clientIdentifier, verified: true })
        this.signedIn(account, true, generation)
      } else if (outcome.code !== 'cancelled') {
        this.options.onFailed?.(outcome.code, outcome.message)
      }
    })
  }

  /** Revokes the token at plex.tv, forgets it here whatever plex.tv says, and shows a new code. */
  async signOut(): Promise<void> {
    const generation = ++this.generation
    this.flow.cancel()
    this.publish({ phase: 'starting' })
    await signOut(this.options.client, this.options.store)
    // Unless something else (Get a new code) took over while plex.tv was being told.
    if (generation === this.generation) this.newCode()
  }

  pollNow(): void {
    this.flow.pollNow()
  }

  dispose(): void {
    ++this.generation
    this.flow.cancel()
    this.listeners.clear()
  }

  private signedIn(account: PlexAccount, verified: boolean, generation: number): void {
    const user: SignedInUser = {
      username: account.username,
      title: account.title,
      email: account.email,
      verified
    }
    this.publish({ phase: 'signed-in', user })
    if (!account.thumb || !this.options.fetchAvatar) return
    void this.options.fetchAvatar(account.thumb).then((avatar) => {
      if (avatar && generation === this.generation)
        this.publish({ phase: 'signed-in', user: { ...user, avatar } })
    })
  }

  private publish(state: LoginState): void {
    this.current = state
    for (const listener of this.listeners) listener(state)
  }
}
