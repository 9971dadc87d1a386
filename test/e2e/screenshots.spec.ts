// Pictures of every view, light and dark, at the window's size. With UPDATE_SCREENSHOTS=1 they
// replace the set in docs/screenshots/; otherwise they go to test-results/screenshots/.

import { mkdirSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { byTestId, expect, qrImageLoaded, shownCode, test } from './harness/app-fixture'
import type { RendererApp } from './harness/renderer-app'

const ROOT = resolve(import.meta.dirname, '../..')
const OUT_DIR =
  process.env.UPDATE_SCREENSHOTS === '1'
    ? join(ROOT, 'docs/screenshots')
    : join(ROOT, 'test-results/screenshots')

const STALE_TOKEN = 'stale-TOKEN-screenshots-0123'

for (const colorScheme of ['light', 'dark'] as const) {
  test.describe(colorScheme, () => {
    test.use({
      colorScheme,
      viewport: { width: 420, height: 600 },
      appOptions: { flow: { renew: false } }
    })

    test(`every view, ${colorScheme}`, async ({ app, page }) => {
      mkdirSync(OUT_DIR, { recursive: true })
      const capture = async (view: string): Promise<void> => {
        await expectNoTokenInPage(app)
        await page.screenshot({
          path: join(OUT_DIR, `${view}-${colorScheme}.png`),
          animations: 'disabled',
          caret: 'hide'
        })
      }

      // An earlier sign-in plex.tv no longer accepts: forgotten, and a code is shown.
      app.storeSignIn(STALE_TOKEN)
      app.fake.revoke(STALE_TOKEN)
      await app.open()
      await shownCode(app)
      await qrImageLoaded(page)
      await expect(byTestId(page, 'pin-countdown')).toHaveText(/^1[45]:\d\d$/)
      await capture('waiting')

      app.approve()
      await expect(byTestId(page, 'user-name')).toBeVisible()
      await expect
        .poll(() =>
          page.locator('img.avatar').evaluate((img) => (img as { complete?: boolean }).complete)
        )
        .toBe(true)
      await expect(page.locator('img.avatar')).toBeVisible()
      await capture('signed-in')

      // Signing out asks for a new code, which plex.tv refuses for now.
      app.fake.fault('create', { retryAfter: '30' })
      await byTestId(page, 'sign-out').click()
      await expect(byTestId(page, 'error-message')).toBeVisible()
      await expect(page.locator('.retry')).toHaveText('Retrying in 30 s')
      await capture('error')

      await byTestId(page, 'new-code').click()
      await shownCode(app)
      app.fake.expire()
      await expect(page.locator('[data-view="expired"]')).toBeVisible()
      await capture('expired')
    })
  })
}

async function expectNoTokenInPage(app: RendererApp): Promise<void> {
  expect(app.tokens.length).toBeGreaterThan(0)
  const html = await app.page.content()
  for (const token of app.tokens) {
    expect(html).not.toContain(token)
    expect(app.rendererTraffic()).not.toContain(token)
  }
}
