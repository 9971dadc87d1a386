import { BrowserWindow, nativeTheme } from 'electron'
import { originOf } from '../ipc/trusted-sender'
import { windowOptions } from './window-options'

/**
 * The sign-in window, shown once its page is ready. It stays on its page's origin: navigation
 * and new windows are refused. The caller loads the page once its address is complete (after
 * the keyring has answered, which may take a prompt).
 */
export function createWindow(preloadPath: string, pageOrigin: string): BrowserWindow {
  const window = new BrowserWindow(windowOptions(preloadPath, nativeTheme.shouldUseDarkColors))
  const contents = window.webContents
  const refuseNavigation = (event: { preventDefault(): void }, url: string): void => {
    if (originOf(url) !== pageOrigin) event.preventDefault()
  }
  contents.on('will-navigate', refuseNavigation)
  contents.on('will-redirect', refuseNavigation)
  contents.on('will-attach-webview', (event) => event.preventDefault())
  contents.setWindowOpenHandler(() => ({ action: 'deny' }))
  window.once('ready-to-show', () => window.show())
  return window
}
