// The headless `plex-login` command: the same engine as the window, talking on stdout
// (one JSON object with --json) and stderr (everything meant for a person).

import type { PlexClient } from '../plex/plex-client'
import { createPlexClient } from '../plex/plex-client'
import { deviceInfo } from '../plex/device-info'
import { checkStatus, signOut } from '../login/account-status'
import { CredentialStore, type KeyValueStorage } from '../store/credential-store'
import { JwtStore } from '../store/jwt-store'
import { openJsonFileStorage } from '../store/json-file-storage'
import { storeProblem, storeProblemText } from '../store/store-error'
import { jwtClient } from '../jwt/jwt-sign-in'
import { DEFAULT_MIN_VALIDITY_S, helpText, parseCliArgs } from './cli-args'
import { cliTranslator } from './cli-language'
import { createHumanOutput } from './human-output'
import { cleanText } from '../../shared/sanitize-text'
import type { Translator } from '../../shared/i18n/translator'
import { failureText } from './failure-text'
import { clientsUrlFor } from '../login/after-sign-in'
import { createTerminalPrompt, type TerminalInput } from './ask-on-terminal'
import { askWithoutTerminal, PROFILE_PIN_ENV, runLoginSteps } from './login-steps'
import { profilesCommand } from './profiles-command'
import { serversCommand } from './servers-command'
import { checkFailure, storeFailure, type CommandOutcome } from './stored-sign-in'
import {
  classicWay,
  login,
  type AfterSignIn,
  type CliResult,
  type LoginContext,
  type Stop
} from './login-command'
import { jwtLogoutCommand, jwtStatusCommand, jwtWay, tokenCommand } from './jwt-commands'
import {
  errorAnswer,
  EXIT,
  EXIT_FOR_ERROR,
  userJson,
  type ErrorCode
} from '../login/sign-in-result'
import { reasonWords } from '../../shared/reason-words'

export interface CliIo {
  argv: string[]
  env: NodeJS.ProcessEnv
  version: string
  stdout: (text: string) => void
  stderr: (text: string) => void
  stderrIsTty: boolean
  stderrColumns?: () => number | undefined // the terminal's width now, when stderr is one
  fetch?: typeof fetch
  stdin?: TerminalInput // asked from (`ask`, a PIN) only when it and stderr are terminals
  // Calls back once on SIGINT/SIGTERM; returns a function that stops listening.
  onInterrupt: (callback: () => void) => () => void
}

// Room for our own words around a server's text, which is capped shorter on its own.
const MAX_MESSAGE_LENGTH = 1_000

export async function runCli(io: CliIo): Promise<CliResult> {
  // Only what a person reads changes with the language: stderr and the help.
  const translator = cliTranslator(io.argv, io.env)
  const { t } = translator
  const parsed = parseCliArgs(io.argv, io.env, translator)
  if (parsed.kind === 'help') {
    io.stdout(helpText(translator))
    return { exitCode: EXIT.ok }
  }
  if (parsed.kind === 'version') {
    io.stdout(`${io.version}\n`)
    return { exitCode: EXIT.ok }
  }
  const json = parsed.kind === 'usage-error' ? parsed.json : parsed.options.json
  const timeoutMs = parsed.kind === 'run' ? parsed.options.timeoutMs : undefined
  const out = createHumanOutput(io.stderr, {
    isTty: io.stderrIsTty,
    env: io.env,
    columns: io.stderrColumns,
    // The countdown shows when --timeout gives up if that comes before the code expires.
    giveUpAt: timeoutMs === undefined ? undefined : Date.now() + timeoutMs,
    translator
  })

  // `rawMessage` is English, for the JSON answer; `text`, when given, says it on stderr in the
  // person's language (else failureText words it, or the English stands).
  const fail = (code: ErrorCode, rawMessage: string, text?: string): CliResult => {
    // It may carry plex.tv's words, and an installer may print the JSON's message as it is.
    const message = cleanText(rawMessage, MAX_MESSAGE_LENGTH)
    const shown = text ?? failureText(code, message, translator)
    out.line(`plex-login: ${shown === undefined ? message : cleanText(shown, MAX_MESSAGE_LENGTH)}`)
    if (code === 'usage') out.line(t('cli.usage.tryHelp'))
    if (json) io.stdout(`${JSON.stringify(errorAnswer(code, message))}\n`)
    return { exitCode: EXIT_FOR_ERROR[code] }
  }
  const succeed = (body: object, exitCode: number = EXIT.ok): CliResult => {
    if (json) io.stdout(`${JSON.stringify({ ok: true, ...body })}\n`)
    return { exitCode }
  }

  if (parsed.kind === 'usage-error') return fail('usage', parsed.message, parsed.text)
  const options = parsed.options
  // Anything thrown while using the store is a store problem, said like the others.
  const failStore = (error: unknown): CliResult => {
    const { message, text } = storeFailure(storeProblem(options.storeDir, error), t)
    return fail('store', message, text)
  }
  const terminal =
    io.stdin?.isTTY && io.stderrIsTty ? createTerminalPrompt(io.stdin, io.stderr) : undefined
  // Before anyone signs in: `ask` with nobody to ask is a mistake in the command line.
  const noTerminal = askWithoutTerminal(options, terminal !== undefined, t)
  if (noTerminal) return fail('usage', noTerminal.message, noTerminal.text)

  const device = deviceInfo(options.product, io.version)
  // A JWT run never touches the classic sign-in, nor makes it a client identifier.
  const jwtRun = options.jwt === true || options.command === 'token'
  let storage: KeyValueStorage
  let classic: { store: CredentialStore; client: PlexClient } | undefined
  try {
    storage = openJsonFileStorage(options.storeDir, (problem) =>
      out.line(storeProblemText(problem, translator))
    )
    if (!jwtRun) {
      const store = new CredentialStore(storage, { origin: options.plexUrl })
      const client = createPlexClient({
        baseUrl: options.plexUrl,
        clientIdentifier: options.clientId ?? store.clientIdentifier(),
        device,
        ...(io.fetch ? { fetch: io.fetch } : {})
      })
      classic = { store, client }
    }
  } catch (error) {
    return failStore(error)
  }

  // Every command can be stopped: by SIGINT/SIGTERM (130) or by --timeout (3).
  let stop: (code: 'interrupted' | 'timeout') => void = () => {}
  const stopped = new Promise<'interrupted' | 'timeout'>((resolve) => (stop = resolve))
  const stopListening = io.onInterrupt(() => stop('interrupted'))
  const timer =
    options.timeoutMs === undefined
      ? undefined
      : setTimeout(() => stop('timeout'), options.timeoutMs)
  const stopMessages = {
    interrupted: 'Interrupted',
    timeout: `Gave up after ${(options.timeoutMs ?? 0) / 1000} s (--timeout)`
  }
  const stopTexts = {
    interrupted: t('cli.stop.interrupted'),
    timeout: t('cli.stop.timeout', { seconds: (options.timeoutMs ?? 0) / 1000 })
  }
  const failStopped = (stop: Stop): CliResult => fail(stop, stopMessages[stop], stopTexts[stop])
  // The profile and server steps stop their requests, probes and questions with the run.
  const abort = new AbortController()
  void stopped.then(() => abort.abort())
  const steps = {
    fetch: io.fetch ?? fetch,
    clientsUrl: clientsUrlFor(options.plexUrl),
    device,
    signal: abort.signal
  }
  // getAccount: plex.tv's account read for a profile's token, as the device signed in.
  const afterSignIn = (
    getAccount: (clientIdentifier: string) => PlexClient['getAccount']
  ): AfterSignIn | undefined =>
    options.profile === undefined && options.server === undefined
      ? undefined
      : (token, account, clientIdentifier) =>
          runLoginSteps(token, account, {
            ...steps,
            profile: options.profile,
            server: options.server,
            pinFromEnv: io.env[PROFILE_PIN_ENV] || undefined,
            terminal,
            write: io.stderr,
            out,
            clientIdentifier,
            getAccount: getAccount(clientIdentifier),
            t
          })
  const loginContext = (after: AfterSignIn | undefined): LoginContext => ({
    options,
    out,
    stopped,
    failStopped,
    fail,
    failStore,
    t,
    succeed,
    afterSignIn: after
  })
  const say = (text: string): void => out.line(text)
  const ended = (outcome: CommandOutcome | Stop): CliResult => {
    if (typeof outcome === 'string') return failStopped(outcome)
    return outcome.ok
      ? succeed(outcome.body, outcome.exitCode)
      : fail(outcome.code, outcome.message, outcome.text)
  }

  try {
    if (!classic) {
      const jwtStore = new JwtStore(storage, { origin: options.plexUrl })
      const account = { ...steps, plexUrl: options.plexUrl, store: jwtStore }
      switch (options.command) {
        case 'status':
          return ended(await Promise.race([jwtStatusCommand(account, say, t), stopped]))
        case 'logout':
          return ended(await Promise.race([jwtLogoutCommand(account, say, t), stopped]))
        case 'token': {
          const minValidityMs = options.minValidityMs ?? DEFAULT_MIN_VALIDITY_S * 1000
          const result = await Promise.race([
            tokenCommand({ ...account, minValidityMs }, say, t),
            stopped
          ])
          // Without --json, the JWT alone on stdout: a host app reads it as it is.
          if (typeof result !== 'string' && result.bare !== undefined && !json) {
            io.stdout(`${result.bare}\n`)
          }
          return ended(result)
        }
        default: {
          const getAccount = (id: string): PlexClient['getAccount'] =>
            jwtClient(account, id).getAccount
          return await login(jwtWay(account, t), loginContext(afterSignIn(getAccount)))
        }
      }
    }
    const { store, client } = classic
    switch (options.command) {
      case 'status': {
        const result = await Promise.race([checkStatus(client, store), stopped])
        if (typeof result === 'string') return failStopped(result)
        if (result.status === 'signed-in') {
          out.line(t('cli.signedInAs', { name: cleanText(result.account.username) }))
          return succeed({ signedIn: true, user: userJson(result.account) })
        }
        if (result.status === 'signed-out') {
          if (result.problem) return ended(storeFailure(result.problem, t))
          out.line(notSignedInHere(result.storedFor, t))
          // Someone who signed in with --jwt and forgot it is told where their sign-in is.
          const jwt = await new JwtStore(storage, { origin: options.plexUrl }).inspect()
          if (jwt.kind === 'stored') out.line(t('cli.jwtKeptHere'))
          return succeed({ signedIn: false }, EXIT.notSignedIn)
        }
        return ended(checkFailure(result, t))
      }
      case 'logout': {
        const result = await Promise.race([signOut(client, store), stopped])
        if (typeof result === 'string') return failStopped(result)
        const { storedFor } = result
        if (!result.wasSignedIn) {
          out.line(
            storedFor
              ? t('cli.logout.notSignedInHere', { origin: storedFor })
              : t('cli.logout.notSignedIn')
          )
        } else if (result.revoked) out.line(t('cli.signedOut'))
        else
          out.line(
            t('cli.signedOutUntold', { reason: reasonWords(cleanText(String(result.message)), t) })
          )
        return succeed({ signedIn: false, revoked: result.revoked })
      }
      case 'profiles':
      case 'servers': {
        const list = options.command === 'profiles' ? profilesCommand : serversCommand
        return ended(await Promise.race([list({ ...steps, client, store, say, t }), stopped]))
      }
      default:
        return await login(
          classicWay(client, store, t),
          loginContext(afterSignIn(() => client.getAccount))
        )
    }
  } catch (error) {
    // A store that became unwritable mid-run is the one failure that surfaces as a throw.
    return failStore(error)
  } finally {
    if (timer) clearTimeout(timer)
    stopListening()
    out.close()
  }
}

/** A token is only used with the origin that issued it: one kept for another is left alone. */
function notSignedInHere(storedFor: string | undefined, t: Translator['t']): string {
  return storedFor ? t('cli.notSignedInHere', { origin: storedFor }) : t('cli.notSignedIn')
}
