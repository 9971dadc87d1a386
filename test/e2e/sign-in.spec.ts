import { formatCountdown } from '../../src/shared/format-countdown'
import { byTestId, expect, qrImageLoaded, shownCode, spelled, test } from './harness/app-fixture'
import { decodeQrPng } from './harness/qr-decode'

test('a full sign-in: code, link, countdown, approval, signed in', async ({ app, page }) => {
  await app.open()
  const code = await shownCode(app)
  expect(app.fake.pins).toHaveLength(1)
  expect(code).toBe(app.fake.pins[0]?.code)
  await expect(byTestId(page, 'pin-link')).toHaveAttribute(
    'href',
    `https://plex.tv/link/?pin=${code}`
  )
  await expect(byTestId(page, 'pin-countdown')).toHaveText(/^\d+:\d\d$/)
  await expect(byTestId(page, 'status')).toHaveText(
    `Your code is ${spelled(code)}. Enter it at plex.tv/link.`
  )
  for (const id of ['copy-code', 'open-link', 'new-code'] as const) {
    await expect(byTestId(page, id)).toBeVisible()
  }
  await expect(byTestId(page, 'sign-out')).toBeHidden()
  await qrImageLoaded(page)

  const token = app.approve(code)
  await expect(byTestId(page, 'user-name')).toHaveText(app.fake.user.title)
  await expect(byTestId(page, 'status')).toHaveText(`Signed in as ${app.fake.user.title}.`)
  await expect(page.getByText(app.fake.user.email)).toBeVisible()
  await expect(byTestId(page, 'sign-out')).toBeVisible()
  for (const id of ['pin-code', 'pin-qr', 'copy-code', 'open-link', 'new-code'] as const) {
    await expect(byTestId(page, id)).toBeHidden()
  }
  // The account picture arrives as a data: URL fetched by the main side.
  const avatar = page.locator('img.avatar')
  await expect(avatar).toBeVisible()
  await expect(avatar).toHaveAttribute('src', /^data:image\/png;base64,/)
  expect((await app.main.store.load())?.token).toBe(token)

  // The token stays in the main process: not pushed, not answered, not in the page.
  expect(app.pushed.some((state) => state.phase === 'signed-in')).toBe(true)
  expect(app.rendererTraffic()).not.toContain(token)
  expect(await page.content()).not.toContain(token)
})

test('the QR code decodes to the link for the code on screen', async ({ app, page }) => {
  await app.open()
  const code = await shownCode(app)
  await qrImageLoaded(page)
  const png = await byTestId(page, 'pin-qr').screenshot({ animations: 'disabled' })
  expect(decodeQrPng(png)).toBe(`https://plex.tv/link/?pin=${code}`)
  expect(decodeQrPng(png)).toBe(app.latestWaiting()?.linkUrl)
})

test('the countdown counts down with the clock', async ({ app, page }) => {
  // The window's clock starts a minute behind the main side's, then is pinned to the moment
  // the code was issued, so the countdown reads exactly the code's lifetime.
  await page.clock.install({ time: Date.now() - 60_000 })
  await app.open()
  await shownCode(app)
  const waiting = app.latestWaiting()
  expect(waiting?.expiresIn).toBe(900)
  const issuedAt = (waiting?.expiresAt ?? 0) - 900_000
  const countdown = byTestId(page, 'pin-countdown')
  const meter = page.getByRole('progressbar', { name: 'Time left for this code' })

  await page.clock.pauseAt(issuedAt + 1)
  await expect(countdown).toHaveText('15:00')
  await expect(meter).toHaveAttribute('aria-valuenow', '100')

  await page.clock.fastForward('00:30')
  await expect(countdown).toHaveText('14:30')

  await page.clock.runFor('07:30')
  await expect(countdown).toHaveText('7:00')
  await expect(meter).toHaveAttribute('aria-valuenow', '47')

  await page.clock.runFor(6 * 60_000 + 59_000)
  await expect(countdown).toHaveText(formatCountdown(1_000))
})
