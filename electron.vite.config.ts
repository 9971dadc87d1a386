import { resolve } from 'node:path'
import { defineConfig } from 'electron-vite'

export default defineConfig({
  main: {
    build: {
      // electron-store 12 is ESM-only and imports `electron` at load time: bundle it
      // rather than leaving it to Node's resolver inside the packaged app.
      externalizeDeps: { exclude: ['electron-store', 'conf'] },
      rolldownOptions: { input: { index: resolve('src/main/index.ts') } }
    }
  },
  preload: {
    build: {
      // A sandboxed preload can only require('electron'): bundle everything else, emit CommonJS.
      externalizeDeps: false,
      rolldownOptions: {
        input: { index: resolve('src/preload/index.ts') },
        external: ['electron'],
        output: { format: 'cjs', entryFileNames: '[name].cjs' }
      }
    }
  },
  renderer: {
    root: 'src/renderer',
    base: './',
    build: {
      rolldownOptions: { input: { index: resolve('src/renderer/index.html') } }
    }
  }
})
