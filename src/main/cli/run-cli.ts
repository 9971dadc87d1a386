// The headless `plex-login` command: the same engine as the window, talking on stdout
// (one JSON object with --json) and stderr (everything meant for a person).

import type { PlexAccount, PlexClient } from '../plex/plex-client'
import { createPlexClient } from '../plex/plex-client'
import { deviceInfo } from '../plex/device-info'
import { LoginFlow, type LoginOutcome } from '../login/login-flow'
import { checkStatus, signOut } from '../login/account-status'
import { CredentialStore } from '../store/credential-store'
import { openConfStorage } from '../store/conf-storage'
import { storeProblem } from '../store/open-storage'
import { HELP_TEXT, parseCliArgs, type CliOptions } from './cli-args'
import { createHumanOutput, type HumanOutput } from './human-output'
import { openInBrowser } from './open-in-browser'
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
  fetch?: typeof fetch
  // Calls back once on SIGINT/SIGTERM; returns a function that stops listening.
  onInterrupt: (callback: () => void) => () => void
}

export interface CliResult {
  exitCode: number
}

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
  const out = createHumanOutput(io.stderr, io.stderrIsTty)

  const fail = (code: ErrorCode, message: string): CliResult => {
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

  let store: CredentialStore
  let client: PlexClient
  try {
    store = new CredentialStore(openConfStorage(options.storeDir, (warning) => out.line(warning)))
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

  try {
    switch (options.command) {
      case 'status': {
        const result = await Promise.race([checkStatus(client, store), stopped])
        if (typeof result === 'string') return fail(result, stopMessages[result])
        if (result.status === 'signed-in') {
          out.line(`Signed in as ${result.account.username}`)
          return succeed({ signedIn: true, user: userJson(result.account) })
        }
        if (result.status === 'signed-out') {
          out.line('Not signed in')
          return succeed({ signedIn: false }, EXIT.notSignedIn)
        }
        return fail(result.code, `Could not check the sign-in: ${result.message}`)
      }
      case 'logout': {
        const result = await Promise.race([signOut(client, store), stopped])
        if (typeof result === 'string') return fail(result, stopMessages[result])
        if (!result.wasSignedIn) out.line('Not signed in; nothing to do')
        else if (result.revoked) out.line('Signed out')
        else {
          out.line(
            `Signed out here, but plex.tv could not be told (${result.message}); ` +
              'remove this device under Authorized Devices at plex.tv to be sure'
          )
        }
        return succeed({ signedIn: false, revoked: result.revoked })
      }
      default:
        return await login(options, client, store, out, stopped, stopMessages, fail, succeed)
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

async function login(
  options: CliOptions,
  client: PlexClient,
  store: CredentialStore,
  out: HumanOutput,
  stopped: Promise<'interrupted' | 'timeout'>,
  stopMessages: Record<'interrupted' | 'timeout', string>,
  fail: (code: ErrorCode, message: string) => CliResult,
  succeed: (body: object) => CliResult
): Promise<CliResult> {
  const signedIn = (
    token: string,
    account: PlexAccount,
    clientIdentifier = client.clientIdentifier
  ): CliResult => {
    out.line(`Signed in as ${account.username}`)
    return succeed(signedInAnswer(token, clientIdentifier, account))
  }

  if (options.reuse) {
    const status = await Promise.race([checkStatus(client, store), stopped])
    if (typeof status === 'string') return fail(status, stopMessages[status])
    // Reported with the client identifier the token was issued to, whatever --client-id says.
    if (status.status === 'signed-in')
      return signedIn(status.token, status.account, status.clientIdentifier)
    if (status.status === 'unknown')
      out.line(`Could not check the stored sign-in (${status.message}); asking for a new code`)
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
