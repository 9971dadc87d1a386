// The Playwright fixture: `app` is a RendererApp set up with `appOptions` (test.use) and torn
// down after the test. The page is not loaded until the test calls app.open().

import { test as base, expect, type Locator, type Page } from '@playwright/test'
import { RendererApp, type RendererAppOptions } from './renderer-app'

export const test = base.extend<{ appOptions: RendererAppOptions; app: RendererApp }>({
  appOptions: [{}, { option: true }],
  app: async ({ page, appOptions }, use) => {
    const app = await RendererApp.create(page, appOptions)
    await use(app)
    await app.dispose()
  }
})

export { expect }

export const TEST_IDS = [
  'pin-code',
  'pin-qr',
  'pin-countdown',
  'pin-link',
  'status',
  'error-message',
  'user-name',
  'copy-code',
  'open-link',
  'new-code',
  'sign-out',
  'cancel',
  'requester',
  'handoff-note'
] as const

export type TestId = (typeof TEST_IDS)[number]

export const byTestId = (page: Page, id: TestId): Locator => page.getByTestId(id)

export const CODE_PATTERN = /^[A-Z0-9]{4}$/

/** Waits until the QR image is drawn and decoded by the browser. */
export async function qrImageLoaded(page: Page): Promise<Locator> {
  const image = byTestId(page, 'pin-qr').locator('img')
  await expect(image).toBeVisible()
  await expect
    .poll(() =>
      image.evaluate((img) => {
        const { complete, naturalWidth } = img as unknown as {
          complete: boolean
          naturalWidth: number
        }
        return complete && naturalWidth > 0
      })
    )
    .toBe(true)
  return image
}

/** Waits for a code to show and returns it, checked against what the fake plex.tv issued. */
export async function shownCode(app: RendererApp): Promise<string> {
  const code = byTestId(app.page, 'pin-code')
  await expect(code).toHaveText(CODE_PATTERN)
  const text = (await code.textContent()) ?? ''
  expect(app.fake.pins.map((pin) => pin.code)).toContain(text)
  return text
}

/** Opens the window, waits for a code, approves it and waits for the signed-in view. */
export async function signIn(app: RendererApp): Promise<string> {
  await app.open()
  const code = await shownCode(app)
  const token = app.approve(code)
  await expect(byTestId(app.page, 'user-name')).toHaveText(app.fake.user.title)
  return token
}

export interface WindowSnapshot {
  code: string
  href: string
  status: string
}

/** Code, link and status read in one go, for views that can change between two reads. */
export async function windowSnapshot(page: Page): Promise<WindowSnapshot> {
  return page.evaluate(`(() => {
    const text = (id) => document.querySelector('[data-testid="' + id + '"]').textContent
    return {
      code: text('pin-code'),
      href: document.querySelector('[data-testid="pin-link"]').getAttribute('href'),
      status: text('status')
    }
  })()`)
}

/** The page's address as an installer run of the app builds it (--json / --output, --product). */
export const INSTALLER_QUERY = '?installer=1&product=My%20Media%20App'

/** "K7QZ" → "K 7 Q Z", as the window spells a code for screen readers. */
export const spelled = (code: string): string => [...code].join(' ')
