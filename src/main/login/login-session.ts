// The desktop app's sign-in session: check a stored token at start, run the PIN flow, sign out
// and start over. It owns the one LoginState the window shows. No Electron in here either.

import { stepFailedMessage } from '../../shared/error-wording'
import type { LoginState, SignedInUser } from '../../shared/login-state'
import type { PlexAccount, PlexClient } from '../plex/plex-client'
import type { CredentialStore } from '../store/credential-store'
import {
  CLASSIC_TOKEN,
  type AfterSignInJson,
  type ErrorCode,
  type TokenKind
} from './sign-in-result'
import { classicSignIn, type ReadyToSignIn, type SignInKind } from './sign-in-kind'
import type { StepsShown, WindowSteps } from './window-steps'
import {
  LoginFlow,
  type LoginFailureCode,
  type LoginFlowOptions,
  type LoginOutcome
} from './login-flow'

/** A sign-in as the installer hand-off needs it: never sent to the window. */
export interface SignIn {
  token: string // the profile's, once --profile switched to one
  account: PlexAccount
  clientIdentifier: string // the device the token was issued to
  verified: boolean // false: a stored token plex.tv could not be asked about
  kind: TokenKind // classic, or a Plex JWT and when it expires
  steps?: AfterSignInJson // what --profile and --server chose
}

export interface LoginSessionOptions {
  client: PlexClient
  store: CredentialStore
  // --jwt: a device key and a Plex JWT instead of the classic token kept in `store`
  kind?: SignInKind
  flow?: Omit<LoginFlowOptions, 'client' | 'saveCredentials' | 'verifyToken'>
  fetchAvatar?: (url: string) => Promise<string | undefined>
  // A stored token plex.tv cannot be asked about (outage) counts as signed in, marked as not
  // verified; with `verifiedOnly` a new code is shown instead, as `plex-login --reuse` does.
  verifiedOnly?: boolean
  // --profile/--server: run after every sign-in, before it counts as done.
  steps?: WindowSteps
  onSignedIn?: (signIn: SignIn) => void // a new sign-in, or a stored one at start
  onFailed?: (code: LoginFailureCode | ErrorCode, message: string) => void // gave up
}

export class LoginSession {
  private current: LoginState = { phase: 'starting' }
  private readonly listeners = new Set<(state: LoginState) => void>()
  private readonly kind: SignInKind
  private flow: LoginFlow | undefined // made once the kind is ready for a new code
  private ready: Promise<{ flow: LoginFlow; ready: ReadyToSignIn }> | undefined
  private generation = 0 // bumps whenever the session changes course, so stale async work is dropped
  private steps: AbortController | undefined // the steps after a sign-in, while they run
  private stepFailed = false // Try again then runs the steps again on the kept sign-in

  constructor(private readonly options: LoginSessionOptions) {
    this.kind = options.kind ?? classicSignIn(options.client, options.store)
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
    const generation = this.changeCourse()
    this.stepFailed = false
    this.publish({ phase: 'starting' })
    // With nothing stored this answers signed-out at once, without asking plex.tv.
    const kept = await this.kind.kept()
    if (generation !== this.generation) return
    const verified = kept.status === 'signed-in'
    if (kept.status === 'signed-out' || (!verified && this.options.verifiedOnly)) {
      return this.newCode()
    }
    const { token, account, clientIdentifier, kind } = kept
    await this.finish({ token, account, clientIdentifier, verified, kind }, generation)
  }

  newCode(): void {
    // After a failed profile or server step the sign-in itself is fine: run the steps again.
    if (this.stepFailed) {
      void this.start()
      return
    }
    const generation = this.changeCourse()
    void this.prepared().then(
      async ({ flow, ready }) => {
        if (generation !== this.generation) return
        const outcome: LoginOutcome = await flow.start()
        if (generation !== this.generation) return
        if (outcome.ok) {
          const { token, account } = outcome
          const { clientIdentifier } = ready
          const signIn = {
            token,
            account,
            clientIdentifier,
            verified: true,
            kind: ready.kindOf(token)
          }
          return this.finish(signIn, generation)
        } else if (outcome.code !== 'cancelled') {
          this.options.onFailed?.(outcome.code, outcome.message)
        }
      },
      (error: unknown) => {
        // A JWT sign-in's device key could not be kept: no code is worth showing without it.
        if (generation !== this.generation) return
        const reason = error instanceof Error ? error.message : String(error)
        const message = `Could not save the sign-in's device key: ${reason}`
        this.publish({ phase: 'error', message })
        this.options.onFailed?.('store', message)
      }
    )
  }

  /** Revokes the token at plex.tv, forgets it here whatever plex.tv says, and shows a new code. */
  async signOut(): Promise<void> {
    const generation = this.changeCourse()
    this.stepFailed = false
    this.flow?.cancel()
    this.publish({ phase: 'starting' })
    await this.kind.signOut()
    // A JWT sign-in's device went with it: the next code gets a new one.
    this.ready = undefined
    // Unless something else (Get a new code) took over while plex.tv was being told.
    if (generation === this.generation) this.newCode()
  }

  pollNow(): void {
    this.flow?.pollNow()
  }

  /** The window's answers to the profile and server steps (checked by the IPC handlers). */
  chooseProfile(uuid: string, pin?: string): void {
    this.options.steps?.chooseProfile(uuid, pin)
  }

  chooseServer(machineIdentifier: string): void {
    this.options.steps?.chooseServer(machineIdentifier)
  }

  dispose(): void {
    this.changeCourse()
    this.flow?.cancel()
    this.listeners.clear()
  }

  /** The flow for new codes, once the kind of sign-in is ready (made again after a sign-out). */
  private prepared(): Promise<{ flow: LoginFlow; ready: ReadyToSignIn }> {
    if (this.ready) return this.ready
    const preparing = this.kind.prepare().then((ready) => {
      this.flow?.cancel()
      const flow = new LoginFlow({ ...this.options.flow, ...ready.flow })
      // The flow's own signed-in state is replaced by the session's, which adds the avatar.
      flow.onState((state) => {
        if (state.phase !== 'signed-in' && this.flow === flow) this.publish(state)
      })
      this.flow = flow
      return { flow, ready }
    })
    this.ready = preparing
    // Tried again at the next code.
    preparing.catch(() => {
      if (this.ready === preparing) this.ready = undefined
    })
    return preparing
  }

  private changeCourse(): number {
    this.steps?.abort()
    this.steps = undefined
    return ++this.generation
  }

  /** A sign-in counts once the steps asked for (--profile, --server) have run. */
  private async finish(signIn: SignIn, generation: number): Promise<void> {
    const steps = this.options.steps
    if (!steps?.wanted) {
      this.options.onSignedIn?.(signIn)
      this.signedIn(signIn.account, signIn.verified, generation)
      return
    }
    const running = new AbortController()
    this.steps = running
    const outcome = await steps.run(
      signIn,
      (state) => {
        if (generation === this.generation) this.publish(state)
      },
      running.signal
    )
    if (generation !== this.generation) return
    this.steps = undefined
    if (!outcome.ok) {
      this.stepFailed = true
      // Marked as a step's failure for the window's wording; the installer gets the engine's.
      this.publish({ phase: 'error', message: stepFailedMessage(outcome.code, outcome.message) })
      this.options.onFailed?.(outcome.code, outcome.message)
      return
    }
    this.stepFailed = false
    const { token, account, json } = outcome
    // A profile's token is a classic one, whichever kind the account signed in with.
    const kind = json.profile ? CLASSIC_TOKEN : signIn.kind
    this.options.onSignedIn?.({ ...signIn, token, account, kind, steps: json })
    this.signedIn(account, signIn.verified, generation, outcome.shown)
  }

  private signedIn(
    account: PlexAccount,
    verified: boolean,
    generation: number,
    shown: StepsShown = {}
  ): void {
    const user: SignedInUser = {
      username: account.username,
      title: account.title,
      email: account.email,
      verified
    }
    this.publish({ phase: 'signed-in', user, ...shown })
    if (!account.thumb || !this.options.fetchAvatar) return
    void this.options.fetchAvatar(account.thumb).then((avatar) => {
      if (avatar && generation === this.generation)
        this.publish({ phase: 'signed-in', user: { ...user, avatar }, ...shown })
    })
  }

  private publish(state: LoginState): void {
    this.current = state
    for (const listener of this.listeners) listener(state)
  }
}
