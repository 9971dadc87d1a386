import { byTestId, expect, shownCode, test } from './harness/app-fixture'

test('plex.tv failing to give a code: error, "Retrying in N s", then a code', async ({
  app,
  page
}) => {
  app.fake.fault('create', { status: 503 })
  await app.open()

  const message = 'plex.tv is not answering properly (HTTP 503)'
  await expect(byTestId(page, 'error-message')).toBeVisible()
  await expect(byTestId(page, 'error-message')).toHaveText(message)
  await expect(page.locator('.retry')).toHaveText(/^Retrying in \d+ s$/)
  await expect(byTestId(page, 'new-code')).toBeVisible()
  expect(app.pushed).toContainEqual({ phase: 'error', message, retryAt: expect.any(Number) })

  await shownCode(app)
  await expect(byTestId(page, 'error-message')).toBeHidden()
  await expect(page.locator('.retry')).toBeHidden()
  expect(app.fake.requests.filter((request) => request.route === 'create')).toHaveLength(2)
})

test('plex.tv rejecting the request: an error without retry, until asked again', async ({
  app,
  page
}) => {
  app.fake.fault('create', { status: 400 })
  await app.open()

  await expect(byTestId(page, 'error-message')).toHaveText('Bad Request')
  await expect(byTestId(page, 'status')).toHaveText('Bad Request')
  await expect(page.locator('.retry')).toBeHidden()
  await expect(byTestId(page, 'new-code')).toBeVisible()
  // Final: the window was told of no retry, and the flow is over.
  expect(app.pushed.at(-1)).toEqual({ phase: 'error', message: 'Bad Request' })
  expect(app.main.session.state).toEqual({ phase: 'error', message: 'Bad Request' })

  await byTestId(page, 'new-code').click()
  await shownCode(app)
  expect(app.fake.requests.filter((request) => request.route === 'create')).toHaveLength(2)
})
