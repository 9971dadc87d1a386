// The `choose-profile` view: the Plex Home's profiles as pictures with names, and a 4-digit PIN
// pad for a protected one. What is chosen goes to the main process, which checks it again.

import type { LoginState, ProfileOption } from '../shared/login-state'
import { cleanText } from '../shared/sanitize-text'
import { t } from './i18n'
import { make, type StepDeps } from './step-view'

type ChooseProfile = Extract<LoginState, { phase: 'choose-profile' }>

const PIN_LENGTH = 4

interface ProfileView {
  section: HTMLElement
  list: HTMLUListElement
  pad: HTMLFormElement
  padTitle: HTMLParagraphElement
  pin: HTMLInputElement
  submit: HTMLButtonElement
  error: HTMLElement
  shown?: ChooseProfile
  selected?: ProfileOption // the protected profile whose PIN is being typed
  busy: boolean
}

let view: ProfileView | undefined

export function showProfileStep(section: HTMLElement, state: ChooseProfile, deps: StepDeps): void {
  const current = view?.section === section ? view : build(section, deps)
  view = current
  const entering = current.shown === undefined
  current.shown = state
  current.busy = false
  current.submit.removeAttribute('aria-disabled')
  renderProfiles(current, state, deps)
  // A wrong PIN keeps the pad open for the same profile; a protected profile offered alone
  // (--profile named it) opens it at once.
  const still = current.selected && state.profiles.find((p) => p.uuid === current.selected?.uuid)
  const only =
    state.profiles.length === 1 && state.profiles[0]!.protected ? state.profiles[0] : undefined
  const padFor = only ?? (entering ? undefined : still)
  // Typed digits stay through a repaint (a picture arriving); a wrong PIN is typed anew.
  if (padFor?.protected) openPad(current, padFor, state.error !== undefined)
  else closePad(current)

  current.error.textContent = state.error ?? ''
  current.error.hidden = !state.error
  // The error line is an alert, read out by itself.
  if (entering) deps.announce(t('steps.profile.announce'))
  if (entering && current.pad.hidden) firstOption(current)?.focus()
}

/** Leaving the view: forget the selection and what was typed. */
export function leaveProfileStep(): void {
  if (!view) return
  view.shown = undefined
  view.selected = undefined
  view.pin.value = ''
}

function build(section: HTMLElement, deps: StepDeps): ProfileView {
  const heading = make('p', 'headline', t('steps.profile.heading'))
  heading.id = 'profile-heading'
  const list = make('ul', 'options profiles')
  list.setAttribute('aria-labelledby', heading.id)

  const pad = make('form', 'pin-pad')
  pad.noValidate = true
  const padTitle = make('p', 'detail pin-for')
  padTitle.id = 'pin-for'
  const label = make('label', 'visually-hidden', t('steps.profile.pinLabel'))
  label.htmlFor = 'profile-pin'
  const pin = make('input', 'pin-input')
  Object.assign(pin, { id: 'profile-pin', type: 'password', inputMode: 'numeric' })
  Object.assign(pin, { maxLength: PIN_LENGTH, autocomplete: 'off', required: true })
  pin.dataset.testid = 'profile-pin'
  pin.pattern = '[0-9]{4}'
  pin.setAttribute('aria-describedby', padTitle.id)
  const keypad = make('div', 'keypad')
  keypad.setAttribute('role', 'group')
  keypad.setAttribute('aria-label', t('steps.profile.keypad'))
  // A phone's keypad: 1 2 3 from the left in every language, right to left ones too.
  keypad.dir = 'ltr'
  for (const key of ['1', '2', '3', '4', '5', '6', '7', '8', '9', '', '0', '⌫']) {
    if (!key) {
      keypad.append(make('span'))
      continue
    }
    const button = make('button', 'key', key)
    button.type = 'button'
    // The field takes typing; the keys are for a mouse or a touch screen, not another 12 tabs.
    button.tabIndex = -1
    if (key === '⌫') button.setAttribute('aria-label', t('steps.profile.erase'))
    button.addEventListener('click', () => {
      pin.value = key === '⌫' ? pin.value.slice(0, -1) : (pin.value + key).slice(0, PIN_LENGTH)
      pin.focus()
    })
    keypad.append(button)
  }
  const submit = make('button', 'primary', t('steps.profile.submit'))
  submit.type = 'submit'
  submit.dataset.testid = 'profile-pin-submit'
  const back = make('button', '', t('steps.profile.back'))
  back.type = 'button'
  const buttons = make('div', 'pad-buttons')
  buttons.append(back, submit)
  pad.append(padTitle, label, pin, keypad, buttons)

  const error = deps.stepError
  section.replaceChildren(heading, list, pad)

  const current: ProfileView = { section, list, pad, padTitle, pin, submit, error, busy: false }
  // Digits only: a pasted "12 34" or a letter from a hardware keyboard is dropped here.
  pin.addEventListener('input', () => {
    pin.value = pin.value.replace(/\D/g, '').slice(0, PIN_LENGTH)
  })
  pad.addEventListener('submit', (event) => {
    event.preventDefault()
    const profile = current.selected
    if (!profile || current.busy) return
    if (!/^\d{4}$/.test(pin.value)) {
      error.textContent = t('steps.profile.pinShort')
      error.hidden = false
      pin.focus()
      return
    }
    choose(current, deps, profile, pin.value)
  })
  back.addEventListener('click', () => {
    closePad(current)
    firstOption(current, current.selected?.uuid)?.focus()
    current.selected = undefined
  })
  return current
}

function renderProfiles(current: ProfileView, state: ChooseProfile, deps: StepDeps): void {
  const focusedUuid = (document.activeElement as HTMLElement | null)?.dataset?.uuid
  const items = state.profiles.map((profile) => {
    const button = make('button', 'option profile')
    button.type = 'button'
    button.dataset.testid = 'profile-option'
    button.dataset.uuid = profile.uuid
    const title = cleanText(profile.title, 64)
    const notes = [
      profile.admin && t('steps.profile.admin'),
      profile.restricted && t('steps.profile.managed'),
      profile.protected && t('steps.profile.protected')
    ].filter((note): note is string => typeof note === 'string')
    button.append(picture(profile, title), make('span', 'option-name', title))
    if (notes.length > 0) button.append(make('span', 'option-notes', notes.join(' · ')))
    if (profile.protected) button.append(lock())
    button.addEventListener('click', () => {
      if (current.busy) return
      if (profile.protected) {
        openPad(current, profile, true)
      } else {
        choose(current, deps, profile)
      }
    })
    const item = make('li')
    item.append(button)
    return item
  })
  current.list.replaceChildren(...items)
  if (focusedUuid) firstOption(current, focusedUuid)?.focus()
}

function choose(current: ProfileView, deps: StepDeps, profile: ProfileOption, pin?: string): void {
  current.busy = true
  current.submit.setAttribute('aria-disabled', 'true')
  current.error.hidden = true
  deps.announce(t('steps.profile.checking'))
  deps.bridge.chooseProfile(profile.uuid, pin).catch(() => {
    current.busy = false
    current.submit.removeAttribute('aria-disabled')
    deps.announce(t('failure.generic'), true)
  })
}

function openPad(current: ProfileView, profile: ProfileOption, clear: boolean): void {
  const opening = current.pad.hidden || current.selected?.uuid !== profile.uuid
  if (clear || opening) current.pin.value = ''
  current.selected = profile
  current.padTitle.textContent = t('steps.profile.pinFor', { title: cleanText(profile.title, 64) })
  current.pad.hidden = false
  current.list.hidden = true
  if (clear || opening) current.pin.focus()
}

function closePad(current: ProfileView): void {
  current.pad.hidden = true
  current.list.hidden = false
  current.pin.value = ''
}

function firstOption(current: ProfileView, uuid?: string): HTMLButtonElement | undefined {
  const options = [...current.list.querySelectorAll<HTMLButtonElement>('[data-uuid]')]
  return options.find((option) => option.dataset.uuid === uuid) ?? options[0]
}

// A data: picture from the main process, or the first letter on a coloured disc.
function picture(profile: ProfileOption, title: string): HTMLElement {
  if (profile.avatar?.startsWith('data:image/')) {
    const image = make('img', 'option-avatar')
    image.alt = ''
    image.src = profile.avatar
    return image
  }
  const initial = make('span', 'option-avatar initial', [...title][0]?.toUpperCase() ?? '?')
  initial.setAttribute('aria-hidden', 'true')
  return initial
}

function lock(): SVGSVGElement {
  const svg = document.createElementNS('http://www.w3.org/2000/svg', 'svg')
  svg.setAttribute('viewBox', '0 0 16 16')
  svg.setAttribute('class', 'lock')
  svg.setAttribute('aria-hidden', 'true')
  svg.setAttribute('focusable', 'false')
  const path = document.createElementNS('http://www.w3.org/2000/svg', 'path')
  path.setAttribute('d', 'M4 7V5a4 4 0 0 1 8 0v2h1v8H3V7zm2 0h4V5a2 2 0 0 0-4 0z')
  svg.append(path)
  return svg
}
