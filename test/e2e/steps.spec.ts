// The steps after sign-in in the window (issue 10 §3): --profile and --server with `ask`, against
// the fake plex.tv's Home and fake media servers on loopback.

import type { Page } from '@playwright/test'
import { refusedPort } from '../fake-media-server/fake-media-server'
import { DEMO_HOME_USERS } from '../fake-plex/fake-plex-home'
import { loopbackConnection } from '../fake-plex/fake-plex-resources'
import { DEMO_OWN_SERVER_ID, DEMO_SHARED_SERVER_ID, demoServers } from '../fake-plex/demo-servers'
import { seriousA11yViolations } from './harness/accessibility'
import { byTestId, expect, shownCode, test } from './harness/app-fixture'
import type { StepsSetup } from './harness/main-process'
import { AVATAR_ORIGIN, type RendererApp } from './harness/renderer-app'

const [ADMIN, KIDS, ALEX] = DEMO_HOME_USERS.map((user) => user)
// Kids has a picture, served locally; the others show their initial.
const HOME = DEMO_HOME_USERS.map((user) =>
  user.uuid === KIDS!.uuid ? { ...user, thumb: `${AVATAR_ORIGIN}/avatar.png` } : user
)

const BOTH: StepsSetup = { profile: 'ask', server: 'ask', home: HOME, resources: demoServers }

async function signInToSteps(app: RendererApp): Promise<string> {
  await app.open()
  const code = await shownCode(app)
  return app.approve(code)
}

const profileOption = (page: Page, uuid: string) =>
  page.locator(`[data-testid="profile-option"][data-uuid="${uuid}"]`)
const serverOption = (page: Page, id: string) =>
  page.locator(`[data-testid="server-option"][data-machine-identifier="${id}"]`)

test.describe('profile and server, both asked', () => {
  test.use({ appOptions: { steps: BOTH } })

  test('shows the Home profiles with their pictures, then the servers, then hands both over', async ({
    app,
    page
  }) => {
    await signInToSteps(app)
    const options = page.getByTestId('profile-option')
    await expect(options).toHaveCount(HOME.length)
    expect(await options.evaluateAll((all) => all.map((o) => o.getAttribute('data-uuid')))).toEqual(
      HOME.map((user) => user.uuid)
    )
    await expect(profileOption(page, KIDS!.uuid).locator('img')).toHaveAttribute(
      'src',
      /^data:image\/png;base64,/
    )
    await expect(profileOption(page, ALEX!.uuid).locator('.lock')).toHaveCount(1)
    await expect(profileOption(page, KIDS!.uuid).locator('.lock')).toHaveCount(0)
    await expect(profileOption(page, ADMIN!.uuid)).toBeFocused()

    await profileOption(page, KIDS!.uuid).click()
    await expect(page.locator('[data-view="choose-server"]')).toBeVisible()
    const own = serverOption(page, DEMO_OWN_SERVER_ID)
    await expect(own).toBeEnabled()
    await expect(own).toContainText('Living Room')
    await expect(own).toContainText('Local')
    await expect(own).toContainText(/\d+\sms/)
    await expect(serverOption(page, DEMO_SHARED_SERVER_ID)).toContainText('Shared by friend')

    await own.click()
    await expect(byTestId(page, 'user-name')).toHaveText('Kids')
    await expect(page.getByTestId('chosen-server')).toHaveText('Server: Living Room')
    expect(app.main.home!.switches.map((s) => [s.uuid, s.status])).toEqual([[KIDS!.uuid, 201]])
    const state = app.main.session.state
    expect(state).toMatchObject({ phase: 'signed-in', server: { name: 'Living Room' } })
  })

  test('a protected profile takes its PIN on the pad; a wrong one is said and typed again', async ({
    app,
    page
  }) => {
    await signInToSteps(app)
    await profileOption(page, ALEX!.uuid).click()
    const pin = page.getByTestId('profile-pin')
    await expect(pin).toBeVisible()
    await expect(pin).toBeFocused()
    await expect(pin).toHaveAttribute('type', 'password')
    // The on-screen keys type too.
    for (const digit of ['9', '9', '9', '9']) await page.locator('.key', { hasText: digit }).click()
    await expect(pin).toHaveValue('9999')
    await page.getByTestId('profile-pin-submit').click()
    await expect(page.getByTestId('step-error')).toHaveText(/Wrong PIN for Alex \(4 tries left\)/)
    await expect(pin).toHaveValue('')
    await expect(pin).toBeFocused()

    await pin.pressSequentially('12a34') // a letter is dropped
    await expect(pin).toHaveValue('1234')
    await pin.press('Enter')
    await expect(page.locator('[data-view="choose-server"]')).toBeVisible()
    expect(app.main.home!.switches.map((s) => [s.pin, s.status])).toEqual([
      ['9999', 403],
      ['1234', 201]
    ])
    // The PIN was sent to the main side, and nothing of the switch came back to the window.
    const profileToken = app.main.home!.switches[1]!.token!
    expect(app.rendererTraffic()).not.toContain(profileToken)
  })

  test('five wrong PINs end the step with the profile error', async ({ app, page }) => {
    await signInToSteps(app)
    await profileOption(page, ALEX!.uuid).click()
    const pin = page.getByTestId('profile-pin')
    for (let attempt = 1; attempt <= 5; attempt++) {
      await pin.fill('0000')
      await page.getByTestId('profile-pin-submit').click()
      if (attempt < 5) {
        await expect(page.getByTestId('step-error')).toContainText(`${5 - attempt} `)
      }
    }
    // The sign-in stands; the step failed, and Try again runs it again.
    await expect(byTestId(page, 'error-message')).toHaveText(
      'Signed in, but the profile could not be switched to.'
    )
    await expect(page.locator('.error-advice')).toHaveText('Try again.')
    await expect(page.locator('.plex-said')).toHaveText(
      'Wrong profile PIN 5 times; try again later'
    )
    await expect(byTestId(page, 'new-code')).toHaveText('Try again')
    expect(app.main.home!.switches).toHaveLength(5)
    expect(app.main.session.state.phase).toBe('error')
  })

  test('back from the pad to the list, by keyboard', async ({ app, page }) => {
    await signInToSteps(app)
    await profileOption(page, ALEX!.uuid).focus()
    await page.keyboard.press('Enter')
    await expect(page.getByTestId('profile-pin')).toBeFocused()
    await page.getByRole('button', { name: 'Back' }).click()
    await expect(profileOption(page, ALEX!.uuid)).toBeFocused()
    await page.keyboard.press('Shift+Tab')
    await page.keyboard.press('Enter') // Kids, the one before Alex
    await expect(page.locator('[data-view="choose-server"]')).toBeVisible()
    expect(app.main.home!.switches.map((s) => s.uuid)).toEqual([KIDS!.uuid])
  })

  test('no token and no server address ever reaches the window', async ({ app, page }) => {
    const accountToken = await signInToSteps(app)
    await profileOption(page, KIDS!.uuid).click()
    await serverOption(page, DEMO_OWN_SERVER_ID).click()
    await expect(byTestId(page, 'user-name')).toHaveText('Kids')
    const traffic = app.rendererTraffic()
    const secrets = [
      accountToken,
      ...app.main.home!.switches.map((s) => s.token!),
      ...app.main.resources.map((r) => r.accessToken!)
    ]
    for (const secret of secrets) expect(traffic).not.toContain(secret)
    for (const resource of app.main.resources) {
      for (const connection of resource.connections) {
        expect(traffic).not.toContain(`:${connection.port}`)
      }
    }
  })

  test('both steps are accessible, light and dark', async ({ app, page }) => {
    await signInToSteps(app)
    await expect(profileOption(page, KIDS!.uuid).locator('img')).toHaveCount(1)
    for (const colorScheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme })
      expect(await seriousA11yViolations(page), `profiles, ${colorScheme}`).toEqual([])
    }
    await profileOption(page, ALEX!.uuid).click()
    await page.getByTestId('profile-pin').fill('0000')
    await page.getByTestId('profile-pin-submit').click()
    await expect(page.getByTestId('step-error')).toBeVisible()
    expect(await seriousA11yViolations(page), 'PIN pad with an error').toEqual([])
    await page.getByTestId('profile-pin').fill('1234')
    await page.getByTestId('profile-pin-submit').click()
    await expect(serverOption(page, DEMO_OWN_SERVER_ID)).toBeEnabled()
    for (const colorScheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme })
      expect(await seriousA11yViolations(page), `servers, ${colorScheme}`).toEqual([])
    }
  })
})

test.describe('servers that cannot be used', () => {
  test.use({
    appOptions: {
      steps: {
        server: 'ask',
        home: [],
        resources: async (media) => {
          const up = await media.start({
            behaviour: { kind: 'identity', machineIdentifier: 'good-server-1' }
          })
          const noToken = await media.start({
            behaviour: { kind: 'identity', machineIdentifier: 'no-token-server-2' }
          })
          const dead = `http://127.0.0.1:${await refusedPort()}`
          const server = (name: string, id: string, url: string, accessToken: string | null) => ({
            name,
            clientIdentifier: id,
            accessToken,
            owned: true,
            connections: [loopbackConnection(url)]
          })
          return [
            server('Attic', 'good-server-1', up.url, 'attic-token-0123'),
            server('Garage', 'no-token-server-2', noToken.url, null),
            server('Cellar', 'dead-server-3', dead, 'cellar-token-4567')
          ]
        }
      }
    }
  })

  test('are listed greyed with the reason, and only the usable one can be chosen', async ({
    app,
    page
  }) => {
    await signInToSteps(app)
    await expect(page.getByTestId('server-option')).toHaveCount(3)
    await expect(page.locator('.searching')).toHaveText('3 servers found.')
    await expect(serverOption(page, 'good-server-1')).toBeEnabled()
    await expect(serverOption(page, 'no-token-server-2')).toBeDisabled()
    await expect(serverOption(page, 'no-token-server-2')).toContainText('No access')
    await expect(serverOption(page, 'dead-server-3')).toBeDisabled()
    await expect(serverOption(page, 'dead-server-3')).toContainText('Not reachable')
    // The usable server comes first, and has focus.
    await expect(page.getByTestId('server-option').first()).toHaveAttribute(
      'data-machine-identifier',
      'good-server-1'
    )
    await expect(serverOption(page, 'good-server-1')).toBeFocused()

    // A page that forces its way past the greyed button is still refused by the main side.
    const refused = await page.evaluate(`window.plexLogin
      .chooseServer('dead-server-3')
      .then(() => 'accepted', () => 'refused')`)
    expect(refused).toBe('refused')
    expect(app.main.session.state.phase).toBe('choose-server')

    await page.keyboard.press('Enter')
    await expect(page.getByTestId('chosen-server')).toHaveText('Server: Attic')
    expect(app.rendererTraffic()).not.toContain('attic-token-0123')
  })
})
