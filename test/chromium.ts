// The one place that says which Chromium the tests, benchmarks and icon renderer drive, and how:
// Playwright's own where it has been downloaded, Debian's /usr/bin/chromium otherwise (where
// `npx playwright install` cannot run), with flags that keep it off the network.

import { existsSync } from 'node:fs'
import { chromium, type Browser } from '@playwright/test'

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run'
]

/** undefined: let Playwright use its own browser. */
export function chromiumExecutable(): string | undefined {
  try {
    const own = chromium.executablePath()
    if (own && existsSync(own)) return undefined
  } catch {
    // not downloaded for this platform
  }
  return existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : undefined
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: chromiumExecutable(), args: CHROMIUM_ARGS })
}
