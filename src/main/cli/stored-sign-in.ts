// The sign-in `profiles` and `servers` act for: the stored one, checked at plex.tv first, with
// the exit codes of `status` (4 when nobody is signed in here, 1 when plex.tv cannot say).

import type { PlexClient } from '../plex/plex-client'
import { checkStatus } from '../login/account-status'
import type { ErrorCode } from '../login/sign-in-result'
import { EXIT } from '../login/sign-in-result'
import type { CredentialStore } from '../store/credential-store'
import { storeProblemText, type StoreProblem } from '../store/store-error'
import type { Translator } from '../../shared/i18n/translator'
import { reasonWords } from '../../shared/reason-words'

/** What a command ends with; run-cli prints it, so an interrupted run never prints two answers. */
// A failure's `message` is English (the JSON answer's); `text` says it on stderr in the person's
// language where the catalogs have the words.
export type CommandOutcome =
  | { ok: true; body: object; exitCode?: number }
  | { ok: false; code: ErrorCode; message: string; text?: string }

export type StoredSignIn = { ok: true; token: string; clientIdentifier: string }

export async function storedSignIn(
  client: PlexClient,
  store: CredentialStore,
  say: (line: string) => void,
  t: Translator['t']
): Promise<StoredSignIn | CommandOutcome> {
  const status = await checkStatus(client, store)
  if (status.status === 'signed-in') {
    const clientIdentifier = status.clientIdentifier ?? client.clientIdentifier
    return { ok: true, token: status.token, clientIdentifier }
  }
  if (status.status === 'unknown') return checkFailure(status, t)
  if (status.problem) return storeFailure(status.problem, t)
  say(
    status.storedFor
      ? t('cli.notSignedInHere', { origin: status.storedFor })
      : t('cli.notSignedInLoginFirst')
  )
  return { ok: true, body: { signedIn: false }, exitCode: EXIT.notSignedIn }
}

export function isStoredSignIn(value: StoredSignIn | CommandOutcome): value is StoredSignIn {
  return value.ok && 'token' in value
}

/** plex.tv could not say whether the stored sign-in is valid. */
export function checkFailure(
  { code, message }: { code: ErrorCode; message: string },
  t: Translator['t']
): { ok: false; code: ErrorCode; message: string; text: string } {
  return {
    ok: false,
    code,
    message: `Could not check the sign-in: ${message}`,
    text: t('cli.checkFailed', { reason: reasonWords(message, t) })
  }
}

/** A store problem: in English for the JSON answer, in the person's language on stderr. */
export function storeFailure(
  problem: StoreProblem,
  t: Translator['t']
): { ok: false; code: 'store'; message: string; text: string } {
  return {
    ok: false,
    code: 'store',
    message: storeProblemText(problem),
    text: storeProblemText(problem, { t })
  }
}
