// The app's main-process side, for real, inside the test process: the fake plex.tv, the
// credential store (over a Map), the plex.tv client, the login session and the IPC handlers
// registered on a Map standing in for ipcMain, with the app's trusted-sender check.

import {
  createIpcHandlers,
  registerIpcHandlers,
  type IpcMainLike
} from '../../../src/main/ipc/ipc-handlers'
import { isTrustedSender, type IpcSenderEvent } from '../../../src/main/ipc/trusted-sender'
import { LoginSession, type LoginSessionOptions } from '../../../src/main/login/login-session'
import { WindowSteps } from '../../../src/main/login/window-steps'
import type { Language } from '../../../src/shared/i18n/languages'
import { translatorFor } from '../../../src/shared/i18n/translator'
import { fetchAvatarDataUrl } from '../../../src/main/plex/avatar'
import { deviceInfo } from '../../../src/main/plex/device-info'
import { createPlexClient, type PlexAccount } from '../../../src/main/plex/plex-client'
import { CredentialStore, type KeyValueStorage } from '../../../src/main/store/credential-store'
import {
  startFakePlex,
  type FakePlex,
  type FakePlexOptions
} from '../../fake-plex/fake-plex-server'
import { createFakeHome, type FakeHome, type FakeHomeUser } from '../../fake-plex/fake-plex-home'
import { fakePlexResources, type FakeResource } from '../../fake-plex/fake-plex-resources'
import { FakeMediaServers } from '../../fake-media-server/fake-media-server'

/** --profile / --server, and the Home and servers the fake plex.tv then offers. */
export interface StepsSetup {
  profile?: string
  server?: string
  home: FakeHomeUser[]
  // The account's servers, with fake media servers on loopback started here (closed at the end).
  resources: (media: FakeMediaServers) => Promise<FakeResource[]>
  language?: Language // the window's, for the errors the steps word in the main process
}

export type IpcListener = (event: IpcSenderEvent, ...args: unknown[]) => Promise<unknown>

export interface MainProcessOptions {
  fake?: FakePlexOptions
  flow?: LoginSessionOptions['flow']
  trustedOrigin: string // the renderer page's origin
  clipboardFails?: boolean // the system clipboard refuses the text, as Electron's can
  avatarFetch?: typeof fetch // how the account picture is fetched (default: fetch)
  steps?: StepsSetup
}

export interface MainProcess {
  fake: FakePlex
  home?: FakeHome
  resources: FakeResource[] // what the fake lists as the account's servers
  storage: Map<string, unknown>
  store: CredentialStore
  session: LoginSession
  ipcMain: Map<string, IpcListener>
  openedExternally: string[] // openExternal stand-in
  clipboard: string[] // writeClipboard stand-in
  readonly cancelCount: number // cancel stand-in: how often the window asked to cancel
  /** Stores a sign-in as a previous run of the app would have; the token is known to plex.tv. */
  storeSignIn(token: string, account?: PlexAccount): Promise<void>
  dispose(): Promise<void>
}

export function memoryStorage(map: Map<string, unknown>): KeyValueStorage {
  return {
    get: (key) => map.get(key),
    set: (key, value) => void map.set(key, value),
    delete: (key) => void map.delete(key)
  }
}

export async function startMainProcess(options: MainProcessOptions): Promise<MainProcess> {
  const { steps: setup } = options
  // Switches only happen once the fake plex.tv is up, so `fake` is set by then.
  const home = setup && createFakeHome({ users: setup.home, addToken: (t) => fake.addToken(t) })
  const media = new FakeMediaServers()
  const resources = setup ? await setup.resources(media) : []
  const fake = await startFakePlex({
    ...options.fake,
    ...(home ? { routes: [home.handler, fakePlexResources(() => resources)] } : {})
  })
  const storage = new Map<string, unknown>()
  const store = new CredentialStore(memoryStorage(storage))
  const device = deviceInfo('Plex Login Helper', 'test')
  const client = createPlexClient({
    baseUrl: fake.url,
    clientIdentifier: store.clientIdentifier(),
    device
  })
  const fetchAvatar = (url: string): Promise<string | undefined> =>
    fetchAvatarDataUrl(url, options.avatarFetch)
  const session = new LoginSession({
    client,
    store,
    fetchAvatar,
    flow: options.flow,
    ...(setup
      ? {
          steps: new WindowSteps({
            ...(setup.profile === undefined ? {} : { profile: setup.profile }),
            ...(setup.server === undefined ? {} : { server: setup.server }),
            steps: { fetch, clientsUrl: fake.url, device, getAccount: client.getAccount },
            fetchAvatar,
            ...(setup.language ? { translator: translatorFor(setup.language) } : {})
          })
        }
      : {})
  })
  const openedExternally: string[] = []
  const clipboard: string[] = []
  let cancelCount = 0
  const handlers = createIpcHandlers({
    session,
    openExternal: async (url) => void openedExternally.push(url),
    writeClipboard: async (text) => {
      if (options.clipboardFails) throw new Error('The clipboard is not available')
      clipboard.push(text)
    },
    cancel: () => void cancelCount++
  })
  const ipcMain = new Map<string, IpcListener>()
  const ipcMainLike: IpcMainLike = {
    handle: (channel, listener) => void ipcMain.set(channel, listener)
  }
  registerIpcHandlers(ipcMainLike, handlers, (event) =>
    isTrustedSender(event, { webContentsId: () => 1, origin: options.trustedOrigin })
  )

  return {
    fake,
    ...(home ? { home } : {}),
    resources,
    storage,
    store,
    session,
    ipcMain,
    openedExternally,
    clipboard,
    get cancelCount() {
      return cancelCount
    },
    storeSignIn(token, account = { ...fake.user }) {
      fake.addToken(token)
      return store.save(token, account)
    },
    async dispose() {
      session.dispose()
      await Promise.all([fake.close(), media.closeAll()])
    }
  }
}
