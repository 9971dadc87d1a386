// A failed sign-in as sentences a person can act on, instead of the engine's or plex.tv's words.
// LoginState carries only a message and, while the engine retries by itself, when it will: the
// kind of failure is read back from the engine's own fixed phrases (src/main/plex/plex-client.ts,
// src/main/login/login-flow.ts; a unit test holds the two together). Anything else is plex.tv's
// own text (a refusal, or a rate limit it kept up), kept only as a small, cleaned footnote.

import type { LoginState } from './login-state'
import { cleanText } from './sanitize-text'

type ErrorState = Extract<LoginState, { phase: 'error' }>

export type FailureKind = 'offline' | 'busy' | 'account' | 'store' | 'stopped'

export interface ErrorWording {
  sentence: string // what happened; while retrying, also when the next try is
  advice: string // what the person can do, or that there is nothing to do
  plexSaid?: string // plex.tv's own words, where the sentence cannot say more
}

const PLEX_SAID_MAX_LENGTH = 120

export function failureKind(message: string): FailureKind {
  if (/^Could not reach |did not answer in time$/.test(message)) return 'offline'
  if (/^plex\.tv (is not answering|is limiting|sent an answer|answered with)/.test(message))
    return 'busy'
  if (message.startsWith('Approved, but the account could not be read')) return 'account'
  if (message.startsWith('Could not save the sign-in')) return 'store'
  return 'stopped'
}

/**
 * "30 s" up to a minute and a half, then whole minutes ("12 min"), rounded up; joined by a
 * no-break space so a line never ends between the number and its unit.
 */
export function formatWait(ms: number): string {
  const seconds = Math.max(1, Math.ceil(ms / 1000))
  return seconds <= 90 ? `${seconds}\u00a0s` : `${Math.ceil(seconds / 60)}\u00a0min`
}

export function errorWording(state: ErrorState, now: number): ErrorWording {
  const kind = failureKind(state.message)
  if (state.retryAt !== undefined) {
    const wait = formatWait(state.retryAt - now)
    return kind === 'offline'
      ? {
          sentence: `plex.tv cannot be reached; trying again in ${wait}.`,
          advice: 'Check that this computer is online.'
        }
      : {
          sentence: `plex.tv is busy; trying again in ${wait}.`,
          advice: 'Your code shows here as soon as plex.tv sends one.'
        }
  }
  switch (kind) {
    case 'offline':
      return {
        sentence: 'plex.tv cannot be reached.',
        advice: 'Check that this computer is online, then try again.'
      }
    case 'busy':
      return {
        sentence: 'plex.tv is too busy to answer right now.',
        advice: 'Wait a minute, then try again.'
      }
    case 'account':
      return {
        sentence: 'You approved the sign-in, but plex.tv did not send your account.',
        advice: 'Try again with a new code.'
      }
    case 'store':
      return {
        sentence: 'You approved the sign-in, but this computer could not save it.',
        advice: 'Try again; if it keeps failing, the app’s log says why.'
      }
    case 'stopped':
      return {
        sentence: 'plex.tv stopped the sign-in.',
        advice: 'Wait a moment, then try again.',
        plexSaid: cleanText(state.message, PLEX_SAID_MAX_LENGTH) || undefined
      }
  }
}
