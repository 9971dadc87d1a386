// Everything the desktop app does that is not Electron: options, log, store, plex.tv client,
// session and the installer hand-off. index.ts adds the window, IPC and lifecycle around it;
// tests run this as it is against the fake plex.tv.

import { join } from 'node:path'
import type { LoginState } from '../../shared/login-state'
import { createAppLog, type AppLog } from '../log/app-log'
import { LoginSession } from '../login/login-session'
import { clientsUrlFor } from '../login/after-sign-in'
import { WindowSteps } from '../login/window-steps'
import { chooseLanguage } from '../../shared/i18n/negotiate-language'
import type { Language } from '../../shared/i18n/languages'
import { translatorFor } from '../../shared/i18n/translator'
import { jwtSignIn } from '../login/sign-in-kind'
import { JwtStore } from '../store/jwt-store'
import type { LoginFlowOptions } from '../login/login-flow'
import { fetchAvatarDataUrl } from '../plex/avatar'
import { deviceInfo } from '../plex/device-info'
import { createPlexClient } from '../plex/plex-client'
import {
  CredentialStore,
  memoryStorage,
  plainTokenCodec,
  type OpenedStorage
} from '../store/credential-store'
import { storeProblem, storeProblemText, type StoreProblem } from '../store/store-error'
import { productStoreDir } from '../store/store-paths'
import { cleanText } from '../../shared/sanitize-text'
import { parseAppArgs } from './app-args'
import { InstallerHandoff, type HandoffIo } from './installer-handoff'

export interface AppCoreDeps {
  argv: string[]
  env: NodeJS.ProcessEnv
  cwd: string
  userDataDir: string
  version: string
  fetch: typeof fetch
  openStorage: (directory: string, warn: (problem: StoreProblem) => void) => OpenedStorage
  io: HandoffIo
  flow?: Omit<LoginFlowOptions, 'client' | 'saveCredentials' | 'strong' | 'renew'>
  /** The OS's languages, most preferred first (the window's language unless --lang says). */
  systemLanguages?: readonly string[]
  /** How long the signed-in window stays before an installer's run ends; 4 s unless a test says. */
  closeAfterSignInMs?: number
}

/** Long enough to read "you can go back to …", short enough that nobody has to close it. */
export const CLOSE_AFTER_SIGN_IN_MS = 4000

export interface AppCore {
  readonly session: LoginSession
  readonly log: AppLog
  /** --product: the app that asked, named in the window. */
  readonly product: string
  /** The window's language: --lang, else the OS's, negotiated among the app's catalogs. */
  readonly language: Language
  /** An installer waits for the answer (--json or --output): the window offers Cancel. */
  readonly installerMode: boolean
  /** The person closed the window. */
  windowClosed(): void
  /** The person pressed Cancel: ends like closing the window. */
  cancel(): void
  /** SIGINT, SIGTERM, SIGHUP or SIGQUIT. */
  interrupted(): void
  /**
   * Starts the session and asks the OS keyring, which may wait on a prompt: called once the
   * window exists. Settles when a token kept as is has been encrypted, if a keyring is there
   * now, with whether a token is (still) kept as is in a file.
   */
  start(): Promise<{ tokenInPlainFile: boolean }>
}

/**
 * A second launch while the app is open only brings the open window forward. An installer
 * waiting on this one for an answer is told so, rather than left with exit 0 and nothing.
 */
export function refuseSecondInstance(deps: Pick<AppCoreDeps, 'argv' | 'env' | 'cwd' | 'io'>): void {
  const parsed = parseAppArgs(deps.argv, deps.env, deps.cwd)
  const handoff = new InstallerHandoff(parsed.kind === 'run' ? parsed.options : parsed, deps.io)
  if (handoff.active)
    handoff.failed('unavailable', 'Plex Login Helper is already open in another window')
  else deps.io.exit(0)
}

/** Builds the app's core, or ends the app (usage error) and returns undefined. */
export function createAppCore(deps: AppCoreDeps): AppCore | undefined {
  const log = createAppLog({ directory: join(deps.userDataDir, 'logs') })
  const parsed = parseAppArgs(deps.argv, deps.env, deps.cwd)
  if (parsed.kind === 'usage-error') {
    log.error(`usage: ${parsed.message}`)
    new InstallerHandoff(parsed, deps.io).failed('usage', parsed.message)
    return undefined
  }
  const { options } = parsed
  const handoff = new InstallerHandoff(
    options,
    deps.io,
    deps.closeAfterSignInMs ?? CLOSE_AFTER_SIGN_IN_MS
  )
  if (parsed.ignored.length > 0) log.info(`options passed over: ${parsed.ignored.join(' ')}`)

  const warn = (message: string): void => {
    log.warn(message)
    deps.io.stderr(`Plex Login Helper: ${message}\n`)
  }
  let opened: OpenedStorage
  let store: CredentialStore
  let jwtStore: JwtStore
  const storeDir = productStoreDir(deps.userDataDir, options.product)
  try {
    opened = deps.openStorage(storeDir, (problem) => warn(storeProblemText(problem)))
    store = new CredentialStore(opened.storage, { codec: opened.codec, origin: options.plexUrl })
    store.checkWritable()
    // The JWT sign-in's key and JWT are encrypted by the same codec as the classic token.
    jwtStore = new JwtStore(opened.storage, { codec: opened.codec, origin: options.plexUrl })
  } catch (error) {
    // Signing in still works (and is handed over); it just will not be remembered.
    const problem = storeProblemText(storeProblem(storeDir, error))
    warn(`${problem}; nothing will be kept after this run`)
    const storage = memoryStorage()
    opened = { storage, codec: plainTokenCodec, tokenInPlainFile: async () => false }
    store = new CredentialStore(storage, { origin: options.plexUrl })
    jwtStore = new JwtStore(storage, { origin: options.plexUrl })
  }
  // A token kept as is by a run without a keyring is encrypted once there is one; the window's
  // note goes only when the file no longer holds it as is.
  const keepTokenEncrypted = async (): Promise<boolean> => {
    try {
      if (await opened.tokenInPlainFile()) {
        log.warn('no OS keyring: the token is kept in a file only this user can read')
        return true
      }
      const classic = await store.reEncrypt()
      if ((await jwtStore.reEncrypt()) || classic)
        log.info('the stored sign-in is now encrypted by the OS keyring')
      return false
    } catch (error) {
      // Refused at a Keychain prompt, or the store cannot be written: tried again next start.
      const reason = error instanceof Error ? error.message : String(error)
      warn(`Could not encrypt the stored token (${reason}); it stays unencrypted for now`)
      return true
    }
  }

  const device = deviceInfo(options.product, deps.version)
  const client = createPlexClient({
    baseUrl: options.plexUrl,
    clientIdentifier: options.clientId ?? store.clientIdentifier(),
    device,
    fetch: deps.fetch
  })
  const fetchAvatar = (url: string): Promise<string | undefined> =>
    fetchAvatarDataUrl(url, deps.fetch)
  const language = chooseLanguage(options.language, deps.systemLanguages ?? [])
  const steps = new WindowSteps({
    translator: translatorFor(language),
    ...(options.profile === undefined ? {} : { profile: options.profile }),
    ...(options.server === undefined ? {} : { server: options.server }),
    steps: {
      fetch: deps.fetch,
      clientsUrl: clientsUrlFor(options.plexUrl),
      device,
      getAccount: client.getAccount
    },
    fetchAvatar
  })
  let giveUp: ReturnType<typeof setTimeout> | undefined // --timeout, until the first sign-in
  const session = new LoginSession({
    client,
    store,
    ...(options.jwt
      ? {
          kind: jwtSignIn({ plexUrl: options.plexUrl, device, fetch: deps.fetch, store: jwtStore })
        }
      : {}),
    flow: { ...deps.flow, strong: options.strong, renew: options.renew },
    fetchAvatar,
    steps,
    verifiedOnly: handoff.active,
    onSignedIn: ({ token, account, clientIdentifier, verified, kind, steps: chosen }) => {
      clearTimeout(giveUp)
      log.addSecret(token)
      if (chosen?.server?.accessToken) log.addSecret(chosen.server.accessToken)
      log.info(
        `signed in as ${cleanText(account.username)}${verified ? '' : ' (not verified: plex.tv unreachable)'}`
      )
      handoff.signedIn(token, clientIdentifier, account, chosen, kind)
    },
    // An installer is told of a failure the person cannot fix from the window, as plex-login does.
    onFailed: (code, message) => {
      log.error(`sign-in failed (${code}): ${cleanText(message)}`)
      if (handoff.active) handoff.failed(code, message)
    }
  })
  session.onState((state) => log.info(describeState(state)))
  if (options.timeoutMs !== undefined) {
    const seconds = options.timeoutMs / 1000
    giveUp = setTimeout(() => {
      session.dispose()
      handoff.failed('timeout', `Gave up after ${seconds} s (--timeout)`)
    }, options.timeoutMs).unref()
  }
  log.info(`started ${deps.version}; plex.tv at ${options.plexUrl}`)

  const stop = (message: string): void => {
    session.dispose()
    // Signed in and closing by itself: the answer is out, so its code stands (0, not 130).
    if (handoff.done) handoff.exitNow()
    else if (handoff.active) handoff.failed('interrupted', message)
    else deps.io.exit(0)
  }
  return {
    session,
    log,
    product: options.product,
    language,
    installerMode: handoff.active,
    windowClosed: () => stop('The window was closed before signing in'),
    cancel: () => stop('Sign-in was cancelled in the window'),
    interrupted: () => stop('Interrupted'),
    start: async () => {
      // The first code is asked for at once, while the keyring answers.
      void session.start()
      return { tokenInPlainFile: await keepTokenEncrypted() }
    }
  }
}

// Each server-supplied part capped on its own, so none crowds the rest out of the log line.
function describeState(state: LoginState): string {
  switch (state.phase) {
    case 'waiting':
      return `code ${cleanText(state.code)} shown, expires in ${state.expiresIn} s`
    case 'error':
      return `error: ${cleanText(state.message)}${state.retryAt ? ' (retrying)' : ''}`
    case 'signed-in':
      return `signed in view for ${cleanText(state.user.username)}`
    case 'choose-profile':
      // The error is in the window's language: the log only says there was one.
      return `profile step, ${state.profiles.length} on offer${state.error ? ' (error shown)' : ''}`
    case 'choose-server':
      return `server step, ${state.servers.length} listed${state.searching ? ' (testing)' : ''}`
    default:
      return state.phase
  }
}
