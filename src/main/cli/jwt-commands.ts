// The JWT sign-in in the command (issue 11): `login --jwt`, `status --jwt`, `logout --jwt` and
// `token`. The device key never leaves the store: `token` is how a host app gets a fresh JWT at
// any time without holding the key. The JWT itself only ever reaches stdout (the answer, or
// `token`'s bare line), never stderr.

import { cleanText } from '../../shared/sanitize-text'
import type { Translator } from '../../shared/i18n/translator'
import { checkJwtStatus, freshJwt, signOutJwt, type JwtAccountOptions } from '../jwt/jwt-account'
import { jwtSignIn } from '../login/sign-in-kind'
import { EXIT, userJson, type ErrorCode } from '../login/sign-in-result'
import { storeFailure, type CommandOutcome } from './stored-sign-in'
import { reuseNote, type SignInWay } from './login-command'
import { reasonWords } from '../../shared/reason-words'

/** Why there is no JWT sign-in to use, in the words `status` uses for the classic one. */
function notSignedIn(storedFor: string | undefined, t: Translator['t']): string {
  return storedFor ? t('cli.jwt.noneHere', { origin: storedFor }) : t('cli.jwt.none')
}

export function jwtWay(account: JwtAccountOptions, t: Translator['t']): SignInWay {
  return {
    async reuse() {
      const status = await checkJwtStatus(account)
      if (status.status === 'signed-in') {
        const { token, account: user, clientIdentifier, expiresAt } = status
        const kind = { tokenType: 'jwt', expiresAt } as const
        return { ok: true, signedIn: { token, account: user, clientIdentifier, kind } }
      }
      return { ok: false, note: reuseNote(status, 'cli.jwt.reuseCheckFailed', t) }
    },
    // The same device, flow checks and kind as the app's JWT sign-in.
    prepare: () => jwtSignIn(account).prepare()
  }
}

export async function jwtStatusCommand(
  account: JwtAccountOptions,
  say: (line: string) => void,
  t: Translator['t']
): Promise<CommandOutcome> {
  const status = await checkJwtStatus(account)
  if (status.status === 'signed-in') {
    const until = new Date(status.expiresAt).toISOString()
    // The expiry as the answer gives it: a time no time zone or language can misread.
    say(t('cli.jwt.signedInAs', { name: cleanText(status.account.username), until }))
    return {
      ok: true,
      body: { signedIn: true, user: userJson(status.account), tokenType: 'jwt', expiresAt: until }
    }
  }
  if (status.status === 'signed-out') {
    if (status.problem) return storeFailure(status.problem, t)
    say(notSignedIn(status.storedFor, t))
    return { ok: true, body: { signedIn: false }, exitCode: EXIT.notSignedIn }
  }
  return {
    ok: false,
    code: status.code,
    message: `Could not check the JWT sign-in: ${status.message}`,
    text: t('cli.jwt.checkFailed', { reason: reasonWords(status.message, t) })
  }
}

export async function jwtLogoutCommand(
  account: JwtAccountOptions,
  say: (line: string) => void,
  t: Translator['t']
): Promise<CommandOutcome> {
  const result = await signOutJwt(account)
  const { storedFor } = result
  if (!result.wasSignedIn) {
    say(
      storedFor
        ? t('cli.jwt.noneHereNothingToDo', { origin: storedFor })
        : t('cli.jwt.noneNothingToDo')
    )
  } else if (result.revoked) say(t('cli.jwt.signedOut'))
  else
    say(t('cli.jwt.signedOutUntold', { reason: reasonWords(cleanText(String(result.message)), t) }))
  return { ok: true, body: { signedIn: false, revoked: result.revoked } }
}

/** `token`: the outcome, and the bare JWT to print when there is no --json. */
export async function tokenCommand(
  account: JwtAccountOptions & { minValidityMs: number },
  say: (line: string) => void,
  t: Translator['t']
): Promise<CommandOutcome & { bare?: string }> {
  const fresh = await freshJwt(account)
  if (fresh.ok) {
    const expiresAt = new Date(fresh.expiresAt).toISOString()
    const body = { authToken: fresh.token, expiresAt, refreshed: fresh.refreshed }
    return { ok: true, body, bare: fresh.token }
  }
  if ('notSignedIn' in fresh) {
    const { problem, storedFor } = fresh.notSignedIn
    if (problem) return storeFailure(problem, t)
    say(notSignedIn(storedFor, t))
    return { ok: true, body: { signedIn: false }, exitCode: EXIT.notSignedIn }
  }
  const { failure } = fresh
  const code: ErrorCode = failure.kind
  const kept = failure.keyUnknown ? '' : ' (the stored JWT is kept)'
  return { ok: false, code, message: `Could not refresh the JWT: ${failure.message}${kept}` }
}
