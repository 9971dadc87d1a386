// A failed sign-in as sentences a person can act on, instead of the engine's or plex.tv's words.
// LoginState carries only a message and, while the engine retries by itself, when it will: the
// kind of failure is read back from the engine's own fixed phrases (src/main/plex/plex-client.ts,
// src/main/login/login-flow.ts; a unit test holds the two together). Anything else is plex.tv's
// own text (a refusal, or a rate limit it kept up), kept only as a small, cleaned footnote.
// A profile or server step that failed after the sign-in itself worked is marked by
// stepFailedMessage, so that it does not read as plex.tv stopping the sign-in.

import { FALLBACK_LANGUAGE } from './i18n/languages'
import { translatorFor, type Translator } from './i18n/translator'
import type { LoginState } from './login-state'
import { reasonWords } from './reason-words'
import { cleanText } from './sanitize-text'

type ErrorState = Extract<LoginState, { phase: 'error' }>

const STEP_KINDS = ['profileStep', 'serverStep', 'steps'] as const
type StepKind = (typeof STEP_KINDS)[number]
const isStepKind = (kind: FailureKind): kind is StepKind =>
  (STEP_KINDS as readonly string[]).includes(kind)

export type FailureKind = 'offline' | 'busy' | 'account' | 'store' | 'stopped' | StepKind

const STEP_FAILED = /^Step failed \(([a-z-]+)\): /

/**
 * The error state's message for a step that failed with the engine's error `code` ('profile',
 * 'server', or what reading the Home or the servers ran into): still English, for the log.
 */
export function stepFailedMessage(code: string, message: string): string {
  return `Step failed (${code}): ${message}`
}

function stepKind(code: string): StepKind {
  return code === 'profile' ? 'profileStep' : code === 'server' ? 'serverStep' : 'steps'
}

export interface ErrorWording {
  sentence: string // what happened; while retrying, also when the next try is
  advice: string // what the person can do, or that there is nothing to do
  plexSaid?: string // plex.tv's own words, where the sentence cannot say more
  reason?: string // a failed step's: which profile or server, and why
}

const PLEX_SAID_MAX_LENGTH = 120
const REASON_MAX_LENGTH = 300

export function failureKind(message: string): FailureKind {
  const step = STEP_FAILED.exec(message)
  if (step) return stepKind(step[1]!)
  if (/^Could not reach |did not answer in time$/.test(message)) return 'offline'
  if (/^plex\.tv (is not answering|is limiting|sent an answer|answered with)/.test(message))
    return 'busy'
  if (message.startsWith('Approved, but the account could not be read')) return 'account'
  if (message.startsWith('Could not save the sign-in')) return 'store'
  return 'stopped'
}

const ENGLISH = translatorFor(FALLBACK_LANGUAGE)

/**
 * "30 s" up to a minute and a half, then whole minutes ("12 min"), rounded up; the catalogs join
 * number and unit by a no-break space so a line never ends between them.
 */
export function formatWait(ms: number, { t }: Translator = ENGLISH): string {
  const seconds = Math.max(1, Math.ceil(ms / 1000))
  return seconds <= 90
    ? t('wait.seconds', { seconds })
    : t('wait.minutes', { minutes: Math.ceil(seconds / 60) })
}

/** The failure in the translator's language (English by default, as the tests read it). */
export function errorWording(
  state: ErrorState,
  now: number,
  translator: Translator = ENGLISH
): ErrorWording {
  const { t } = translator
  const kind = failureKind(state.message)
  if (state.retryAt !== undefined) {
    const wait = formatWait(state.retryAt - now, translator)
    const retrying = kind === 'offline' ? 'offlineRetrying' : 'busyRetrying'
    return {
      sentence: t(`error.${retrying}.sentence`, { wait }),
      advice: t(`error.${retrying}.advice`)
    }
  }
  // Try again runs the steps again: the sign-in itself stands.
  if (isStepKind(kind)) {
    const reason = cleanText(
      reasonWords(state.message.replace(STEP_FAILED, ''), t),
      REASON_MAX_LENGTH
    )
    return { sentence: t(`error.${kind}.sentence`), advice: t('error.steps.advice'), reason }
  }
  const wording = { sentence: t(`error.${kind}.sentence`), advice: t(`error.${kind}.advice`) }
  if (kind !== 'stopped') return wording
  return { ...wording, plexSaid: cleanText(state.message, PLEX_SAID_MAX_LENGTH) || undefined }
}
