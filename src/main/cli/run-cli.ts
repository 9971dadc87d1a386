// The headless `plex-login` command: the same engine as the window, talking on stdout
// (one JSON object with --json) and stderr (everything meant for a person).

import type { PlexAccount, PlexClient } from '../plex/plex-client'
import { createPlexClient } from '../plex/plex-client'
import { deviceInfo } from '../plex/device-info'
import { LoginFlow, type LoginOutcome } from '../login/login-flow'
import { checkStatus, signOut } from '../login/account-status'
import { CredentialStore } from '../store/credential-store'
import { openJsonFileStorage } from '../store/json-file-storage'
import { storeProblem } from '../store/store-error'
import { HELP_TEXT, parseCliArgs, type CliOptions } from './cli-args'
import { createHumanOutput, type HumanOutput } from './human-output'
import { cleanText } from '../../shared/sanitize-text'
import { openInBrowser } from './open-in-browser'
import { clientsUrlFor } from '../login/after-sign-in'
import { createTerminalPrompt, type TerminalInput } from './ask-on-terminal'
import {
  askWithoutTerminal,
  PROFILE_PIN_ENV,
  runLoginSteps,
  type LoginStepsOutcome
} from './login-steps'
import { profilesCommand } from './profiles-command'
import { serversCommand } from './servers-command'
import {
  errorAnswer,
  EXIT,
  EXIT_FOR_ERROR,
  signedInAnswer,
  userJson,
  type ErrorCode
} from '../login/sign-in-result'

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

export interface CliResult {
  exitCode: number
}

// Room for our own words around a server's text, which is capped shorter on its own.
const MAX_MESSAGE_LENGTH = 1_000

export async function runCli(io: CliIo): Promise<CliResult> {
  const parsed = parseCliArgs(io.argv, io.env)
  if (parsed.kind === 'help') {
    io.stdout(HELP_TEXT)
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
    giveUpAt: timeoutMs === undefined ? undefined : Date.now() + timeoutMs
  })

  const fail = (code: ErrorCode, rawMessage: string): CliResult => {
    // It may carry plex.tv's words, and an installer may print the JSON's message as it is.
    const message = cleanText(rawMessage, MAX_MESSAGE_LENGTH)
    out.line(`plex-login: ${message}`)
    if (code === 'usage') out.line('Try "plex-login --help".')
    if (json) io.stdout(`${JSON.stringify(errorAnswer(code, message))}\n`)
    return { exitCode: EXIT_FOR_ERROR[code] }
  }
  const succeed = (body: object, exitCode: number = EXIT.ok): CliResult => {
    if (json) io.stdout(`${JSON.stringify({ ok: true, ...body })}\n`)
    return { exitCode }
  }

  if (parsed.kind === 'usage-error') return fail('usage', parsed.message)
  const options = parsed.options
  const terminal =
    io.stdin?.isTTY && io.stderrIsTty ? createTerminalPrompt(io.stdin, io.stderr) : undefined
  // Before anyone signs in: `ask` with nobody to ask is a mistake in the command line.
  const noTerminal = askWithoutTerminal(options, terminal !== undefined)
  if (noTerminal) return fail('usage', noTerminal)

  let store: CredentialStore
  let client: PlexClient
  try {
    const storage = openJsonFileStorage(options.storeDir, (warning) => out.line(warning))
    store = new CredentialStore(storage, { origin: options.plexUrl })
    client = createPlexClient({
      baseUrl: options.plexUrl,
      clientIdentifier: options.clientId ?? store.clientIdentifier(),
      device: deviceInfo(options.product, io.version),
      ...(io.fetch ? { fetch: io.fetch } : {})
    })
  } catch (error) {
    return fail('store', error instanceof Error ? error.message : String(error))
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
  // The profile and server steps stop their requests, probes and questions with the run.
  const abort = new AbortController()
  void stopped.then(() => abort.abort())
  const steps = {
    fetch: io.fetch ?? fetch,
    clientsUrl: clientsUrlFor(options.plexUrl),
    device: client.device,
    signal: abort.signal
  }
  const afterSignIn: AfterSignIn | undefined =
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
            getAccount: client.getAccount
          })

  try {
    switch (options.command) {
      case 'status': {
        const result = await Promise.race([checkStatus(client, store), stopped])
        if (typeof result === 'string') return fail(result, stopMessages[result])
        if (result.status === 'signed-in') {
          out.line(`Signed in as ${cleanText(result.account.username)}`)
          return succeed({ signedIn: true, user: userJson(result.account) })
        }
        if (result.status === 'signed-out') {
          if (result.problem) return fail('store', result.problem)
          out.line(notSignedInHere(result.storedFor))
          return succeed({ signedIn: false }, EXIT.notSignedIn)
        }
        return fail(result.code, `Could not check the sign-in: ${result.message}`)
      }
      case 'logout': {
        const result = await Promise.race([signOut(client, store), stopped])
        if (typeof result === 'string') return fail(result, stopMessages[result])
        if (!result.wasSignedIn) out.line(`${notSignedInHere(result.storedFor)}; nothing to do`)
        else if (result.revoked) out.line('Signed out')
        else {
          out.line(
            `Signed out here, but plex.tv could not be told (${cleanText(String(result.message))}); ` +
              'remove this device under Authorized Devices at plex.tv to be sure'
          )
        }
        return succeed({ signedIn: false, revoked: result.revoked })
      }
      case 'profiles':
      case 'servers': {
        const list = options.command === 'profiles' ? profilesCommand : serversCommand
        const say = (text: string): void => out.line(text)
        const result = await Promise.race([list({ ...steps, client, store, say }), stopped])
        if (typeof result === 'string') return fail(result, stopMessages[result])
        return result.ok ? succeed(result.body, result.exitCode) : fail(result.code, result.message)
      }
      default:
        return await login(options, client, store, out, stopped, stopMessages, fail, succeed, {
          afterSignIn
        })
    }
  } catch (error) {
    // A store that became unwritable mid-run is the one failure that surfaces as a throw.
    return fail('store', error instanceof Error ? error.message : String(error))
  } finally {
    if (timer) clearTimeout(timer)
    stopListening()
    out.close()
  }
}

/** A token is only used with the origin that issued it: one kept for another is left alone. */
function notSignedInHere(storedFor: string | undefined): string {
  return storedFor
    ? `Not signed in here (the stored sign-in is for ${storedFor}, used only there)`
    : 'Not signed in'
}

type AfterSignIn = (
  token: string,
  account: PlexAccount,
  clientIdentifier: string
) => Promise<LoginStepsOutcome>

async function login(
  options: CliOptions,
  client: PlexClient,
  store: CredentialStore,
  out: HumanOutput,
  stopped: Promise<'interrupted' | 'timeout'>,
  stopMessages: Record<'interrupted' | 'timeout', string>,
  fail: (code: ErrorCode, message: string) => CliResult,
  succeed: (body: object) => CliResult,
  { afterSignIn }: { afterSignIn: AfterSignIn | undefined }
): Promise<CliResult> {
  const signedIn = async (
    token: string,
    account: PlexAccount,
    clientIdentifier = client.clientIdentifier
  ): Promise<CliResult> => {
    out.line(`Signed in as ${cleanText(account.username)}`)
    if (!afterSignIn) return succeed(signedInAnswer(token, clientIdentifier, account))
    // The stored sign-in stays the account's; a profile's token is only handed over.
    const after = await Promise.race([afterSignIn(token, account, clientIdentifier), stopped])
    if (typeof after === 'string') return fail(after, stopMessages[after])
    if (!after.ok) return fail(after.code, after.message)
    return succeed(signedInAnswer(after.token, clientIdentifier, after.account, after.json))
  }

  if (options.reuse) {
    const status = await Promise.race([checkStatus(client, store), stopped])
    if (typeof status === 'string') return fail(status, stopMessages[status])
    // Reported with the client identifier the token was issued to, whatever --client-id says.
    if (status.status === 'signed-in')
      return signedIn(status.token, status.account, status.clientIdentifier)
    if (status.status === 'unknown')
      out.line(
        `Could not check the stored sign-in (${cleanText(status.message)}); asking for a new code`
      )
    if (status.status === 'signed-out' && status.problem)
      out.line(`${status.problem}; asking for a new code`)
  }

  try {
    // Found out now, not after the person has approved the code.
    store.checkWritable()
  } catch (error) {
    return fail('store', storeProblem(options.storeDir, error))
  }

  const flow = new LoginFlow({
    client,
    strong: options.strong,
    renew: options.renew,
    saveCredentials: (token, account) => store.save(token, account, client.clientIdentifier)
  })
  let opened = false
  flow.onEvent((event) => {
    out.event(event)
    if (event.type === 'code' && options.open && !opened) {
      opened = true
      openInBrowser(event.linkUrl).catch(() =>
        out.line('Could not open a browser; open the link yourself.')
      )
    }
  })
  flow.onState((state) => out.state(state))

  const outcome: LoginOutcome | 'interrupted' | 'timeout' = await Promise.race([
    flow.start(),
    stopped
  ])
  if (typeof outcome === 'string') {
    flow.cancel()
    return fail(outcome, stopMessages[outcome])
  }
  if (outcome.ok) return signedIn(outcome.token, outcome.account)
  if (outcome.code === 'cancelled') return fail('interrupted', outcome.message)
  return fail(outcome.code, outcome.message)
}
