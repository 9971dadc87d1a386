import { BrowserWindow, nativeTheme } from 'electron'
import { originOf } from '../ipc/trusted-sender'
import { windowOptions } from './window-options'

/** The sign-in window. It stays on its own page: navigation and new windows are refused. */
export function createWindow(preloadPath: string, pageUrl: string): BrowserWindow {
  const window = new BrowserWindow(windowOptions(preloadPath, nativeTheme.shouldUseDarkColors))
  const contents = window.webContents
  const pageOrigin = originOf(pageUrl)
  const refuseNavigation = (event: { preventDefault(): void }, url: string): void => {
    if (originOf(url) !== pageOrigin) event.preventDefault()
  }
  contents.on('will-navigate', refuseNavigation)
  contents.on('will-redirect', refuseNavigation)
  contents.on('will-attach-webview', (event) => event.preventDefault())
  contents.setWindowOpenHandler(() => ({ action: 'deny' }))
  window.once('ready-to-show', () => window.show())
  void window.loadURL(pageUrl)
  return window
}
