import type { LoginState } from './login-state'

// Every IPC channel in one place. Commands are invoke/handle; `state` is the one push channel.
export const IPC_COMMANDS = {
  getState: 'plex-login:get-state',
  newCode: 'plex-login:new-code',
  openLink: 'plex-login:open-link',
  copyCode: 'plex-login:copy-code',
  signOut: 'plex-login:sign-out',
  cancel: 'plex-login:cancel'
} as const

export const IPC_STATE_CHANNEL = 'plex-login:state'

export type IpcCommand = keyof typeof IPC_COMMANDS

// What each command resolves to in the renderer. No command takes arguments.
export interface IpcResponses {
  getState: LoginState
  newCode: void
  openLink: void
  copyCode: void
  signOut: void
  cancel: void
}
