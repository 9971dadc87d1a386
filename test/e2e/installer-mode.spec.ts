// Started by an installer (--json / --output, --product): the window names the app that asked,
// offers Cancel, and once signed in sends the person back to that app.

import { byTestId, expect, INSTALLER_QUERY, shownCode, test, TEST_IDS } from './harness/app-fixture'

test('on its own, the window names itself and offers no Cancel', async ({ app, page }) => {
  await app.open()
  await shownCode(app)
  await expect(byTestId(page, 'requester')).toHaveText(
    'Plex Login Helper wants to use your Plex account'
  )
  await expect(byTestId(page, 'cancel')).toBeHidden()

  app.approve()
  await expect(byTestId(page, 'sign-out')).toBeVisible()
  await expect(byTestId(page, 'handoff-note')).toBeHidden()
})

test.describe('installer mode', () => {
  test.use({ appOptions: { query: INSTALLER_QUERY } })

  test('names the app that asked, and Cancel asks the main process to end', async ({
    app,
    page
  }) => {
    await app.open()
    await shownCode(app)
    await expect(byTestId(page, 'requester')).toHaveText(
      'My Media App wants to use your Plex account'
    )
    const cancel = byTestId(page, 'cancel')
    await expect(cancel).toBeVisible()
    await cancel.click()
    await expect.poll(() => app.main.cancelCount).toBe(1)
    expect(app.ipc.at(-1)).toMatchObject({ channel: 'plex-login:cancel', args: [], ok: true })
  })

  test('Cancel stays while the app retries by itself, when nothing else is there', async ({
    app,
    page
  }) => {
    app.fake.failAlways('create', { retryAfter: '30' })
    await app.open()
    await expect(byTestId(page, 'error-message')).toHaveText(/trying again in \d+\ss/)
    await expect(byTestId(page, 'new-code')).toBeHidden()
    await expect(byTestId(page, 'cancel')).toBeVisible()
  })

  test('signed in: back to the app that asked, the window closes, no Sign out', async ({
    app,
    page
  }) => {
    await app.open()
    app.approve(await shownCode(app))
    await expect(byTestId(page, 'user-name')).toHaveText(app.fake.user.title)
    await expect(byTestId(page, 'handoff-note')).toHaveText(
      'You can go back to My Media App now. This window closes by itself in a few seconds.'
    )
    await expect(byTestId(page, 'status')).toHaveText(
      `Signed in as ${app.fake.user.title}. You can go back to My Media App now.`
    )
    // Signing out here would revoke the token just handed to the installer.
    for (const id of TEST_IDS.filter((id) => ['sign-out', 'cancel', 'new-code'].includes(id)))
      await expect(byTestId(page, id)).toBeHidden()
  })
})

test.describe('a product name that is not plain text', () => {
  const hostile = `<img src=x onerror=alert(1)>\u001b[31mRed\u202e${'n'.repeat(100)}`
  test.use({ appOptions: { query: `?installer=1&product=${encodeURIComponent(hostile)}` } })

  test('is shown as text, on one clean line, capped', async ({ app, page }) => {
    await app.open()
    await shownCode(app)
    const name = page.locator('[data-testid="requester"] .product-name')
    const shown = (await name.textContent()) ?? ''
    expect(shown.startsWith('<img src=x onerror=alert(1)>Red n')).toBe(true)
    expect(shown.endsWith('…')).toBe(true)
    expect([...shown]).toHaveLength(60)
    expect(shown).not.toContain('\u001b')
    expect(shown).not.toContain('\u202e')
    await expect(page.locator('img[src="x"]')).toHaveCount(0)
  })
})

test.describe('an empty product name', () => {
  test.use({ appOptions: { query: '?installer=1&product=%20%1b%20' } })

  test('falls back to the app’s own name', async ({ app, page }) => {
    await app.open()
    await shownCode(app)
    await expect(byTestId(page, 'requester')).toHaveText(
      'Plex Login Helper wants to use your Plex account'
    )
  })
})
