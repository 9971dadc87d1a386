import { resolve } from 'node:path'
import { defineConfig } from 'electron-vite'
import { devContentSecurityPolicyPlugin } from './scripts/dev-content-security-policy'

export default defineConfig({
  main: {
    build: {
      // Everything the main process uses is bundled (only `electron` and Node's built-ins stay
      // outside), so the package ships no node_modules at all.
      externalizeDeps: false,
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
    plugins: [devContentSecurityPolicyPlugin()],
    build: {
      rolldownOptions: { input: { index: resolve('src/renderer/index.html') } }
    }
  }
})
