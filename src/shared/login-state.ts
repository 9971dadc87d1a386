// The one definition of what the window shows and what the bridge carries, used by main,
// preload and renderer alike. Exact: checks outside the project rely on these shapes.

export type LoginState =
  | { phase: 'starting' } // asking plex.tv for a code
  | {
      phase: 'waiting'
      code: string
      linkUrl: string // what the QR encodes and Open opens
      expiresAt: number // epoch ms by the local clock
      expiresIn: number
    }
  | { phase: 'expired' } // no automatic renewal left
  | {
      // --profile: which Plex Home profile signs in; a protected one takes its 4-digit PIN
      phase: 'choose-profile'
      profiles: {
        uuid: string
        title: string
        protected: boolean
        admin: boolean
        restricted: boolean
        avatar?: string // a data: URL
      }[]
      error?: string // the last attempt's problem (a wrong PIN), shown with the step
    }
  | {
      // --server: the account's media servers, updated while their addresses are tested
      phase: 'choose-server'
      servers: {
        machineIdentifier: string
        name: string
        owned: boolean
        owner?: string
        reachable: boolean // can be handed over: an address proved it, and plex.tv gave access
        connection?: { local: boolean; relay: boolean; latencyMs: number }
      }[]
      searching: boolean // addresses are still being tested
    }
  | {
      phase: 'signed-in'
      user: {
        username: string
        title?: string
        email?: string
        avatar?: string // a data: URL
        verified?: boolean
      }
      profile?: { title: string } // the Home profile switched to (--profile)
      server?: { name: string } // the server handed over (--server)
    }
  | { phase: 'error'; message: string; retryAt?: number } // retryAt: epoch ms, local clock

export type SignedInUser = Extract<LoginState, { phase: 'signed-in' }>['user']
export type ProfileOption = Extract<LoginState, { phase: 'choose-profile' }>['profiles'][number]
export type ServerOption = Extract<LoginState, { phase: 'choose-server' }>['servers'][number]

export interface PlexLoginBridge {
  getState(): Promise<LoginState>
  onState(listener: (state: LoginState) => void): () => void // returns unsubscribe
  newCode(): Promise<void>
  openLink(): Promise<void>
  copyCode(): Promise<void>
  signOut(): Promise<void>
  cancel(): Promise<void> // installer mode: end without a sign-in, as closing the window does
  chooseProfile(uuid: string, pin?: string): Promise<void> // pin: 4 digits, for a protected one
  chooseServer(machineIdentifier: string): Promise<void>
}
