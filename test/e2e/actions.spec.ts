import type { Locator } from '@playwright/test'
import { byTestId, CODE_PATTERN, expect, shownCode, test } from './harness/app-fixture'

/** Focused, matching :focus-visible, and drawn with a real outline. */
async function expectVisibleFocus(target: Locator): Promise<void> {
  await expect(target).toBeFocused()
  const focus = await target.evaluate((element) => {
    const page = globalThis as unknown as { getComputedStyle(e: unknown): Record<string, string> }
    const style = page.getComputedStyle(element)
    return {
      focusVisible: (element as unknown as { matches(s: string): boolean }).matches(
        ':focus-visible'
      ),
      outlineStyle: style.outlineStyle,
      outlineWidth: parseFloat(style.outlineWidth ?? '0')
    }
  })
  expect(focus.focusVisible).toBe(true)
  expect(focus.outlineStyle).not.toBe('none')
  expect(focus.outlineWidth).toBeGreaterThanOrEqual(2)
}

test('"Copy code" puts exactly the code on the clipboard', async ({ app, page }) => {
  await app.open()
  const code = await shownCode(app)
  await byTestId(page, 'copy-code').click()
  await expect.poll(() => app.main.clipboard).toEqual([code])
  await expect(byTestId(page, 'copy-code')).toHaveText('Copied')
  await expect(byTestId(page, 'status')).toHaveText('Copied')
  await expect(byTestId(page, 'copy-code')).toHaveText('Copy code') // the label comes back
})

test('"Open plex.tv/link" opens exactly the link, in the system browser', async ({ app, page }) => {
  await app.open()
  const code = await shownCode(app)
  await byTestId(page, 'open-link').click()
  await expect.poll(() => app.main.openedExternally).toEqual([`https://plex.tv/link/?pin=${code}`])

  // The link in the instructions goes the same way; the window itself never navigates.
  await byTestId(page, 'pin-link').click()
  await expect.poll(() => app.main.openedExternally).toHaveLength(2)
  expect(app.main.openedExternally[1]).toBe(`https://plex.tv/link/?pin=${code}`)
  expect(page.url()).toBe(app.pageUrl)
})

test('the keyboard reaches every button with visible focus; Enter and Space press them', async ({
  app,
  page
}) => {
  await app.open()
  const code = await shownCode(app)

  await page.keyboard.press('Tab')
  await expectVisibleFocus(byTestId(page, 'pin-link'))

  await page.keyboard.press('Tab')
  await expectVisibleFocus(byTestId(page, 'copy-code'))
  await page.keyboard.press('Enter')
  await expect.poll(() => app.main.clipboard).toEqual([code])
  await expectVisibleFocus(byTestId(page, 'copy-code')) // pressing a button keeps focus on it

  await page.keyboard.press('Tab')
  await expectVisibleFocus(byTestId(page, 'open-link'))
  await page.keyboard.press('Space')
  await expect.poll(() => app.main.openedExternally).toEqual([`https://plex.tv/link/?pin=${code}`])

  await page.keyboard.press('Tab')
  await expectVisibleFocus(byTestId(page, 'new-code'))
  await page.keyboard.press('Enter')
  await expect(byTestId(page, 'pin-code')).not.toHaveText(code)
  const second = await shownCode(app)
  // The button went away with the old code (no buttons while asking): focus comes back to the
  // first button of the new code rather than falling to the top of the page.
  await expectVisibleFocus(byTestId(page, 'copy-code'))

  // Signing in hides the focused button: focus moves on to "Sign out", still visible.
  app.approve(second)
  await expect(byTestId(page, 'user-name')).toHaveText(app.fake.user.title)
  await expectVisibleFocus(byTestId(page, 'sign-out'))
  await page.keyboard.press('Space')
  await expect(byTestId(page, 'pin-code')).toHaveText(CODE_PATTERN)
  await expect(byTestId(page, 'pin-code')).not.toHaveText(second)
  expect(app.fake.requests.filter((request) => request.route === 'signout')).toHaveLength(1)
})

test.describe('a clipboard that refuses the code', () => {
  test.use({ appOptions: { clipboardFails: true } })

  test('"Copied" shows only once the copy worked; a failure says so', async ({ app, page }) => {
    await app.open()
    await shownCode(app)
    await byTestId(page, 'copy-code').click()
    await expect(byTestId(page, 'status')).toHaveText(
      'The code could not be copied. Select it and copy it yourself.'
    )
    await expect(byTestId(page, 'status')).toBeVisible()
    expect(app.ipc.filter((record) => record.channel === 'plex-login:copy-code')).toEqual([
      expect.objectContaining({ ok: false })
    ])
    await expect(byTestId(page, 'copy-code')).toHaveText('Copy code')
    expect(app.main.clipboard).toEqual([])
  })
})
