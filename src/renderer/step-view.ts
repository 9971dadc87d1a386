// What the two step views (profile-step.ts, server-step.ts) share: what they need from the page,
// and building elements whose text is only ever set as text.

import type { PlexLoginBridge } from '../shared/login-state'

export interface StepDeps {
  bridge: PlexLoginBridge
  announce: (text: string, onScreen?: boolean) => void // the page's status line
  stepError: HTMLElement // the steps' one error line, under the step shown
}

export function make<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  className = '',
  text?: string
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag)
  if (className) element.className = className
  if (text !== undefined) element.textContent = text
  return element
}
