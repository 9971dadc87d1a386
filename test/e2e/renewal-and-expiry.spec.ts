import {
  byTestId,
  CODE_PATTERN,
  expect,
  qrImageLoaded,
  shownCode,
  spelled,
  test,
  windowSnapshot
} from './harness/app-fixture'

test.describe('a code about to run out is renewed', () => {
  test.use({ appOptions: { fake: { pinLifetimeSeconds: 3 } } })

  test('a new code replaces the old one and is announced', async ({ app, page }) => {
    await app.open()
    const first = await shownCode(app)
    await expect(byTestId(page, 'pin-code')).not.toHaveText(first)
    await expect(byTestId(page, 'status')).toContainText('The code was renewed. Your new code is')

    // Code, link and announcement all name the same, newer code.
    const shown = await windowSnapshot(page)
    expect(shown.code).toMatch(CODE_PATTERN)
    expect(shown.code).not.toBe(first)
    expect(shown.href).toBe(`https://plex.tv/link/?pin=${shown.code}`)
    expect(shown.status).toBe(
      `The code was renewed. Your new code is ${spelled(shown.code)}. Enter it at plex.tv/link.`
    )
    expect(app.fake.pins.map((pin) => pin.code)).toEqual(
      expect.arrayContaining([first, shown.code])
    )
  })
})

test.describe('a code that runs out without renewal', () => {
  test.use({ appOptions: { fake: { pinLifetimeSeconds: 4 }, flow: { renew: false } } })

  test('shows the expired view, and "Get a new code" brings a fresh one', async ({ app, page }) => {
    await app.open()
    const first = await shownCode(app)
    await qrImageLoaded(page)

    await expect(page.locator('[data-view="expired"]')).toBeVisible()
    await expect(byTestId(page, 'status')).toHaveText(
      'The code expired. Get a new code to try again.'
    )
    await expect(byTestId(page, 'pin-code')).toBeHidden()
    await expect(byTestId(page, 'pin-code')).toHaveText('')
    await expect(byTestId(page, 'pin-qr').locator('*')).toHaveCount(0)
    await expect(byTestId(page, 'copy-code')).toBeHidden()
    await expect(byTestId(page, 'open-link')).toBeHidden()
    await expect(byTestId(page, 'new-code')).toBeVisible()
    expect(await page.content()).not.toContain(`>${first}<`)

    await byTestId(page, 'new-code').click()
    await expect(byTestId(page, 'pin-code')).toHaveText(CODE_PATTERN)
    await expect(byTestId(page, 'pin-code')).not.toHaveText(first)
    expect(app.fake.pins).toHaveLength(2)
  })
})
