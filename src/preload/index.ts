// The only thing the window gets from Electron: window.plexLogin. Sandboxed, so this file is
// bundled to CommonJS and requires nothing but `electron`. Raw ipcRenderer never leaks out,
// and listeners never see an IpcRendererEvent.

import { contextBridge, ipcRenderer } from 'electron'
import { IPC_COMMANDS, IPC_STATE_CHANNEL } from '../shared/ipc-channels'
import type { LoginState, PlexLoginBridge } from '../shared/login-state'

const bridge: PlexLoginBridge = {
  getState: () => ipcRenderer.invoke(IPC_COMMANDS.getState) as Promise<LoginState>,
  onState(listener) {
    const forward = (_event: unknown, state: LoginState): void => listener(state)
    ipcRenderer.on(IPC_STATE_CHANNEL, forward)
    return () => {
      ipcRenderer.removeListener(IPC_STATE_CHANNEL, forward)
    }
  },
  newCode: () => ipcRenderer.invoke(IPC_COMMANDS.newCode) as Promise<void>,
  openLink: () => ipcRenderer.invoke(IPC_COMMANDS.openLink) as Promise<void>,
  copyCode: () => ipcRenderer.invoke(IPC_COMMANDS.copyCode) as Promise<void>,
  signOut: () => ipcRenderer.invoke(IPC_COMMANDS.signOut) as Promise<void>,
  cancel: () => ipcRenderer.invoke(IPC_COMMANDS.cancel) as Promise<void>,
  // A PIN left out is not sent at all, so the main side sees exactly what was given.
  chooseProfile: (uuid, pin) =>
    (pin === undefined
      ? ipcRenderer.invoke(IPC_COMMANDS.chooseProfile, uuid)
      : ipcRenderer.invoke(IPC_COMMANDS.chooseProfile, uuid, pin)) as Promise<void>,
  chooseServer: (machineIdentifier) =>
    ipcRenderer.invoke(IPC_COMMANDS.chooseServer, machineIdentifier) as Promise<void>
}

contextBridge.exposeInMainWorld('plexLogin', bridge)
