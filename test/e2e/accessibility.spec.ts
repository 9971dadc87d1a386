import type { Page } from '@playwright/test'
import {
  byTestId,
  expect,
  INSTALLER_QUERY,
  qrImageLoaded,
  shownCode,
  test
} from './harness/app-fixture'
import { seriousA11yViolations } from './harness/accessibility'

/** No serious or critical axe findings, in the light and the dark theme. */
async function expectAccessible(page: Page, view: string): Promise<void> {
  for (const colorScheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme })
    expect(await page.evaluate(`matchMedia('(prefers-color-scheme: dark)').matches`)).toBe(
      colorScheme === 'dark'
    )
    expect(await seriousA11yViolations(page), `${view}, ${colorScheme}`).toEqual([])
  }
}

test('starting', async ({ app, page }) => {
  // plex.tv takes its time with the code (the client gives up after 10 s).
  app.fake.fault('create', { delayMs: 20_000 })
  await app.open()
  await expect(byTestId(page, 'status')).toHaveText('Asking plex.tv for a code…')
  await expect(byTestId(page, 'status')).toBeVisible() // the only thing this view shows
  await expectAccessible(page, 'starting')
  expect(app.main.session.state.phase).toBe('starting')
})

test('waiting', async ({ app, page }) => {
  await app.open()
  await shownCode(app)
  await qrImageLoaded(page)
  await expectAccessible(page, 'waiting')
})

test.describe('expired', () => {
  test.use({ appOptions: { flow: { renew: false } } })

  test('expired', async ({ app, page }) => {
    await app.open()
    await shownCode(app)
    app.fake.expire()
    await expect(page.locator('[data-view="expired"]')).toBeVisible()
    await expectAccessible(page, 'expired')
  })
})

test('error, retrying', async ({ app, page }) => {
  app.fake.fault('create', { retryAfter: '600' })
  await app.open()
  await expect(byTestId(page, 'error-message')).toHaveText(/trying again in \d+\smin\.$/)
  await expectAccessible(page, 'error with retry')
})

test('error, final', async ({ app, page }) => {
  app.fake.fault('create', { status: 400 })
  await app.open()
  await expect(page.locator('.plex-said')).toBeVisible()
  await expectAccessible(page, 'final error')
})

test('signed in', async ({ app, page }) => {
  await app.open()
  app.approve(await shownCode(app))
  await expect(byTestId(page, 'user-name')).toBeVisible()
  await expect(page.locator('img.avatar')).toBeVisible()
  await expectAccessible(page, 'signed in')
})

test.describe('signed in, unverified, plain-file storage', () => {
  test.use({ appOptions: { query: '?tokenStorage=plain' } })

  test('signed in, unverified', async ({ app, page }) => {
    app.storeSignIn('stored-TOKEN-a11y-0123456789')
    app.fake.failAlways('user', { status: 503 })
    await app.open()
    await expect(page.getByText('could not be reached')).toBeVisible()
    await expect(page.getByText('This system offers no keyring')).toBeVisible()
    await expectAccessible(page, 'signed in, unverified')
  })
})

test.describe('installer mode', () => {
  test.use({ appOptions: { query: INSTALLER_QUERY } })

  test('waiting, with the app that asked and Cancel', async ({ app, page }) => {
    await app.open()
    await shownCode(app)
    await qrImageLoaded(page)
    await expect(byTestId(page, 'cancel')).toBeVisible()
    await expectAccessible(page, 'installer, waiting')
  })

  test('signed in, going back to the app that asked', async ({ app, page }) => {
    await app.open()
    app.approve(await shownCode(app))
    await expect(byTestId(page, 'handoff-note')).toBeVisible()
    await expectAccessible(page, 'installer, signed in')
  })
})
