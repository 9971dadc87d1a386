import type { BrowserWindowConstructorOptions } from 'electron'

export const WINDOW_TITLE = 'Sign in to Plex'

/** The window and its page's privileges: sandboxed, isolated, no Node, no webview. */
export function windowOptions(preloadPath: string, dark: boolean): BrowserWindowConstructorOptions {
  return {
    width: 420,
    height: 600,
    resizable: false,
    maximizable: false,
    fullscreenable: false,
    show: false,
    title: WINDOW_TITLE,
    backgroundColor: dark ? '#1b1c1f' : '#f7f7f8',
    autoHideMenuBar: true,
    webPreferences: {
      preload: preloadPath,
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webviewTag: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      navigateOnDragDrop: false,
      spellcheck: false
    }
  }
}
