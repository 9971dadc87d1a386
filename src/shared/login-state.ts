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
      phase: 'signed-in'
      user: {
        username: string
        title?: string
        email?: string
        avatar?: string // a data: URL
        verified?: boolean
      }
    }
  | { phase: 'error'; message: string; retryAt?: number } // retryAt: epoch ms, local clock

export type SignedInUser = Extract<LoginState, { phase: 'signed-in' }>['user']

export interface PlexLoginBridge {
  getState(): Promise<LoginState>
  onState(listener: (state: LoginState) => void): () => void // returns unsubscribe
  newCode(): Promise<void>
  openLink(): Promise<void>
  copyCode(): Promise<void>
  signOut(): Promise<void>
  cancel(): Promise<void> // installer mode: end without a sign-in, as closing the window does
}
