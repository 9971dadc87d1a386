// What Electron's sandboxed preload environment gives the real built preload
// (out/preload/index.cjs), rebuilt as a Playwright init script: a `require` that knows only
// 'electron', whose contextBridge defines a frozen global and whose ipcRenderer goes through a
// Playwright binding to the real IPC handlers in the test process. Nothing of this leaks into
// the page except window.plexLogin and the two __plex* hooks the stand-in needs.

import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'

export const PRELOAD_FILE = resolve(import.meta.dirname, '../../../out/preload/index.cjs')

/** Page → test process: (channel, args[]) → the handler's answer. */
export const INVOKE_BINDING = '__plexIpcInvoke'
/** Test process → page: delivers a push on a channel to the ipcRenderer.on listeners. */
export const EMIT_HOOK = '__plexIpcEmit'

export function preloadInitScript(preloadSource = readFileSync(PRELOAD_FILE, 'utf8')): string {
  return `(() => {
  'use strict'
  const listeners = new Map()
  const ipcEvent = Object.freeze({})
  const ipcRenderer = {
    invoke: (channel, ...args) => window.${INVOKE_BINDING}(channel, args),
    on(channel, listener) {
      if (!listeners.has(channel)) listeners.set(channel, new Set())
      listeners.get(channel).add(listener)
      return ipcRenderer
    },
    removeListener(channel, listener) {
      listeners.get(channel)?.delete(listener)
      return ipcRenderer
    }
  }
  const contextBridge = {
    exposeInMainWorld(name, api) {
      Object.defineProperty(window, name, { value: Object.freeze(api) })
    }
  }
  Object.defineProperty(window, '${EMIT_HOOK}', {
    value(channel, payload) {
      for (const listener of [...(listeners.get(channel) ?? [])]) listener(ipcEvent, payload)
    }
  })
  const electron = Object.freeze({ contextBridge, ipcRenderer })
  const sandboxedRequire = (id) => {
    if (id === 'electron') return electron
    throw new Error('A sandboxed preload cannot require ' + JSON.stringify(id))
  }
  const preloadModule = { exports: {} }
  ;(function (require, module, exports) {
${preloadSource}
  })(sandboxedRequire, preloadModule, preloadModule.exports)
})()
`
}
