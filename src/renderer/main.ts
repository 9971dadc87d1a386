// The window: shows the LoginState the main process sends and passes a person's intent back.
// It talks only to window.plexLogin and loads nothing from the network (the QR is drawn here).

import QRCode from 'qrcode'
import { formatCountdown } from '../shared/format-countdown'
import type { LoginState } from '../shared/login-state'
import { cleanText } from '../shared/sanitize-text'
import { errorWording } from '../shared/error-wording'
import { t, translatePage, translator } from './i18n'
import { leaveProfileStep, showProfileStep } from './profile-step'
import { leaveServerStep, showServerStep } from './server-step'

const bridge = window.plexLogin

// Facts that are not LoginState come with the page's address, from the main process.
const query = new URLSearchParams(location.search)
// Started by an installer (--json / --output): it waits for this window's answer.
const installer = query.get('installer') === '1'
// The app that asked (--product): an installer's own text, so cleaned and capped.
const PRODUCT_MAX_LENGTH = 60
const product = cleanText(query.get('product') ?? '', PRODUCT_MAX_LENGTH) || 'Plex Login Helper'

translatePage()

function element<T extends HTMLElement>(selector: string): T {
  const found = document.querySelector<T>(selector)
  if (!found) throw new Error(`The page lacks ${selector}`)
  return found
}

const byTestId = <T extends HTMLElement>(id: string): T => element<T>(`[data-testid="${id}"]`)

const ui = {
  status: byTestId('status'),
  code: byTestId('pin-code'),
  codeSpelled: element('#code-spelled'),
  link: byTestId<HTMLAnchorElement>('pin-link'),
  qr: byTestId('pin-qr'),
  countdown: byTestId('pin-countdown'),
  meter: element('.meter'),
  meterFill: element('.meter-fill'),
  errorMessage: byTestId('error-message'),
  errorAdvice: element('.error-advice'),
  plexSaid: element('.plex-said'),
  userName: byTestId('user-name'),
  email: element('.email'),
  avatar: element<HTMLImageElement>('.avatar'),
  unverified: element('.unverified'),
  chosenServer: byTestId('chosen-server'),
  profileStep: element('[data-view="choose-profile"]'),
  serverStep: element('[data-view="choose-server"]'),
  stepError: byTestId('step-error'),
  handoff: byTestId('handoff-note'),
  copy: byTestId<HTMLButtonElement>('copy-code'),
  open: byTestId<HTMLButtonElement>('open-link'),
  newCode: byTestId<HTMLButtonElement>('new-code'),
  signOut: byTestId<HTMLButtonElement>('sign-out'),
  cancel: byTestId<HTMLButtonElement>('cancel')
}

// A view's own buttons, first to be focused first. While the app retries by itself there is
// no manual retry; an installer's sign-in, once handed over, is not to be signed out of here.
function buttonsFor(state: LoginState): HTMLButtonElement[] {
  switch (state.phase) {
    case 'starting':
      return []
    case 'waiting':
      return [ui.copy, ui.open, ui.newCode]
    case 'expired':
      return [ui.newCode]
    case 'error':
      return state.retryAt === undefined ? [ui.newCode] : []
    case 'signed-in':
      return installer ? [] : [ui.signOut]
    case 'choose-profile':
    case 'choose-server':
      return [] // the step's own choices are the buttons
  }
}

let current: LoginState = { phase: 'starting' }
let shownCode: string | undefined
let ticker: number | undefined
// Focus was in the actions row when a view without buttons (starting) took it away: give it
// back to the next view that has one, so a keyboard user is not dropped to the top of the page.
let focusOwed = false

/** "K7QZ" → "K 7 Q Z", so a screen reader reads the characters one by one. */
const spell = (code: string): string => [...code].join(' ')

/** Where the code is entered, as the page names it (never translated). */
const siteOf = (linkUrl: string): string =>
  linkUrl.startsWith('https://plex.tv/link') ? 'plex.tv/link' : 'app.plex.tv'

function render(state: LoginState): void {
  const previous = current
  current = state
  const focusWasInActions = focusOwed || !!document.activeElement?.closest('.actions')
  for (const view of document.querySelectorAll<HTMLElement>('[data-view]')) {
    view.hidden = view.dataset.view !== state.phase
  }
  const buttons = buttonsFor(state)
  for (const button of [ui.copy, ui.open, ui.newCode, ui.signOut])
    button.hidden = !buttons.includes(button)
  // Cancel is never where focus is put back: one more Enter must not end an installer's run.
  ui.cancel.hidden = !installer || state.phase === 'signed-in'
  ui.newCode.textContent = t(state.phase === 'error' ? 'action.tryAgain' : 'action.newCode')

  switch (state.phase) {
    case 'starting':
      announce(t('starting.status'), true)
      break
    case 'waiting':
      if (state.code !== shownCode) showCode(state, previous.phase === 'waiting')
      break
    case 'expired':
      announce(t('expired.announce'))
      break
    case 'error':
      showError(state)
      break
    case 'signed-in':
      showUser(state.user, state.server)
      break
    case 'choose-profile':
      showProfileStep(ui.profileStep, state, { bridge, announce, stepError: ui.stepError })
      break
    case 'choose-server':
      showServerStep(ui.serverStep, state, { bridge, announce, stepError: ui.stepError })
      break
  }
  if (state.phase !== 'choose-profile') leaveProfileStep()
  if (state.phase !== 'choose-server') leaveServerStep()
  if (state.phase !== previous.phase) ui.stepError.hidden = true
  if (state.phase !== 'waiting') {
    // The dead code leaves the page with its QR.
    shownCode = undefined
    ui.code.textContent = ''
    ui.codeSpelled.textContent = ''
    ui.qr.replaceChildren()
  }
  tick()
  // A button that had focus may just have been hidden: keep keyboard users in the actions row.
  const focused = document.activeElement
  const lost = !(focused instanceof HTMLElement) || focused.hidden || focused === document.body
  const next = focusWasInActions && lost ? buttons[0] : undefined
  next?.focus()
  focusOwed = focusWasInActions && lost && !next
}

function showCode(state: Extract<LoginState, { phase: 'waiting' }>, renewed: boolean): void {
  shownCode = state.code
  ui.code.textContent = state.code
  const spelled = spell(state.code)
  const site = siteOf(state.linkUrl)
  ui.codeSpelled.textContent = t('waiting.codeSpelled', { spelled })
  ui.link.href = state.linkUrl
  ui.link.textContent = site
  ui.open.textContent = t('action.openLink', { site })
  announce(t(renewed ? 'waiting.announceRenewed' : 'waiting.announce', { spelled, site }))
  void drawQr(state.linkUrl, state.code)
}

async function drawQr(url: string, code: string): Promise<void> {
  // Dark modules on white whatever the theme: phone cameras read that best.
  const svg = await QRCode.toString(url, { type: 'svg', margin: 2, errorCorrectionLevel: 'M' })
  if (shownCode !== code) return
  const image = new Image()
  image.src = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`
  image.alt = t('waiting.qrAlt', { site: siteOf(url) })
  ui.qr.replaceChildren(image)
}

function showError(state: Extract<LoginState, { phase: 'error' }>): void {
  const { sentence, advice, plexSaid, reason } = errorWording(state, Date.now(), translator)
  ui.errorMessage.textContent = sentence
  ui.errorAdvice.textContent = advice
  ui.errorAdvice.hidden = !advice
  // The footnote: plex.tv's own words, or which profile or server a step could not use and why.
  const footnote = plexSaid ? t('error.plexSaid', { said: plexSaid }) : (reason ?? '')
  ui.plexSaid.textContent = footnote
  ui.plexSaid.hidden = !footnote
  const said = reason ? t('error.stepFailed', { sentence, reason }) : sentence
  announce(advice ? `${said} ${advice}` : said)
}

function showUser(
  user: Extract<LoginState, { phase: 'signed-in' }>['user'],
  server?: { name: string }
): void {
  // The profile switched to is the user shown; the server handed over is named under it.
  ui.chosenServer.textContent = server
    ? t('steps.server.chosen', { name: cleanText(server.name, 64) })
    : ''
  ui.chosenServer.hidden = !server
  const name = user.title || user.username
  ui.userName.textContent = name
  ui.email.textContent = user.email ?? ''
  ui.unverified.hidden = user.verified !== false
  ui.handoff.hidden = !installer
  ui.avatar.hidden = !user.avatar?.startsWith('data:image/')
  if (!ui.avatar.hidden && user.avatar) ui.avatar.src = user.avatar
  else ui.avatar.removeAttribute('src')
  announce(
    installer ? t('signedIn.announceHandoff', { name, product }) : t('signedIn.announce', { name })
  )
}

// The status line is read out on every change. On screen it only shows what no view shows
// (asking for a code, a button that failed); otherwise the view says the same thing already.
function announce(text: string, onScreen = false): void {
  ui.status.classList.toggle('visually-hidden', !onScreen)
  if (ui.status.textContent !== text) ui.status.textContent = text
}

// Repaints the countdown (or the retry delay) once a second, on the second, and only while
// there is something counting down.
function tick(): void {
  if (ticker !== undefined) window.clearTimeout(ticker)
  ticker = undefined
  const now = Date.now()
  let remainingMs: number | undefined
  if (current.phase === 'waiting') {
    remainingMs = Math.max(0, current.expiresAt - now)
    ui.countdown.textContent = formatCountdown(remainingMs)
    const percent = Math.round((100 * remainingMs) / Math.max(1, current.expiresIn * 1000))
    ui.meterFill.style.width = `${Math.min(100, percent)}%`
    ui.meter.setAttribute('aria-valuenow', String(Math.min(100, percent)))
  } else if (current.phase === 'error' && current.retryAt !== undefined) {
    remainingMs = Math.max(0, current.retryAt - now)
    ui.errorMessage.textContent = errorWording(current, now, translator).sentence
  }
  if (remainingMs !== undefined && remainingMs > 0) {
    ticker = window.setTimeout(tick, remainingMs % 1000 || 1000)
  }
}

// While a press is being handled the button only says it is busy (aria-disabled): really
// disabling it would throw keyboard focus back to the top of the page.
function withFeedback(
  button: HTMLButtonElement,
  action: () => Promise<void>,
  failed: string,
  done?: string
): void {
  button.addEventListener('click', () => {
    if (button.getAttribute('aria-disabled') === 'true') return
    button.setAttribute('aria-disabled', 'true')
    action()
      .then(() => {
        if (!done) return
        const label = button.textContent
        button.textContent = done
        window.setTimeout(() => (button.textContent = label), 1500)
        announce(done)
      })
      .catch(() => announce(failed, true))
      .finally(() => button.removeAttribute('aria-disabled'))
  })
}

withFeedback(ui.copy, () => bridge.copyCode(), t('failure.copy'), t('action.copied'))
withFeedback(ui.open, () => bridge.openLink(), t('failure.open'))
withFeedback(ui.newCode, () => bridge.newCode(), t('failure.generic'))
withFeedback(ui.signOut, () => bridge.signOut(), t('failure.generic'))
withFeedback(ui.cancel, () => bridge.cancel(), t('failure.cancel'))
ui.link.addEventListener('click', (event) => {
  // Links open in the system browser, never inside the app window.
  event.preventDefault()
  void bridge.openLink()
})

element('.storage-note').hidden = query.get('tokenStorage') !== 'plain'
for (const name of document.querySelectorAll('.product-name')) name.textContent = product

// A pushed state is always newer than the answer to getState() if it arrives first.
let pushed = false
bridge.onState((state) => {
  pushed = true
  render(state)
})
void bridge.getState().then((state) => {
  if (!pushed) render(state)
})
