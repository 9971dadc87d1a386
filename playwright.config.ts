import { existsSync } from 'node:fs'
import { chromium, defineConfig } from '@playwright/test'
import { findElectronBinary } from './scripts/electron-binary.mjs'

// Playwright's own Chromium when it has been downloaded, the system one otherwise (Debian's
// /usr/bin/chromium), so the suite runs where `npx playwright install` cannot.
function chromiumExecutable(): string | undefined {
  try {
    const own = chromium.executablePath()
    if (own && existsSync(own)) return undefined // Playwright finds it by itself
  } catch {
    // not downloaded for this platform
  }
  return existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : undefined
}

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
          args: [
            '--no-sandbox',
            '--disable-gpu',
            '--disable-background-networking',
            '--disable-component-update',
            '--disable-sync',
            '--no-first-run'
          ]
        }
      }
    },
    {
      name: 'electron',
      testDir: 'test/e2e-electron'
    }
  ]
})
