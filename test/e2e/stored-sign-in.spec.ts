import { byTestId, CODE_PATTERN, expect, shownCode, signIn, test } from './harness/app-fixture'

const STORED_TOKEN = 'stored-TOKEN-e2e-0123456789'

const createRequests = (app: { fake: { requests: { route: string }[] } }): number =>
  app.fake.requests.filter((request) => request.route === 'create').length

test('a stored token plex.tv still accepts signs in at once, without a code', async ({
  app,
  page
}) => {
  app.storeSignIn(STORED_TOKEN)
  await app.open()
  await expect(byTestId(page, 'user-name')).toHaveText(app.fake.user.title)
  await expect(page.getByText('could not be reached')).toBeHidden()
  await expect(page.locator('img.avatar')).toHaveAttribute('src', /^data:image\/png;base64,/)
  expect(createRequests(app)).toBe(0)
  expect((await app.main.store.load())?.token).toBe(STORED_TOKEN)
  expect(app.rendererTraffic()).not.toContain(STORED_TOKEN)
  expect(await page.content()).not.toContain(STORED_TOKEN)
})

test('a stored token plex.tv refuses (401) is forgotten and a fresh code shows', async ({
  app,
  page
}) => {
  app.storeSignIn(STORED_TOKEN)
  app.fake.revoke(STORED_TOKEN)
  await app.open()
  await shownCode(app)
  await expect(byTestId(page, 'user-name')).toBeHidden()
  expect(await app.main.store.load()).toBeUndefined()
  expect(createRequests(app)).toBe(1)
  expect(app.rendererTraffic()).not.toContain(STORED_TOKEN)
})

test('plex.tv unreachable at start: still signed in, with the "could not be reached" note', async ({
  app,
  page
}) => {
  app.storeSignIn(STORED_TOKEN)
  app.fake.failAlways('user', { status: 503 })
  await app.open()
  await expect(byTestId(page, 'user-name')).toHaveText(app.fake.user.title)
  await expect(page.getByText('could not be reached')).toBeVisible()
  await expect(byTestId(page, 'sign-out')).toBeVisible()
  expect(createRequests(app)).toBe(0)
  expect((await app.main.store.load())?.token).toBe(STORED_TOKEN) // an outage says nothing about the token
  expect(app.rendererTraffic()).not.toContain(STORED_TOKEN)
})

test('signing out revokes the token at plex.tv and shows a fresh code', async ({ app, page }) => {
  const token = await signIn(app)
  const firstCode = app.fake.pins[0]?.code
  expect(app.fake.isValidToken(token)).toBe(true)

  await byTestId(page, 'sign-out').click()
  await expect(byTestId(page, 'pin-code')).toHaveText(CODE_PATTERN)
  await expect(byTestId(page, 'pin-code')).not.toHaveText(firstCode ?? '')
  await expect(byTestId(page, 'user-name')).toBeHidden()
  expect(app.fake.isValidToken(token)).toBe(false)
  expect(await app.main.store.load()).toBeUndefined()
  expect(app.fake.requests.filter((request) => request.route === 'signout')).toHaveLength(1)
  expect(app.rendererTraffic()).not.toContain(token)
  expect(await page.content()).not.toContain(token)
})
