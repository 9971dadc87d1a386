// What each IPC command does, as plain functions over the session: no Electron here, so the
// same handlers serve the app and the browser tests' stand-in for ipcMain.

import {
  IPC_COMMANDS,
  type IpcArguments,
  type IpcCommand,
  type IpcResponses
} from '../../shared/ipc-channels'
import type { LoginSession } from '../login/login-session'
import { isAllowedExternalUrl } from '../security/external-links'
import { checkIpcArguments } from './ipc-arguments'
import type { IpcSenderEvent } from './trusted-sender'

export interface IpcHandlerDeps {
  session: Pick<LoginSession, 'state' | 'newCode' | 'signOut' | 'chooseProfile' | 'chooseServer'>
  openExternal: (url: string) => Promise<void>
  // Electron's clipboard.writeText settles once the system clipboard holds the text (since 44).
  writeClipboard: (text: string) => Promise<void>
  cancel: () => void // installer mode: end as if the window were closed
}

export type IpcHandlers = {
  [K in IpcCommand]: (...args: IpcArguments[K]) => Promise<IpcResponses[K]>
}

export function createIpcHandlers({
  session,
  openExternal,
  writeClipboard,
  cancel
}: IpcHandlerDeps): IpcHandlers {
  return {
    getState: async () => session.state,
    newCode: async () => session.newCode(),
    openLink: async () => {
      const state = session.state
      if (state.phase === 'waiting' && isAllowedExternalUrl(state.linkUrl))
        await openExternal(state.linkUrl)
    },
    copyCode: async () => {
      const state = session.state
      // Awaited, so the window says "Copied" only once it is true, and a failure reaches it.
      if (state.phase === 'waiting') await writeClipboard(state.code)
    },
    signOut: () => session.signOut(),
    cancel: async () => cancel(),
    chooseProfile: async (uuid, pin) => session.chooseProfile(uuid, pin),
    chooseServer: async (machineIdentifier) => session.chooseServer(machineIdentifier)
  }
}

/** The slice of ipcMain used here. */
export interface IpcMainLike {
  handle(
    channel: string,
    listener: (event: IpcSenderEvent, ...args: unknown[]) => Promise<unknown>
  ): void
}

export function registerIpcHandlers(
  ipcMain: IpcMainLike,
  handlers: IpcHandlers,
  isTrusted: (event: IpcSenderEvent) => boolean
): void {
  for (const command of Object.keys(IPC_COMMANDS) as IpcCommand[]) {
    ipcMain.handle(IPC_COMMANDS[command], async (event, ...args) => {
      if (!isTrusted(event))
        throw new Error('Refused: the request did not come from the app window')
      const checked = checkIpcArguments(command, args)
      if (!checked.ok) throw new Error(checked.message)
      return (handlers[command] as (...args: unknown[]) => Promise<unknown>)(...checked.args)
    })
  }
}
