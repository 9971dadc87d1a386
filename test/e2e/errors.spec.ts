import { byTestId, expect, shownCode, test } from './harness/app-fixture'

const createRequests = (app: { fake: { requests: { route: string }[] } }): number =>
  app.fake.requests.filter((request) => request.route === 'create').length

test('plex.tv failing to give a code: "busy; trying again in N s", no button, then a code', async ({
  app,
  page
}) => {
  // Twice, so that the second error (after about 2 s) finds the page loaded on a slow machine.
  app.fake.fault('create', { status: 503 }, { status: 503 })
  await app.open()

  await expect(byTestId(page, 'error-message')).toHaveText(
    /^plex\.tv is busy; trying again in \d+\ss\.$/
  )
  // The app retries by itself: no manual retry beside it, and not plex.tv's raw words.
  await expect(byTestId(page, 'new-code')).toBeHidden()
  await expect(page.getByText('HTTP 503')).toHaveCount(0)
  const raw = 'plex.tv is not answering properly (HTTP 503)'
  expect(app.pushed).toContainEqual({ phase: 'error', message: raw, retryAt: expect.any(Number) })

  await shownCode(app)
  await expect(byTestId(page, 'error-message')).toBeHidden()
  expect(createRequests(app)).toBe(3)
})

test('plex.tv rejecting the request: a sentence, plex.tv’s words as a footnote, "Try again"', async ({
  app,
  page
}) => {
  app.fake.fault('create', { status: 400 })
  await app.open()

  await expect(byTestId(page, 'error-message')).toHaveText('plex.tv stopped the sign-in.')
  await expect(byTestId(page, 'status')).toHaveText(
    'plex.tv stopped the sign-in. Wait a moment, then try again.'
  )
  await expect(page.locator('.plex-said')).toHaveText('plex.tv said: “Bad Request”')
  await expect(byTestId(page, 'new-code')).toHaveText('Try again')
  // Final: the window was told of no retry, and the flow is over.
  expect(app.pushed.at(-1)).toEqual({ phase: 'error', message: 'Bad Request' })
  expect(app.main.session.state).toEqual({ phase: 'error', message: 'Bad Request' })

  await byTestId(page, 'new-code').click()
  await shownCode(app)
  await expect(byTestId(page, 'new-code')).toHaveText('Get a new code')
  expect(createRequests(app)).toBe(2)
})

test('retrying by itself shows no button; once it gives up, the "Try again" button', async ({
  app,
  page
}) => {
  // Every request for a code is rate-limited for a second: five tries, then it gives up.
  app.fake.failAlways('create', { retryAfter: '1' })
  await app.open()

  const message = byTestId(page, 'error-message')
  const tryAgain = byTestId(page, 'new-code')
  await expect(message).toHaveText(/^plex\.tv is busy; trying again in 1\ss\.$/)
  await expect(tryAgain).toBeHidden()

  await expect(message).toHaveText('plex.tv stopped the sign-in.')
  await expect(tryAgain).toBeVisible()
  await expect(tryAgain).toHaveText('Try again')
  await expect(page.locator('.plex-said')).toHaveText('plex.tv said: “API rate limit exceeded”')
  // Every error state the window saw while retrying came with retryAt; the last one without.
  const errors = app.pushed.filter((state) => state.phase === 'error')
  expect(errors.slice(0, -1).every((state) => state.retryAt !== undefined)).toBe(true)
  expect(errors.at(-1)?.retryAt).toBeUndefined()

  app.fake.failAlways('create', undefined)
  await tryAgain.click()
  await shownCode(app)
})
