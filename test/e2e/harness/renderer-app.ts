// One app window for a test: the built renderer in a Playwright page, the real built preload
// through the stand-in, and the real main-process code in this process behind it. Everything
// that crosses to the renderer (pushed states, IPC answers) is recorded, so tests can prove
// the token never does.

import type { Page } from '@playwright/test'
import type { FakePlex, FakePlexOptions } from '../../fake-plex/fake-plex-server'
import { IPC_STATE_CHANNEL } from '../../../src/shared/ipc-channels'
import type { LoginState } from '../../../src/shared/login-state'
import type { LoginSessionOptions } from '../../../src/main/login/login-session'
import type { PlexAccount } from '../../../src/main/plex/plex-client'
import { avatarPng } from './avatar-image'
import { startMainProcess, type MainProcess, type StepsSetup } from './main-process'
import { EMIT_HOOK, INVOKE_BINDING, preloadInitScript } from './preload-stand-in'
import { startRendererServer, type RendererServer } from './renderer-server'

export type WaitingState = Extract<LoginState, { phase: 'waiting' }>

export interface RendererAppOptions {
  fake?: FakePlexOptions
  flow?: LoginSessionOptions['flow']
  query?: string // e.g. '?tokenStorage=plain', as the app adds without a keyring
  clipboardFails?: boolean
  steps?: StepsSetup // --profile / --server, with the Home and servers the fake offers
}

export interface IpcRecord {
  channel: string
  args: unknown[]
  ok: boolean
  value: unknown // the answer, or the error message
}

// plex.tv only hands out https:// pictures, so the fake names one on this host, and the main
// side's fetch of it is sent to the local server instead.
export const AVATAR_ORIGIN = 'https://avatars.plex-login.test'

// Polling a little faster than the app's 1 s keeps the suite quick; everything else is default.
const TEST_FLOW_DEFAULTS: LoginSessionOptions['flow'] = { pollIntervalMs: 250 }

type PageHooks = Record<string, ((channel: string, payload: unknown) => void) | undefined>

export class RendererApp {
  readonly pushed: LoginState[] = [] // every state sent to the window
  readonly ipc: IpcRecord[] = [] // every command the window sent, with its answer
  readonly tokens: string[] = [] // every token this test handed to the fake or the store
  private pushChain: Promise<void> = Promise.resolve()
  private readonly storing: Promise<void>[] = [] // storeSignIn's saves, done before open()
  private stopPushing: () => void = () => {}

  private constructor(
    readonly page: Page,
    readonly server: RendererServer,
    readonly main: MainProcess,
    private readonly query: string
  ) {}

  static async create(page: Page, options: RendererAppOptions = {}): Promise<RendererApp> {
    // The avatar route needs the server's address before the fake can name it as the thumb.
    const server = await startRendererServer({
      '/avatar.png': { contentType: 'image/png', body: avatarPng() }
    })
    // Nothing leaves this machine: a picture anywhere else (plex.tv's own) is not found.
    const avatarFetch: typeof fetch = async (input, init) => {
      const url = String(input instanceof Request ? input.url : input)
      if (!url.startsWith(`${AVATAR_ORIGIN}/`)) return new Response(null, { status: 404 })
      return fetch(url.replace(AVATAR_ORIGIN, server.url), init)
    }
    const main = await startMainProcess({
      fake: {
        ...options.fake,
        user: { thumb: `${AVATAR_ORIGIN}/avatar.png`, ...options.fake?.user }
      },
      avatarFetch,
      flow: { ...TEST_FLOW_DEFAULTS, ...options.flow },
      trustedOrigin: server.url,
      clipboardFails: options.clipboardFails,
      ...(options.steps ? { steps: options.steps } : {})
    })
    const app = new RendererApp(page, server, main, options.query ?? '')
    await app.connect()
    return app
  }

  get fake(): FakePlex {
    return this.main.fake
  }

  get pageUrl(): string {
    return this.server.pageUrl + this.query
  }

  private async connect(): Promise<void> {
    const { page, main } = this
    await page.exposeBinding(INVOKE_BINDING, async (source, channel: unknown, args: unknown) => {
      const list = Array.isArray(args) ? (args as unknown[]) : []
      const name = String(channel)
      const listener = main.ipcMain.get(name)
      const record: IpcRecord = { channel: name, args: list, ok: false, value: undefined }
      this.ipc.push(record)
      if (!listener) {
        record.value = `No handler registered for '${name}'`
        throw new Error(record.value as string)
      }
      const event = {
        sender: { id: 1 },
        senderFrame: { url: source.frame.url(), parent: source.frame.parentFrame() }
      }
      try {
        record.value = await listener(event, ...list)
        record.ok = true
        return record.value
      } catch (error) {
        record.value = error instanceof Error ? error.message : String(error)
        throw error
      }
    })
    await page.addInitScript({ content: preloadInitScript() })
    // webContents.send: in order, and lost (like Electron's) while no page is listening.
    this.stopPushing = main.session.onState((state) => {
      this.pushed.push(state)
      this.pushChain = this.pushChain
        .then(() =>
          page.evaluate(
            ([hook, channel, payload]) =>
              (globalThis as unknown as PageHooks)[hook]?.(channel, payload),
            [EMIT_HOOK, IPC_STATE_CHANNEL, state] as const
          )
        )
        .catch(() => undefined)
    })
  }

  /** Loads the window and starts the session in parallel, as the app does when ready. */
  async open(): Promise<void> {
    await Promise.all(this.storing)
    const loading = this.page.goto(this.pageUrl)
    const starting = this.main.session.start()
    await Promise.all([loading, starting])
  }

  /** Approves a code at the fake plex.tv (default: the newest) and returns the token it issued. */
  approve(code?: string): string {
    const token = this.fake.approve(code)
    this.tokens.push(token)
    return token
  }

  /** A sign-in left by an earlier run of the app, with a token plex.tv knows. */
  storeSignIn(token: string, account?: PlexAccount): void {
    this.tokens.push(token)
    this.storing.push(this.main.storeSignIn(token, account))
  }

  /** The newest code the window was sent. */
  latestWaiting(): WaitingState | undefined {
    return this.pushed.findLast((state): state is WaitingState => state.phase === 'waiting')
  }

  /** Everything that crossed to the renderer, as text: pushes and IPC answers. */
  rendererTraffic(): string {
    return JSON.stringify({ pushed: this.pushed, ipc: this.ipc })
  }

  async dispose(): Promise<void> {
    this.stopPushing()
    await this.main.dispose()
    await this.pushChain
    await this.server.close()
  }
}
