// The desktop app's sign-in session: check a stored token at start, run the PIN flow, sign out
// and start over. It owns the one LoginState the window shows. No Electron in here either.

import type { LoginState, SignedInUser } from '../../shared/login-state'
import type { PlexAccount, PlexClient } from '../plex/plex-client'
import type { CredentialStore } from '../store/credential-store'
import { checkStatus, signOut } from './account-status'
import { LoginFlow, type LoginFlowOptions, type LoginOutcome } from './login-flow'

export interface LoginSessionOptions {
  client: PlexClient
  store: CredentialStore
  flow?: Omit<LoginFlowOptions, 'client' | 'saveCredentials'>
  fetchAvatar?: (url: string) => Promise<string | undefined>
  // Told of every sign-in, with the token, for the installer hand-off: a new one, or a stored
  // one at start (`verified` false when plex.tv could not be asked).
  onSignedIn?: (token: string, account: PlexAccount, verified: boolean) => void
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
      saveCredentials: (token, account) => options.store.save(token, account)
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
    if (!this.options.store.load()) return this.newCode()
    this.publish({ phase: 'starting' })
    const status = await checkStatus(this.options.client, this.options.store)
    if (generation !== this.generation) return
    if (status.status === 'signed-out') return this.newCode()
    // plex.tv could not say either way: keep the person signed in, marked as not verified.
    const verified = status.status === 'signed-in'
    this.options.onSignedIn?.(status.token, status.account, verified)
    this.signedIn(status.account, verified, generation)
  }

  newCode(): void {
    const generation = ++this.generation
    void this.flow.start().then((outcome: LoginOutcome) => {
      if (outcome.ok && generation === this.generation) {
        this.options.onSignedIn?.(outcome.token, outcome.account, true)
        this.signedIn(outcome.account, true, generation)
      }
    })
  }

  /** Revokes the token at plex.tv, forgets it here whatever plex.tv says, and shows a new code. */
  async signOut(): Promise<void> {
    ++this.generation
    this.flow.cancel()
    this.publish({ phase: 'starting' })
    await signOut(this.options.client, this.options.store)
    this.newCode()
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
