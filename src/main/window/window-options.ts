import type { BrowserWindowConstructorOptions } from 'electron'

export const WINDOW_TITLE = 'Sign in to Plex'

/** The window and its page's privileges: sandboxed, isolated, no Node, no webview. */
export function windowOptions(preloadPath: string, dark: boolean): BrowserWindowConstructorOptions {
  return {
    // The content area the page is laid out for: the tallest view (installer mode, waiting)
    // needs about 500 px at this width, with room left for larger fonts.
    width: 420,
    height: 540,
    useContentSize: true,
    resizable: false,
    maximizable: false,
    fullscreenable: false,
    show: false,
    title: WINDOW_TITLE,
    backgroundColor: dark ? '#1f2024' : '#ffffff', // the page's --bg: no flash before it paints
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
