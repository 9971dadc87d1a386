// `plex-login login`, for either kind of sign-in: the classic token, or (--jwt) a device key and
// a Plex JWT. What differs between them is a `SignInWay`; the code, the waiting, the steps after
// sign-in and the answer are the same.

import type { PlexAccount } from '../plex/plex-client'
import { cleanText } from '../../shared/sanitize-text'
import type { Translator } from '../../shared/i18n/translator'
import { LoginFlow, type LoginFlowOptions, type LoginOutcome } from '../login/login-flow'
import { checkStatus } from '../login/account-status'
import { signedInAnswer, type ErrorCode, type TokenKind } from '../login/sign-in-result'
import type { CredentialStore } from '../store/credential-store'
import { StoreError, storeProblemText, type StoreProblem } from '../store/store-error'
import type { PlexClient } from '../plex/plex-client'
import type { CliOptions } from './cli-args'
import type { HumanOutput } from './human-output'
import type { LoginStepsOutcome } from './login-steps'
import { openInBrowser } from './open-in-browser'
import { reasonWords } from '../../shared/reason-words'

export interface CliResult {
  exitCode: number
}

export type Stop = 'interrupted' | 'timeout'

/** The sign-in as signed in: who, with which device, and what kind of token. */
export interface SignedIn {
  token: string
  account: PlexAccount
  clientIdentifier: string
  kind: TokenKind
}

/** What differs between a classic and a JWT sign-in. */
export interface SignInWay {
  /**
   * --reuse: the stored sign-in if plex.tv says it is valid, else why a new code is asked for
   * (a note for stderr, in the person's language).
   */
  reuse(): Promise<{ ok: true; signedIn: SignedIn } | { ok: false; note?: string }>
  /** Made ready before anyone approves (a store that cannot be written throws now). */
  prepare(): Promise<{
    flow: Pick<LoginFlowOptions, 'client' | 'saveCredentials' | 'verifyToken'>
    clientIdentifier: string
    kindOf(token: string): TokenKind
  }>
}

export type AfterSignIn = (
  token: string,
  account: PlexAccount,
  clientIdentifier: string
) => Promise<LoginStepsOutcome>

export interface LoginContext {
  options: CliOptions
  out: HumanOutput
  stopped: Promise<Stop>
  failStopped: (stop: Stop) => CliResult
  fail: (code: ErrorCode, message: string, text?: string) => CliResult
  failStore: (error: unknown) => CliResult // anything the store threw
  t: Translator['t']
  succeed: (body: object) => CliResult
  afterSignIn: AfterSignIn | undefined
}

export async function login(way: SignInWay, context: LoginContext): Promise<CliResult> {
  const { options, out, stopped, failStopped, fail, failStore, t, succeed, afterSignIn } = context
  const signedIn = async ({
    token,
    account,
    clientIdentifier,
    kind
  }: SignedIn): Promise<CliResult> => {
    out.line(t('cli.signedInAs', { name: cleanText(account.username) }))
    if (!afterSignIn) return succeed(signedInAnswer(token, clientIdentifier, account, {}, kind))
    // The stored sign-in stays the account's; a profile's token is only handed over.
    const after = await Promise.race([afterSignIn(token, account, clientIdentifier), stopped])
    if (typeof after === 'string') return failStopped(after)
    // Ctrl-C at a step's question ends the run as Ctrl-C anywhere else does.
    if (!after.ok)
      return after.code === 'interrupted'
        ? failStopped('interrupted')
        : fail(after.code, after.message)
    // A profile's token is a token of its own kind: only the account's JWT has this expiry.
    const afterKind: TokenKind = after.token === token ? kind : { tokenType: 'classic' }
    return succeed(
      signedInAnswer(after.token, clientIdentifier, after.account, after.json, afterKind)
    )
  }

  if (options.reuse) {
    const reused = await Promise.race([way.reuse(), stopped])
    if (typeof reused === 'string') return failStopped(reused)
    if (reused.ok) return signedIn(reused.signedIn)
    if (reused.note) out.line(reused.note)
  }

  let prepared: Awaited<ReturnType<SignInWay['prepare']>>
  try {
    // Found out now, not after the person has approved the code.
    prepared = await way.prepare()
  } catch (error) {
    return failStore(error)
  }

  // Kept to say on stderr, in the person's language, why an approved sign-in was not saved.
  let saveProblem: StoreProblem | undefined
  const { saveCredentials } = prepared.flow
  const flow = new LoginFlow({
    ...prepared.flow,
    saveCredentials: async (token, account) => {
      try {
        await saveCredentials(token, account)
      } catch (error) {
        if (error instanceof StoreError) saveProblem = error.problem
        throw error
      }
    },
    strong: options.strong,
    renew: options.renew
  })
  let opened = false
  flow.onEvent((event) => {
    out.event(event)
    if (event.type === 'code' && options.open && !opened) {
      opened = true
      openInBrowser(event.linkUrl).catch(() => out.line(t('cli.openFailed')))
    }
  })
  flow.onState((state) => out.state(state))

  const outcome: LoginOutcome | Stop = await Promise.race([flow.start(), stopped])
  if (typeof outcome === 'string') {
    flow.cancel()
    return failStopped(outcome)
  }
  if (outcome.ok) {
    const { token, account } = outcome
    const { clientIdentifier } = prepared
    return signedIn({ token, account, clientIdentifier, kind: prepared.kindOf(token) })
  }
  if (outcome.code === 'cancelled') return fail('interrupted', outcome.message)
  if (outcome.code === 'store' && saveProblem) {
    const problem = storeProblemText(saveProblem, { t })
    return fail('store', outcome.message, t('cli.saveFailed', { problem }))
  }
  return fail(outcome.code, outcome.message)
}

/** The classic sign-in: the store's client identifier (or --client-id) and a token. */
export function classicWay(
  client: PlexClient,
  store: CredentialStore,
  t: Translator['t']
): SignInWay {
  const classic: TokenKind = { tokenType: 'classic' }
  return {
    async reuse() {
      const status = await checkStatus(client, store)
      // Reported with the client identifier the token was issued to, whatever --client-id says.
      if (status.status === 'signed-in') {
        const clientIdentifier = status.clientIdentifier ?? client.clientIdentifier
        const { token, account } = status
        return { ok: true, signedIn: { token, account, clientIdentifier, kind: classic } }
      }
      return { ok: false, note: reuseNote(status, 'cli.reuse.checkFailed', t) }
    },
    async prepare() {
      store.checkWritable()
      return {
        flow: {
          client,
          saveCredentials: (token, account) => store.save(token, account, client.clientIdentifier)
        },
        clientIdentifier: client.clientIdentifier,
        kindOf: () => classic
      }
    }
  }
}

/**
 * Why --reuse asks for a new code, for either kind of sign-in: plex.tv could not check it
 * (`checkFailed` says so), or the stored one is damaged; nothing when there is none.
 */
export function reuseNote(
  status: { status: 'unknown'; message: string } | { status: 'signed-out'; problem?: StoreProblem },
  checkFailed: 'cli.reuse.checkFailed' | 'cli.jwt.reuseCheckFailed',
  t: Translator['t']
): string | undefined {
  if (status.status === 'unknown')
    return t(checkFailed, { reason: reasonWords(cleanText(status.message), t) })
  if (status.problem)
    return t('cli.reuse.problem', { problem: storeProblemText(status.problem, { t }) })
  return undefined
}
