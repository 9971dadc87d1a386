// Pictures of every view, light and dark, at the window's size. With UPDATE_SCREENSHOTS=1 they
// replace the set in docs/screenshots/; otherwise they go to test-results/screenshots/.

import { mkdirSync } from 'node:fs'
import { join, resolve } from 'node:path'
import type { Page } from '@playwright/test'
import {
  byTestId,
  expect,
  INSTALLER_QUERY,
  qrImageLoaded,
  shownCode,
  test
} from './harness/app-fixture'
import { AVATAR_ORIGIN, type RendererApp } from './harness/renderer-app'
import { DEMO_HOME_USERS } from '../fake-plex/fake-plex-home'
import { DEMO_OWN_SERVER_ID, demoServers } from '../fake-plex/demo-servers'

const ROOT = resolve(import.meta.dirname, '../..')
const OUT_DIR =
  process.env.UPDATE_SCREENSHOTS === '1'
    ? join(ROOT, 'docs/screenshots')
    : join(ROOT, 'test-results/screenshots')

// The window's content size (the tallest view, the code in installer mode, fits with room for
// larger fonts); the other views sit in its middle.
const WINDOW = { width: 420, height: 540 }

const STALE_TOKEN = 'stale-TOKEN-screenshots-0123'

type Capture = (view: string) => Promise<void>

for (const colorScheme of ['light', 'dark'] as const) {
  test.describe(colorScheme, () => {
    test.use({ colorScheme, viewport: WINDOW, appOptions: { flow: { renew: false } } })

    test(`every view, ${colorScheme}`, async ({ app, page }) => {
      const capture = capturer(app, colorScheme)
      // An earlier sign-in plex.tv no longer accepts: forgotten, and a code is shown.
      app.storeSignIn(STALE_TOKEN)
      app.fake.revoke(STALE_TOKEN)
      await app.open()
      await showsCode(app)
      await capture('waiting')

      app.approve()
      await showsSignedIn(page)
      await capture('signed-in')

      // Signing out asks for a new code, which plex.tv refuses for now.
      app.fake.fault('create', { retryAfter: '30' })
      await byTestId(page, 'sign-out').click()
      await expect(byTestId(page, 'error-message')).toHaveText(
        /^plex\.tv is busy; trying again in \d+\ss\.$/
      )
      await capture('error')

      // No button while it retries by itself: the main side starts over, as after the wait.
      app.main.session.newCode()
      await expect(byTestId(page, 'error-message')).toBeHidden()
      await shownCode(app)
      app.fake.expire()
      await expect(page.locator('[data-view="expired"]')).toBeVisible()
      await capture('expired')
    })

    test.describe('profile and server steps', () => {
      const home = DEMO_HOME_USERS.map((user, index) =>
        index === 1 ? { ...user, thumb: `${AVATAR_ORIGIN}/avatar.png` } : user
      )
      test.use({
        appOptions: {
          query: INSTALLER_QUERY,
          steps: { profile: 'ask', server: 'ask', home, resources: demoServers }
        }
      })

      test(`profiles, PIN and servers, ${colorScheme}`, async ({ app, page }) => {
        const capture = capturer(app, colorScheme)
        await app.open()
        app.approve(await shownCode(app))
        const [, kids, alex] = home
        const option = (uuid: string) => page.locator(`[data-uuid="${uuid}"]`)
        await expect(option(kids!.uuid).locator('img')).toBeVisible()
        await capture('choose-profile')

        await option(alex!.uuid).click()
        await page.getByTestId('profile-pin').fill('0000')
        await page.getByTestId('profile-pin-submit').click()
        await expect(page.getByTestId('step-error')).toBeVisible()
        await page.getByTestId('profile-pin').fill('12')
        await capture('profile-pin')

        await page.getByTestId('profile-pin').fill('1234')
        await page.getByTestId('profile-pin-submit').click()
        const own = page.locator(`[data-machine-identifier="${DEMO_OWN_SERVER_ID}"]`)
        await expect(own).toBeEnabled()
        await expect(page.locator('.searching')).toHaveText(/servers found/)
        // Latencies differ run to run: the picture shows fixed ones.
        await page.evaluate(`(() => {
          for (const note of document.querySelectorAll('.server .option-notes'))
            note.textContent = note.textContent.replace(/\\d+\\sms/, '4\\u00a0ms')
        })()`)
        await capture('choose-server')

        await own.click()
        await expect(page.getByTestId('chosen-server')).toBeVisible()
        await capture('signed-in-server')
      })
    })

    test.describe('installer mode', () => {
      test.use({ appOptions: { query: INSTALLER_QUERY } })

      test(`waiting and signed in, ${colorScheme}`, async ({ app, page }) => {
        const capture = capturer(app, colorScheme)
        app.storeSignIn(STALE_TOKEN)
        app.fake.revoke(STALE_TOKEN)
        await app.open()
        await showsCode(app)
        await expect(byTestId(page, 'cancel')).toBeVisible()
        await capture('waiting-installer')

        app.approve()
        await showsSignedIn(page)
        await expect(byTestId(page, 'handoff-note')).toBeVisible()
        await capture('signed-in-installer')
      })
    })
  })
}

function capturer(app: RendererApp, colorScheme: string): Capture {
  mkdirSync(OUT_DIR, { recursive: true })
  return async (view) => {
    await expectNoTokenInPage(app)
    await app.page.screenshot({
      path: join(OUT_DIR, `${view}-${colorScheme}.png`),
      animations: 'disabled',
      caret: 'hide'
    })
  }
}

async function showsCode(app: RendererApp): Promise<void> {
  await shownCode(app)
  await qrImageLoaded(app.page)
  await expect(byTestId(app.page, 'pin-countdown')).toHaveText(/^1[45]:\d\d$/)
}

async function showsSignedIn(page: Page): Promise<void> {
  await expect(byTestId(page, 'user-name')).toBeVisible()
  await expect(page.locator('img.avatar')).toBeVisible()
  await expect
    .poll(() =>
      page.locator('img.avatar').evaluate((img) => (img as { complete?: boolean }).complete)
    )
    .toBe(true)
}

async function expectNoTokenInPage(app: RendererApp): Promise<void> {
  expect(app.tokens.length).toBeGreaterThan(0)
  const html = await app.page.content()
  for (const token of app.tokens) {
    expect(html).not.toContain(token)
    expect(app.rendererTraffic()).not.toContain(token)
  }
}
