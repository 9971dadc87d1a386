import { beforeEach, describe, expect, it } from 'vitest'
import { BrowserWindow } from './electron-mock'
import { createWindow } from '../../src/main/window/create-window'
import { WINDOW_TITLE } from '../../src/main/window/window-options'

const PAGE_ORIGIN = 'app://renderer'

function lastWindow(): BrowserWindow {
  const window = BrowserWindow.created.at(-1)
  if (!window) throw new Error('no window was created')
  return window
}

function navigationEvent(): { prevented: boolean; preventDefault(): void } {
  return {
    prevented: false,
    preventDefault() {
      this.prevented = true
    }
  }
}

describe('the sign-in window', () => {
  beforeEach(() => {
    createWindow('/app/out/preload/index.cjs', PAGE_ORIGIN)
  })

  it('is small, fixed-size, titled, and has a sandboxed, isolated page without Node', () => {
    const { options } = lastWindow()
    expect(options).toMatchObject({
      width: 420,
      height: 540,
      useContentSize: true,
      resizable: false,
      title: WINDOW_TITLE
    })
    expect(options.webPreferences).toMatchObject({
      preload: '/app/out/preload/index.cjs',
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      webviewTag: false,
      webSecurity: true
    })
  })

  it('loads no page by itself: index.ts loads it once the keyring has answered', () => {
    expect(lastWindow().loadedUrl).toBeUndefined()
  })

  it('refuses to navigate or redirect away from its own page', () => {
    const contents = lastWindow().webContents
    for (const event of ['will-navigate', 'will-redirect']) {
      const away = navigationEvent()
      contents.emit(event, away, 'https://evil.example/')
      expect(away.prevented).toBe(true)
      const reload = navigationEvent()
      contents.emit(event, reload, 'app://renderer/index.html')
      expect(reload.prevented).toBe(false)
    }
  })

  it('denies new windows and webviews', () => {
    const contents = lastWindow().webContents
    expect(contents.windowOpenHandler?.({ url: 'https://plex.tv/link' })).toEqual({
      action: 'deny'
    })
    const attach = navigationEvent()
    contents.emit('will-attach-webview', attach)
    expect(attach.prevented).toBe(true)
  })
})
