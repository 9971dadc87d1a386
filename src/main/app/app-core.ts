// Everything the desktop app does that is not Electron: options, log, store, plex.tv client,
// session and the installer hand-off. index.ts adds the window, IPC and lifecycle around it;
// tests run this as it is against the fake plex.tv.

import { join } from 'node:path'
import type { LoginState } from '../../shared/login-state'
import { createAppLog, type AppLog } from '../log/app-log'
import { LoginSession } from '../login/login-session'
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
import { storeProblem } from '../store/open-storage'
import { parseAppArgs } from './app-args'
import { InstallerHandoff, type HandoffIo } from './installer-handoff'

export interface AppCoreDeps {
  argv: string[]
  env: NodeJS.ProcessEnv
  cwd: string
  userDataDir: string
  version: string
  fetch: typeof fetch
  openStorage: (directory: string, warn: (message: string) => void) => OpenedStorage
  io: HandoffIo
  flow?: Omit<LoginFlowOptions, 'client' | 'saveCredentials' | 'strong' | 'renew'>
}

export interface AppCore {
  readonly session: LoginSession
  readonly log: AppLog
  readonly tokenInPlainFile: boolean
  /** The person closed the window. */
  windowClosed(): void
  /** SIGINT / SIGTERM. */
  interrupted(): void
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
  const handoff = new InstallerHandoff(options, deps.io)
  if (parsed.ignored.length > 0) log.info(`options passed over: ${parsed.ignored.join(' ')}`)

  const warn = (message: string): void => {
    log.warn(message)
    deps.io.stderr(`Plex Login Helper: ${message}\n`)
  }
  let opened: OpenedStorage
  let store: CredentialStore
  try {
    opened = deps.openStorage(deps.userDataDir, warn)
    store = new CredentialStore(opened.storage, opened.codec)
    store.checkWritable()
  } catch (error) {
    // Signing in still works (and is handed over); it just will not be remembered.
    warn(`${storeProblem(deps.userDataDir, error)}; nothing will be kept after this run`)
    opened = { storage: memoryStorage(), codec: plainTokenCodec, tokenInPlainFile: false }
    store = new CredentialStore(opened.storage, opened.codec)
  }
  if (opened.tokenInPlainFile) {
    log.warn('no OS keyring: the token is kept in a file only this user can read')
  }

  const client = createPlexClient({
    baseUrl: options.plexUrl,
    clientIdentifier: options.clientId ?? store.clientIdentifier(),
    device: deviceInfo(options.product, deps.version),
    fetch: deps.fetch
  })
  let giveUp: ReturnType<typeof setTimeout> | undefined // --timeout, until the first sign-in
  const session = new LoginSession({
    client,
    store,
    flow: { ...deps.flow, strong: options.strong, renew: options.renew },
    fetchAvatar: (url) => fetchAvatarDataUrl(url, deps.fetch),
    verifiedOnly: handoff.active,
    onSignedIn: ({ token, account, clientIdentifier, verified }) => {
      clearTimeout(giveUp)
      log.addSecret(token)
      log.info(
        `signed in as ${account.username}${verified ? '' : ' (not verified: plex.tv unreachable)'}`
      )
      handoff.signedIn(token, clientIdentifier, account)
    },
    // An installer is told of a failure the person cannot fix from the window, as plex-login does.
    onFailed: (code, message) => {
      log.error(`sign-in failed (${code}): ${message}`)
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
  void session.start()

  const stop = (message: string): void => {
    session.dispose()
    if (handoff.active) handoff.failed('interrupted', message)
    else deps.io.exit(0)
  }
  return {
    session,
    log,
    tokenInPlainFile: opened.tokenInPlainFile,
    windowClosed: () => stop('The window was closed before signing in'),
    interrupted: () => stop('Interrupted')
  }
}

function describeState(state: LoginState): string {
  switch (state.phase) {
    case 'waiting':
      return `code ${state.code} shown, expires in ${state.expiresIn} s`
    case 'error':
      return `error: ${state.message}${state.retryAt ? ' (retrying)' : ''}`
    case 'signed-in':
      return `signed in view for ${state.user.username}`
    default:
      return state.phase
  }
}
