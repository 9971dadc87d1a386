import type { LoginState } from './login-state'

// Every IPC channel in one place. Commands are invoke/handle; `state` is the one push channel.
export const IPC_COMMANDS = {
  getState: 'plex-login:get-state',
  newCode: 'plex-login:new-code',
  openLink: 'plex-login:open-link',
  copyCode: 'plex-login:copy-code',
  signOut: 'plex-login:sign-out',
  cancel: 'plex-login:cancel',
  chooseProfile: 'plex-login:choose-profile',
  chooseServer: 'plex-login:choose-server'
} as const

export const IPC_STATE_CHANNEL = 'plex-login:state'

export type IpcCommand = keyof typeof IPC_COMMANDS

// What each command resolves to in the renderer.
export interface IpcResponses {
  getState: LoginState
  newCode: void
  openLink: void
  copyCode: void
  signOut: void
  cancel: void
  chooseProfile: void
  chooseServer: void
}

// What each command takes from the renderer; the main side checks them as untrusted input.
export interface IpcArguments {
  getState: []
  newCode: []
  openLink: []
  copyCode: []
  signOut: []
  cancel: []
  chooseProfile: [uuid: string, pin?: string]
  chooseServer: [machineIdentifier: string]
}
