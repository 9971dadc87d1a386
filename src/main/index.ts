// The app's lifecycle and nothing else: one instance, the session, the window, the IPC.

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
import { createIpcHandlers, registerIpcHandlers } from './ipc/ipc-handlers'
import { isTrustedSender, originOf } from './ipc/trusted-sender'
import { LoginSession } from './login/login-session'
import { fetchAvatarDataUrl } from './plex/avatar'
import { deviceInfo } from './plex/device-info'
import { createPlexClient, DEFAULT_PLEX_URL } from './plex/plex-client'
import { parsePlexUrl } from './cli/cli-args'
import { APP_ENTRY_URL } from './security/app-protocol'
import { registerAppScheme, serveRenderer } from './security/register-app-protocol'
import { CredentialStore } from './store/credential-store'
import { openAppStorage } from './store/electron-storage'
import { PRODUCT_NAME } from './store/store-paths'
import { createWindow } from './window/create-window'

registerAppScheme()

// Tests and demos point the app at a loopback stand-in for plex.tv, as with the CLI.
const plexUrl = parsePlexUrl(process.env.PLEX_LOGIN_PLEX_URL ?? DEFAULT_PLEX_URL)

if (!plexUrl.ok) {
  console.error(`Plex Login Helper: PLEX_LOGIN_PLEX_URL: ${plexUrl.message}`)
  app.exit(2)
} else if (!app.requestSingleInstanceLock()) {
  app.quit()
} else {
  let window: BrowserWindow | undefined
  app.on('second-instance', () => {
    if (window?.isMinimized()) window.restore()
    window?.focus()
  })
  app.on('window-all-closed', () => app.quit())

  void app.whenReady().then(() => {
    const plexFetch = net.fetch as typeof fetch
    const { storage, codec, encrypted } = openAppStorage(app.getPath('userData'), console.warn)
    const store = new CredentialStore(storage, codec)
    const client = createPlexClient({
      baseUrl: plexUrl.value,
      clientIdentifier: store.clientIdentifier(),
      device: deviceInfo(PRODUCT_NAME, app.getVersion()),
      fetch: plexFetch
    })
    const session = new LoginSession({
      client,
      store,
      fetchAvatar: (url) => fetchAvatarDataUrl(url, plexFetch)
    })
    // The first PIN request leaves now, while the window is still loading.
    void session.start()

    electronSession.defaultSession.setPermissionRequestHandler((_contents, _permission, grant) =>
      grant(false)
    )
    electronSession.defaultSession.setPermissionCheckHandler(() => false)
    serveRenderer(join(import.meta.dirname, '../renderer'))
    const devUrl = app.isPackaged ? undefined : process.env.ELECTRON_RENDERER_URL
    const pageUrl = `${devUrl ?? APP_ENTRY_URL}${encrypted ? '' : '?tokenStorage=plain'}`
    const win = createWindow(join(import.meta.dirname, '../preload/index.cjs'), pageUrl)
    window = win

    const trustedPage = {
      webContentsId: () => window?.webContents.id,
      origin: originOf(pageUrl) ?? ''
    }
    registerIpcHandlers(
      ipcMain,
      createIpcHandlers({
        session,
        openExternal: (url) => shell.openExternal(url),
        writeClipboard: clipboard.writeText
      }),
      (event) => isTrustedSender(event, trustedPage)
    )
    session.onState((state) => window?.webContents.send(IPC_STATE_CHANNEL, state))
    // Coming back from the browser having approved: check at once rather than within a second.
    win.on('focus', () => session.pollNow())
    win.on('closed', () => {
      window = undefined
      session.dispose()
    })
  })
}
