// The `choose-server` view: the account's media servers, redrawn as their addresses answer.
// A server can be picked once one of its addresses proved it and plex.tv gave access to it;
// the others stay greyed, saying why.

import type { LoginState, ServerOption } from '../shared/login-state'
import { cleanText } from '../shared/sanitize-text'
import { t } from './i18n'
import { make, type StepDeps } from './step-view'

type ChooseServer = Extract<LoginState, { phase: 'choose-server' }>

interface ServerView {
  section: HTMLElement
  list: HTMLUListElement
  searching: HTMLParagraphElement
  buttons: Map<string, HTMLButtonElement>
  shown?: ChooseServer
  picked: boolean
}

let view: ServerView | undefined

export function showServerStep(section: HTMLElement, state: ChooseServer, deps: StepDeps): void {
  const current = view?.section === section ? view : build(section)
  view = current
  const entering = current.shown === undefined
  const wasSearching = current.shown?.searching
  current.shown = state
  const focusedId = (document.activeElement as HTMLElement | null)?.dataset?.machineIdentifier

  const items = state.servers.map((server) => {
    const button = current.buttons.get(server.machineIdentifier) ?? newButton(current, server, deps)
    fill(button, server, state.searching)
    return button.parentElement as HTMLLIElement
  })
  const ids = new Set(state.servers.map((server) => server.machineIdentifier))
  for (const id of current.buttons.keys()) if (!ids.has(id)) current.buttons.delete(id)
  // Only reordered when the order changed: moving the focused button would drop focus.
  const inOrder = items.every((item, index) => current.list.children[index] === item)
  if (!inOrder || current.list.children.length !== items.length)
    current.list.replaceChildren(...items)
  if (focusedId && document.activeElement === document.body) current.buttons.get(focusedId)?.focus()

  current.searching.textContent = state.searching
    ? t('steps.server.searching')
    : state.servers.length === 0
      ? t('steps.server.none')
      : t('steps.server.found', { count: state.servers.length })
  if (entering) deps.announce(t('steps.server.searching'))
  else if (wasSearching && !state.searching) deps.announce(current.searching.textContent)
  // Focus goes to the first usable server once there is one, unless the person put it elsewhere.
  const lost = document.activeElement === document.body || document.activeElement === null
  if (entering || lost) firstUsable(current)?.focus()
}

/** Leaving the view: the next time it is shown starts afresh. */
export function leaveServerStep(): void {
  if (!view) return
  view.shown = undefined
  view.picked = false
  view.buttons.clear()
  view.list.replaceChildren()
}

function build(section: HTMLElement): ServerView {
  const heading = make('p', 'headline', t('steps.server.heading'))
  heading.id = 'server-heading'
  const searching = make('p', 'detail searching')
  const list = make('ul', 'options servers')
  list.setAttribute('aria-labelledby', heading.id)
  section.replaceChildren(heading, searching, list)
  return { section, list, searching, buttons: new Map(), picked: false }
}

function newButton(current: ServerView, server: ServerOption, deps: StepDeps): HTMLButtonElement {
  const button = make('button', 'option server')
  button.type = 'button'
  button.dataset.testid = 'server-option'
  button.dataset.machineIdentifier = server.machineIdentifier
  button.addEventListener('click', () => {
    if (button.disabled || current.picked) return
    current.picked = true
    deps.announce(t('steps.server.connecting'))
    deps.stepError.hidden = true
    deps.bridge.chooseServer(server.machineIdentifier).catch(() => {
      current.picked = false
      deps.stepError.textContent = t('failure.generic')
      deps.stepError.hidden = false
    })
  })
  const item = make('li')
  item.append(button)
  current.buttons.set(server.machineIdentifier, button)
  return button
}

function fill(button: HTMLButtonElement, server: ServerOption, searching: boolean): void {
  const name = cleanText(server.name, 64)
  const owner = server.owned
    ? t('steps.server.yours')
    : server.owner
      ? t('steps.server.sharedBy', { owner: cleanText(server.owner, 64) })
      : t('steps.server.shared')
  const details = [owner]
  const connection = server.connection
  let mark: HTMLElement | undefined
  if (connection) {
    const kind = connection.relay ? 'relay' : connection.local ? 'local' : 'remote'
    mark = make('span', `mark ${kind}`, t(`steps.server.${kind}`))
    details.push(t('steps.server.latency', { ms: Math.round(connection.latencyMs) }))
  }
  const reason = server.reachable
    ? undefined
    : connection
      ? t('steps.server.noAccess')
      : searching
        ? t('steps.server.testing')
        : t('steps.server.unreachable')
  const top = make('span', 'option-top')
  top.append(make('span', 'option-name', name))
  if (mark) top.append(mark)
  button.replaceChildren(top, make('span', 'option-notes', details.join(' · ')))
  if (reason) button.append(make('span', 'option-reason', reason))
  button.disabled = !server.reachable
}

function firstUsable(current: ServerView): HTMLButtonElement | undefined {
  return [...current.list.querySelectorAll<HTMLButtonElement>('button')].find((b) => !b.disabled)
}
