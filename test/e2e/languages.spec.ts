// Every view in every language, at the window's size: the page speaks the language the main
// process put in its address (html lang and dir), none of English's words are left over, no
// text is clipped, nothing scrolls (the window has one fixed size), axe finds nothing serious,
// and Arabic is laid out right to left. Each state is reached once; the page is then reloaded in
// each language, except the profile and server steps, walked once per language.
// Pictures of the window in German and Arabic go beside screenshots.spec.ts's.

import { mkdirSync, readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import type { Page } from '@playwright/test'
import { LANGUAGES } from '../../src/shared/i18n/languages'
import { DEMO_HOME_USERS } from '../fake-plex/fake-plex-home'
import { DEMO_OWN_SERVER_ID, demoServers } from '../fake-plex/demo-servers'
import {
  byTestId,
  expect,
  INSTALLER_QUERY,
  qrImageLoaded,
  shownCode,
  test
} from './harness/app-fixture'
import { seriousA11yViolations } from './harness/accessibility'
import type { RendererApp } from './harness/renderer-app'

const ROOT = resolve(import.meta.dirname, '../..')
const SCREENSHOTS =
  process.env.UPDATE_SCREENSHOTS === '1'
    ? join(ROOT, 'docs/screenshots')
    : join(ROOT, 'test-results/screenshots')

// The window's content size (src/main/window/window-options.ts).
const WINDOW = { width: 420, height: 540 }

type Catalog = Record<string, string>
const catalog = (language: string): Catalog =>
  JSON.parse(readFileSync(join(ROOT, 'src/locales', `${language}.json`), 'utf8')) as Catalog
const ENGLISH = catalog('en')

/**
 * English's words that a page in `language` must not show: the longest fixed stretch of each
 * English message, where the language's own message does not have it too (names like Plex do).
 */
function englishLeftovers(language: string): string[] {
  const own = catalog(language)
  return Object.entries(ENGLISH).flatMap(([key, message]) => {
    const longest = message
      .split(/\{[^}]*\}/)
      .map((stretch) => stretch.trim())
      .sort((a, b) => b.length - a.length)[0]
    return longest && longest.length >= 8 && !own[key]?.includes(longest) ? [longest] : []
  })
}

interface Clipped {
  element: string
  text: string
  scrollWidth: number
  clientWidth: number
}

// Run in the page, as text: the tests are type-checked without the DOM's types.
const LAYOUT_PROBLEMS = `(() => {
  const clipped = []
  for (const element of document.querySelectorAll('body *')) {
    // Hidden for the eye on purpose (the screen reader's copy), or not laid out at all.
    if (element.closest('.visually-hidden') || element.getClientRects().length === 0) continue
    if (getComputedStyle(element).display === 'inline') continue
    if (!element.textContent.trim()) continue
    if (element.scrollWidth > element.clientWidth + 1) {
      clipped.push({
        element: element.tagName.toLowerCase() + '.' + element.className,
        text: element.textContent.trim().slice(0, 60),
        scrollWidth: element.scrollWidth,
        clientWidth: element.clientWidth
      })
    }
  }
  const root = document.documentElement
  return {
    clipped,
    sideways: root.scrollWidth > root.clientWidth,
    downwards: root.scrollHeight > root.clientHeight
  }
})()`

/** Elements whose text is wider than their box, and whether the page scrolls either way. */
const layoutProblems = (
  page: Page
): Promise<{ clipped: Clipped[]; sideways: boolean; downwards: boolean }> =>
  page.evaluate(LAYOUT_PROBLEMS)

/** Everything a person can see or hear of the page: its text, labels, alt texts, title. */
const pageWords = (page: Page): Promise<string> =>
  page.evaluate(`[
    document.title,
    document.body.innerText,
    ...[...document.querySelectorAll('[aria-label]')].map((e) => e.getAttribute('aria-label')),
    ...[...document.querySelectorAll('img[alt]')].map((img) => img.getAttribute('alt'))
  ].join('\\n')`)

interface View {
  name: string
  query?: Record<string, string> // beside lang=, as the main process adds it
  shown: (page: Page) => Promise<void> // the view is there and complete
}

/** Reloads the page in every language and checks it there. */
async function inEveryLanguage(app: RendererApp, view: View): Promise<void> {
  const { page } = app
  for (const language of LANGUAGES) {
    const query = new URLSearchParams({ ...view.query, lang: language })
    await page.goto(`${app.server.pageUrl}?${query}`)
    const where = `${view.name}, ${language}`
    await expect(page.locator('html'), where).toHaveAttribute('lang', language)
    await expect(page.locator('html'), where).toHaveAttribute(
      'dir',
      language === 'ar' ? 'rtl' : 'ltr'
    )
    await view.shown(page)
    await expectWellShown(page, language, where)
  }
}

/** The view shown is whole, in `language` only, laid out its way, and axe clean. */
async function expectWellShown(page: Page, language: string, where: string): Promise<void> {
  await expect(page.locator('h1'), where).toHaveText(catalog(language)['window.title']!)
  expect(await layoutProblems(page), where).toEqual({
    clipped: [],
    sideways: false,
    downwards: false
  })
  const words = await pageWords(page)
  if (language !== 'en') {
    expect(
      englishLeftovers(language).filter((english) => words.includes(english)),
      where
    ).toEqual([])
  }
  await expectMirrored(page, language === 'ar', where)
  expect(await seriousA11yViolations(page), where).toEqual([])
}

/** Right to left, the logo stands right of the title and the first button is the rightmost. */
async function expectMirrored(page: Page, rtl: boolean, where: string): Promise<void> {
  const logo = await page.locator('.logo').boundingBox()
  const title = await page.locator('h1').boundingBox()
  expect(logo && title, where).toBeTruthy()
  expect(logo!.x > title!.x, `${where}: logo right of the title`).toBe(rtl)
  const buttons = page.locator('.actions button:visible')
  if ((await buttons.count()) < 2) return
  const [first, second] = await Promise.all([0, 1].map((i) => buttons.nth(i).boundingBox()))
  if (first && second && first.y === second.y) {
    expect(first.x > second.x, `${where}: first button rightmost`).toBe(rtl)
  }
}

const waitingShown = async (page: Page): Promise<void> => {
  await expect(byTestId(page, 'pin-code')).toHaveText(/^[A-Z0-9]{4}$/)
  await qrImageLoaded(page)
  await expect(byTestId(page, 'pin-countdown')).toHaveText(/^\d+:\d\d$/)
  // The code reads left to right whatever the page's direction.
  await expect(byTestId(page, 'pin-code')).toHaveCSS('direction', 'ltr')
}

const signedInShown = async (page: Page): Promise<void> => {
  await expect(byTestId(page, 'user-name')).toBeVisible()
  await expect(page.locator('img.avatar')).toBeVisible()
}

const INSTALLER = Object.fromEntries(new URLSearchParams(INSTALLER_QUERY))

test.describe('every view in every language', () => {
  // Eleven reloads, each checked with axe: far longer than one view's test on a busy machine.
  test.describe.configure({ timeout: 360_000 })
  test.use({ viewport: WINDOW })

  test('starting', async ({ app }) => {
    // The session is not started: the page shows the first state, asking for a code.
    await inEveryLanguage(app, {
      name: 'starting',
      shown: async (page) => {
        const language = await page.locator('html').getAttribute('lang')
        await expect(byTestId(page, 'status')).toHaveText(catalog(language!)['starting.status']!)
        await expect(byTestId(page, 'status')).toBeVisible()
      }
    })
  })

  test('waiting', async ({ app }) => {
    await app.open()
    await shownCode(app)
    await inEveryLanguage(app, { name: 'waiting', shown: waitingShown })
  })

  // The tallest view: the app that asked, Cancel, and the note that there is no keyring.
  test('waiting, from an installer, token in a plain file', async ({ app }) => {
    await app.open()
    await shownCode(app)
    await inEveryLanguage(app, {
      name: 'installer waiting',
      query: { ...INSTALLER, tokenStorage: 'plain' },
      shown: async (page) => {
        await waitingShown(page)
        await expect(byTestId(page, 'requester')).toContainText('My Media App')
        await expect(byTestId(page, 'cancel')).toBeVisible()
        await expect(page.locator('.storage-note')).toBeVisible()
      }
    })
  })

  test('signed in', async ({ app }) => {
    await app.open()
    app.approve(await shownCode(app))
    await expect(byTestId(app.page, 'user-name')).toBeVisible()
    await inEveryLanguage(app, {
      name: 'signed in',
      shown: async (page) => {
        await signedInShown(page)
        await expect(byTestId(page, 'sign-out')).toBeVisible()
      }
    })
  })

  test('signed in, from an installer', async ({ app }) => {
    await app.open()
    app.approve(await shownCode(app))
    await expect(byTestId(app.page, 'user-name')).toBeVisible()
    await inEveryLanguage(app, {
      name: 'installer signed in',
      query: INSTALLER,
      shown: async (page) => {
        await signedInShown(page)
        await expect(byTestId(page, 'handoff-note')).toContainText('My Media App')
      }
    })
  })

  test('signed in, unverified, token in a plain file', async ({ app }) => {
    app.storeSignIn('stored-TOKEN-languages-0123456789')
    app.fake.failAlways('user', { status: 503 })
    await app.open()
    await expect(app.page.locator('.unverified')).toBeVisible()
    await inEveryLanguage(app, {
      name: 'signed in, unverified',
      query: { tokenStorage: 'plain' },
      shown: async (page) => {
        await expect(page.locator('.unverified')).toBeVisible()
        await expect(page.locator('.storage-note')).toBeVisible()
      }
    })
  })

  test('error, retrying by itself', async ({ app }) => {
    app.fake.fault('create', { retryAfter: '600' })
    await app.open()
    await expect(byTestId(app.page, 'error-message')).toBeVisible()
    await inEveryLanguage(app, {
      name: 'error, retrying',
      shown: async (page) => {
        await expect(byTestId(page, 'error-message')).toHaveText(/\d/)
        await expect(page.locator('.error-advice')).toBeVisible()
      }
    })
  })

  test('error, final, with plex.tv’s words', async ({ app }) => {
    app.fake.fault('create', { status: 400 })
    await app.open()
    await expect(app.page.locator('.plex-said')).toBeVisible()
    await inEveryLanguage(app, {
      name: 'error, final',
      shown: async (page) => {
        await expect(page.locator('.plex-said')).toContainText('Bad Request')
        await expect(byTestId(page, 'new-code')).toBeVisible()
      }
    })
  })

  test.describe('a failed step', () => {
    // --server names a server the account does not have: the step fails after the sign-in.
    test.use({ appOptions: { steps: { server: 'Attic', home: [], resources: demoServers } } })

    test('error, a server step that failed, with why', async ({ app }) => {
      await app.open()
      app.approve(await shownCode(app))
      await expect(app.page.locator('.plex-said')).toBeVisible()
      await inEveryLanguage(app, {
        name: 'error, step failed',
        shown: async (page) => {
          const language = await page.locator('html').getAttribute('lang')
          const words = catalog(language!)
          await expect(byTestId(page, 'error-message')).toHaveText(
            words['error.serverStep.sentence']!
          )
          await expect(page.locator('.plex-said')).toHaveText(words['reason.noSuchServer']!)
          await expect(byTestId(page, 'new-code')).toBeVisible()
        }
      })
    })
  })

  test.describe('expired', () => {
    test.use({ appOptions: { flow: { renew: false } } })

    test('expired', async ({ app }) => {
      await app.open()
      await shownCode(app)
      app.fake.expire()
      await expect(app.page.locator('[data-view="expired"]')).toBeVisible()
      await inEveryLanguage(app, {
        name: 'expired',
        shown: async (page) => {
          await expect(page.locator('[data-view="expired"]')).toBeVisible()
          await expect(byTestId(page, 'new-code')).toBeVisible()
        }
      })
    })
  })
})

// The profile and server steps hold state in the main process (the pad's error is worded there,
// in the window's language): each language walks them once, from its own sign-in.
test.describe('the profile and server steps in every language', () => {
  test.use({ viewport: WINDOW })
  const alex = DEMO_HOME_USERS.find((user) => user.pin !== undefined)!

  for (const language of LANGUAGES) {
    test.describe(language, () => {
      test.use({
        appOptions: {
          steps: {
            profile: 'ask',
            server: 'ask',
            home: DEMO_HOME_USERS,
            resources: demoServers,
            language
          },
          query: `?lang=${language}`
        }
      })

      test(`choose-profile, the PIN pad with an error, choose-server, signed in: ${language}`, async ({
        app,
        page
      }) => {
        const words = catalog(language)
        await app.open()
        app.approve(await shownCode(app))
        await expect(page.getByTestId('profile-option')).toHaveCount(DEMO_HOME_USERS.length)
        await expect(page.locator('#profile-heading')).toHaveText(words['steps.profile.heading']!)
        await expectWellShown(page, language, `choose-profile, ${language}`)

        await page.locator(`[data-uuid="${alex.uuid}"]`).click()
        await page.getByTestId('profile-pin').fill('0000')
        await page.getByTestId('profile-pin-submit').click()
        // Worded by the main process: the title, and the tries left in the language's plural.
        await expect(page.getByTestId('step-error')).toContainText(alex.title)
        // The page's own Intl writes the number, as the main process's would.
        const four = await page.evaluate(`new Intl.NumberFormat('${language}').format(4)`)
        await expect(page.getByTestId('step-error')).toContainText(String(four))
        await expectWellShown(page, language, `PIN pad with an error, ${language}`)

        await page.getByTestId('profile-pin').fill(alex.pin!)
        await page.getByTestId('profile-pin-submit').click()
        const own = page.locator(`[data-machine-identifier="${DEMO_OWN_SERVER_ID}"]`)
        await expect(own).toBeEnabled()
        await expect
          .poll(
            () =>
              app.main.session.state.phase === 'choose-server' && app.main.session.state.searching
          )
          .toBe(false)
        await expect(page.locator('.searching')).not.toHaveText(words['steps.server.searching']!)
        await expectWellShown(page, language, `choose-server, ${language}`)

        await own.click()
        await expect(page.getByTestId('chosen-server')).toContainText('Living Room')
        await expectWellShown(page, language, `signed in with a server, ${language}`)
      })
    })
  }
})

test('a language the page does not know, or none, is English', async ({ app, page }) => {
  for (const lang of ['', 'fi', 'pt-PT', 'DE', '<b>ar</b>', 'x'.repeat(300)]) {
    await page.goto(`${app.server.pageUrl}?${new URLSearchParams({ lang })}`)
    await expect(page.locator('html'), lang).toHaveAttribute('lang', 'en')
    await expect(page.locator('html'), lang).toHaveAttribute('dir', 'ltr')
    await expect(byTestId(page, 'status')).toHaveText(ENGLISH['starting.status']!)
  }
})

test.describe('pictures in other languages', () => {
  test.use({ viewport: WINDOW, colorScheme: 'light' })

  test('waiting, in German and in Arabic', async ({ app, page }) => {
    mkdirSync(SCREENSHOTS, { recursive: true })
    await app.open()
    await shownCode(app)
    for (const language of ['de', 'ar']) {
      await page.goto(`${app.server.pageUrl}?lang=${language}`)
      await expect(page.locator('html')).toHaveAttribute('lang', language)
      await waitingShown(page)
      await page.screenshot({
        path: join(SCREENSHOTS, `waiting-${language}-light.png`),
        animations: 'disabled',
        caret: 'hide'
      })
    }
  })
})
