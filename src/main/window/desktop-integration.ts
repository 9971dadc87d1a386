// How the app sits in the desktop around its window: the application menu and, on Windows, the
// identity the taskbar groups it by.

import { app, Menu } from 'electron'

/** electron-builder.yml's appId: the Windows installer gives its shortcut this AppUserModelID. */
export const APP_ID = 'io.github.plex-login-helper'

/** Windows: the running window and its installed shortcut share one taskbar entry. */
export function setAppUserModelId(platform: NodeJS.Platform = process.platform): void {
  if (platform === 'win32') app.setAppUserModelId(APP_ID)
}

/**
 * Packaged builds drop Electron's default menu (Reload, Toggle Developer Tools, …). macOS sends
 * Cmd+C and Cmd+Q through the application menu, so it keeps the app and Edit menus; Windows and
 * Linux handle Ctrl+C in the page itself and get no menu bar at all. Development keeps the
 * default menu and its developer tools.
 */
export function setAppMenu(packaged: boolean, platform: NodeJS.Platform = process.platform): void {
  if (!packaged) return
  Menu.setApplicationMenu(
    platform === 'darwin'
      ? Menu.buildFromTemplate([{ role: 'appMenu' }, { role: 'editMenu' }])
      : null
  )
}
