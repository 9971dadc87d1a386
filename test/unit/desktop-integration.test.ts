import { readFileSync } from 'node:fs'
import { beforeEach, describe, expect, it } from 'vitest'
import { parse } from 'yaml'
import { app, Menu } from './electron-mock'
import { APP_ID, setAppMenu, setAppUserModelId } from '../../src/main/window/desktop-integration'

beforeEach(() => {
  Menu.applicationMenu = undefined
  app.appUserModelIds.length = 0
})

describe('the application menu', () => {
  it.each(['linux', 'win32'] as const)(
    'is removed in packaged builds on %s (no Reload, no developer tools, no menu bar)',
    (platform) => {
      setAppMenu(true, platform)
      expect(Menu.applicationMenu).toBeNull()
    }
  )

  it('on macOS keeps only the app and Edit menus, so Cmd+C and Cmd+Q still work', () => {
    setAppMenu(true, 'darwin')
    expect(Menu.applicationMenu?.template).toEqual([{ role: 'appMenu' }, { role: 'editMenu' }])
  })

  it('stays as Electron made it in development, developer tools included', () => {
    setAppMenu(false, 'linux')
    setAppMenu(false, 'darwin')
    expect(Menu.applicationMenu).toBeUndefined()
  })
})

describe('the Windows AppUserModelID', () => {
  it('is the appId of electron-builder.yml, which the installer gives its shortcut', () => {
    const config = parse(readFileSync('electron-builder.yml', 'utf8')) as { appId: string }
    expect(APP_ID).toBe(config.appId)
    setAppUserModelId('win32')
    expect(app.appUserModelIds).toEqual([config.appId])
  })

  it('is set on Windows only (the call exists nowhere else)', () => {
    setAppUserModelId('linux')
    setAppUserModelId('darwin')
    expect(app.appUserModelIds).toEqual([])
  })
})
