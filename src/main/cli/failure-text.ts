// A failure on stderr in the person's language. The JSON answer keeps the engine's English
// message (installers parse it); a person reads what the window would say for the same failure
// (src/shared/error-wording.ts), with plex.tv's own words where only they can say more.

import { FALLBACK_LANGUAGE } from '../../shared/i18n/languages'
import type { Translator } from '../../shared/i18n/translator'
import { errorWording, failureKind, stepFailedMessage } from '../../shared/error-wording'
import type { ErrorCode } from '../login/sign-in-result'

// Failures of plex.tv or of a step, which the window words too. The rest (usage, interrupted,
// timeout, expired, store) is worded where it happens.
const WORDED: ReadonlySet<ErrorCode> = new Set([
  'rejected',
  'unavailable',
  'rate-limited',
  'profile',
  'server'
])

/** The stderr text for a failure, or undefined to show the engine's message as it is. */
export function failureText(
  code: ErrorCode,
  message: string,
  translator: Translator
): string | undefined {
  // English keeps the engine's own, more precise sentence.
  if (translator.language === FALLBACK_LANGUAGE || !WORDED.has(code)) return undefined
  const step = code === 'profile' || code === 'server'
  // "Could not check the sign-in: Could not reach plex.tv": the reason is what is worded.
  const reason = message.replace(/^[^:]*: /, '')
  const worded = failureKind(message) === 'stopped' && failureKind(reason) !== 'stopped'
  const state = {
    phase: 'error',
    message: step ? stepFailedMessage(code, message) : worded ? reason : message
  } as const
  const { sentence, advice, plexSaid, reason: why } = errorWording(state, Date.now(), translator)
  // A step's failure says which profile or server, and why, as the engine did; the reason says
  // what to do where there is something to do.
  if (step && why) return translator.t('error.stepFailed', { sentence, reason: why })
  const said = plexSaid ? translator.t('error.plexSaid', { said: plexSaid }) : ''
  return [sentence, advice, said].filter(Boolean).join(' ')
}
