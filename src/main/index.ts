// The app's lifecycle and nothing else: one instance, the core, the window, the IPC.

import { join } from 'node:path'
import {
  app,
  BrowserWindow,
  clipboard,
  ipcMain,
  net,
  session as electronSession,
  shell
} from 'electron'
import { IPC_STATE_CHANNEL } from '../shared/ipc-channels'
import { createAppCore, refuseSecondInstance } from './app/app-core'
import { writePrivateFile } from './app/installer-handoff'
import { createIpcHandlers, registerIpcHandlers } from './ipc/ipc-handlers'
import { isTrustedSender, originOf } from './ipc/trusted-sender'
import { APP_ENTRY_URL } from './security/app-protocol'
import { denyAllPermissions } from './security/deny-permissions'
import { registerAppScheme, serveRenderer } from './security/register-app-protocol'
import { openAppStorage } from './store/electron-storage'
import { createWindow } from './window/create-window'

registerAppScheme()

const launch = {
  argv: process.argv.slice(1),
  env: process.env,
  cwd: process.cwd(),
  io: {
    stdout: (text: string) => void process.stdout.write(text),
    stderr: (text: string) => void process.stderr.write(text),
    writeFile: writePrivateFile,
    // Only once stdout has taken the JSON answer: an installer's pipe must receive all of it.
    exit: (code: number) => void process.stdout.write('', () => app.exit(code))
  }
}

if (!app.requestSingleInstanceLock()) {
  refuseSecondInstance(launch)
} else {
  let window: BrowserWindow | undefined
  app.on('second-instance', () => {
    if (window?.isMinimized()) window.restore()
    window?.focus()
  })

  void app.whenReady().then(() => {
    // Starts the first PIN request at once, while the window below is still loading.
    const core = createAppCore({
      ...launch,
      userDataDir: app.getPath('userData'),
      version: app.getVersion(),
      fetch: net.fetch as typeof fetch,
      openStorage: openAppStorage
    })
    if (!core) return
    process.once('SIGINT', core.interrupted)
    process.once('SIGTERM', core.interrupted)

    denyAllPermissions(electronSession.defaultSession)
    serveRenderer(join(import.meta.dirname, '../renderer'))
    const devUrl = app.isPackaged ? undefined : process.env.ELECTRON_RENDERER_URL
    const query = core.tokenInPlainFile ? '?tokenStorage=plain' : ''
    const pageUrl = `${devUrl ?? APP_ENTRY_URL}${query}`
    const win = createWindow(join(import.meta.dirname, '../preload/index.cjs'), pageUrl)
    window = win

    const trustedPage = {
      webContentsId: () => window?.webContents.id,
      origin: originOf(pageUrl) ?? ''
    }
    registerIpcHandlers(
      ipcMain,
      createIpcHandlers({
        session: core.session,
        openExternal: (url) => shell.openExternal(url),
        writeClipboard: (text) => clipboard.writeText(text)
      }),
      (event) => isTrustedSender(event, trustedPage)
    )
    core.session.onState((state) => window?.webContents.send(IPC_STATE_CHANNEL, state))
    // Back from the browser having approved: check at once rather than within the second.
    const pollNow = (): void => core.session.pollNow()
    win.on('focus', pollNow)
    win.on('show', pollNow)
    win.on('restore', pollNow)
    win.on('closed', () => {
      window = undefined
      core.windowClosed()
    })
  })
}
