// The app's lifecycle and nothing else: one instance, the core, the window, the IPC, and how the
// process ends.

import { join } from 'node:path'
import { app, BrowserWindow, clipboard, ipcMain, session as electronSession, shell } from 'electron'
import { IPC_STATE_CHANNEL } from '../shared/ipc-channels'
import { createAppCore, refuseSecondInstance } from './app/app-core'
import { catchEndSignals } from './app/end-signals'
import { writePrivateFile } from './store/private-file'
import { safeOutput } from './app/output-streams'
import { createIpcHandlers, registerIpcHandlers } from './ipc/ipc-handlers'
import { isTrustedSender, originOf } from './ipc/trusted-sender'
import { APP_ENTRY_URL } from './security/app-protocol'
import { denyAllPermissions } from './security/deny-permissions'
import { fetchWithoutCredentials } from './security/fetch-without-credentials'
import { registerAppScheme, serveRenderer } from './security/register-app-protocol'
import { openAppStorage } from './store/electron-storage'
import { createWindow } from './window/create-window'
import { setAppMenu, setAppUserModelId } from './window/desktop-integration'

// Before anything else: a signal or a closed pipe must end the run with its answer, not kill it.
const endSignals = catchEndSignals(process)
const stdout = safeOutput(process.stdout)
const stderr = safeOutput(process.stderr)

registerAppScheme()
setAppUserModelId()
// The hand-off decides when the app ends and with which code. Without a listener here Electron
// quits (exit 0) as soon as the window is gone, racing the hand-off's 130 and its JSON.
app.on('window-all-closed', () => {})
// Electron answers SIGINT, SIGTERM and SIGHUP itself by quitting, as it does Cmd+Q: it closes the
// window (which ends the run through the hand-off) and would then exit with 0 on its own.
app.on('will-quit', (event) => {
  event.preventDefault()
  endSignals.raise()
})

const launch = {
  argv: process.argv.slice(1),
  env: process.env,
  cwd: process.cwd(),
  io: {
    stdout: stdout.write,
    stderr: stderr.write,
    writeFile: writePrivateFile,
    // Only once stdout has taken the JSON answer: an installer's pipe must receive all of it.
    exit: (code: number) => stdout.flushed(() => app.exit(code))
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
    // plex.tv gets its own in-memory session: no cookies (fetchWithoutCredentials), and no
    // cache or anything else on disk, apart from the page's session.
    const plexSession = electronSession.fromPartition('plex-tv')
    // Asks nothing of plex.tv or the keyring yet: that starts once the window exists.
    const core = createAppCore({
      ...launch,
      userDataDir: app.getPath('userData'),
      version: app.getVersion(),
      fetch: fetchWithoutCredentials((input, init) =>
        plexSession.fetch(input instanceof URL ? input.href : input, init)
      ),
      openStorage: openAppStorage,
      // Both only known once the app is ready: the OS's preferred languages, then the locale
      // Chromium chose. --lang wins over them; the log and the JSON answer stay English.
      systemLanguages: [...app.getPreferredSystemLanguages(), app.getLocale()]
    })
    if (!core) return
    endSignals.answerWith(core.interrupted)

    setAppMenu(app.isPackaged)
    denyAllPermissions(electronSession.defaultSession)
    serveRenderer(join(import.meta.dirname, '../renderer'))
    const devUrl = app.isPackaged ? undefined : process.env.ELECTRON_RENDERER_URL
    const pageBase = devUrl ?? APP_ENTRY_URL
    const pageOrigin = originOf(pageBase) ?? ''
    // The window before the keyring: asking it may wait on a prompt (Keychain, a locked wallet).
    const win = createWindow(join(import.meta.dirname, '../preload/index.cjs'), pageOrigin)
    window = win

    const trustedPage = {
      webContentsId: () => window?.webContents.id,
      origin: pageOrigin
    }
    registerIpcHandlers(
      ipcMain,
      createIpcHandlers({
        session: core.session,
        openExternal: (url) => shell.openExternal(url),
        writeClipboard: (text) => clipboard.writeText(text),
        cancel: () => core.cancel()
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

    // Asks for the first code at once. The page loads once the keyring has answered, so that
    // whether the token sits in a plain file is in its address from the start.
    void core.start().then(({ tokenInPlainFile }) => {
      const query = new URLSearchParams({
        ...(tokenInPlainFile ? { tokenStorage: 'plain' } : {}),
        product: core.product,
        ...(core.installerMode ? { installer: '1' } : {}),
        lang: core.language
      })
      return window?.loadURL(`${pageBase}?${query}`)
    })
  })
}
