import { resolve } from 'node:path'
import { defineConfig } from 'vitest/config'

export default defineConfig({
  resolve: {
    // `electron` cannot load outside Electron (and tries to download its binary): unit tests
    // of the main-process glue get one shared stand-in instead.
    alias: { electron: resolve('test/unit/electron-mock.ts') }
  },
  test: {
    include: [
      'test/unit/**/*.test.ts',
      'test/integration/**/*.test.ts',
      'test/adversarial/**/*.test.ts'
    ],
    testTimeout: 20_000,
    hookTimeout: 20_000
  }
})
