import { defineConfig } from '@playwright/test'
import { CHROMIUM_ARGS, chromiumExecutable } from './test/chromium'
import { findElectronBinary } from './scripts/electron-binary.mjs'

// Said once, by the runner process (workers load this file too), next to the skipped test.
if (!process.env.TEST_WORKER_INDEX && !findElectronBinary()) {
  console.log('Electron binary not installed: skipping the Electron end-to-end tests.')
}

export default defineConfig({
  workers: 2,
  fullyParallel: true,
  forbidOnly: !!process.env.CI,
  retries: 0,
  reporter: 'list',
  outputDir: 'test-results',
  timeout: 30_000,
  expect: { timeout: 10_000 },
  use: {
    trace: 'retain-on-failure'
  },
  projects: [
    {
      name: 'renderer',
      testDir: 'test/e2e',
      use: {
        browserName: 'chromium',
        viewport: { width: 420, height: 600 },
        launchOptions: {
          executablePath: chromiumExecutable(),
          args: CHROMIUM_ARGS
        }
      }
    },
    {
      name: 'electron',
      testDir: 'test/e2e-electron'
    }
  ]
})
