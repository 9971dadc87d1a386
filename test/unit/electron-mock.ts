// The one stand-in for `electron` in unit tests (aliased in vitest.config.ts). It records what
// the glue asks of Electron so tests can check it, and does nothing else.

type Listener = (...args: never[]) => unknown

class Emitter {
  readonly listeners = new Map<string, Listener[]>()
  on(event: string, listener: Listener): this {
    this.listeners.set(event, [...(this.listeners.get(event) ?? []), listener])
    return this
  }
  once(event: string, listener: Listener): this {
    return this.on(event, listener)
  }
  emit(event: string, ...args: unknown[]): void {
    for (const listener of this.listeners.get(event) ?? [])
      (listener as (...a: unknown[]) => unknown)(...args)
  }
}

class WebContents extends Emitter {
  static nextId = 1
  readonly id = WebContents.nextId++
  windowOpenHandler: ((details: { url: string }) => { action: string }) | undefined
  readonly sent: Array<[string, unknown]> = []
  setWindowOpenHandler(handler: (details: { url: string }) => { action: string }): void {
    this.windowOpenHandler = handler
  }
  send(channel: string, payload: unknown): void {
    this.sent.push([channel, payload])
  }
}

export class BrowserWindow extends Emitter {
  static readonly created: BrowserWindow[] = []
  readonly webContents = new WebContents()
  loadedUrl: string | undefined
  constructor(readonly options: Record<string, unknown>) {
    super()
    BrowserWindow.created.push(this)
  }
  loadURL(url: string): Promise<void> {
    this.loadedUrl = url
    return Promise.resolve()
  }
  show(): void {}
}

export const nativeTheme = { shouldUseDarkColors: false }

export const app = {
  appUserModelIds: [] as string[],
  setAppUserModelId(id: string): void {
    this.appUserModelIds.push(id)
  }
}

// A built menu is its template, so tests can read what it holds.
export const Menu = {
  // undefined: never set (Electron's default menu stays); null: no menu at all.
  applicationMenu: undefined as { template: unknown[] } | null | undefined,
  buildFromTemplate(template: unknown[]): { template: unknown[] } {
    return { template }
  },
  setApplicationMenu(menu: { template: unknown[] } | null): void {
    Menu.applicationMenu = menu
  }
}

export const protocol = {
  privileged: [] as unknown[],
  handlers: new Map<string, (request: Request) => Promise<Response>>(),
  registerSchemesAsPrivileged(schemes: unknown[]): void {
    this.privileged.push(...schemes)
  },
  handle(scheme: string, handler: (request: Request) => Promise<Response>): void {
    this.handlers.set(scheme, handler)
  }
}

// safeStorage, as tests set it: `available` and `backend` stand for what the OS offers, and
// `keyVersion` for its key (bumped: the key was rotated). Only the asynchronous API, as in
// Electron 46: a call to the synchronous one fails the test. The "encryption" is the text's
// bytes reversed behind a marker naming the key, so a token never shows as is in a file, and a
// buffer without the marker (encrypted on another machine, or by another keyring) fails to
// decrypt the way the real one does: it rejects.
const MARKER = /^mock-safe-storage:v(\d+):/

export const safeStorage = {
  available: true,
  backend: 'gnome_libsecret',
  keyVersion: 1,
  async isAsyncEncryptionAvailable(): Promise<boolean> {
    return safeStorage.available
  },
  getSelectedStorageBackend(): string {
    return safeStorage.backend
  },
  async encryptStringAsync(text: string): Promise<Buffer> {
    if (!safeStorage.available) throw new Error('Encryption is not available.')
    const marker = Buffer.from(`mock-safe-storage:v${safeStorage.keyVersion}:`)
    return Buffer.concat([marker, Buffer.from(text, 'utf8').reverse()])
  },
  async decryptStringAsync(
    encrypted: Buffer
  ): Promise<{ result: string; shouldReEncrypt: boolean }> {
    const marker = MARKER.exec(encrypted.toString('latin1'))
    const version = Number(marker?.[1])
    if (!safeStorage.available || !marker || version > safeStorage.keyVersion) {
      throw new Error('Error while decrypting the ciphertext provided to safeStorage.')
    }
    const text = Buffer.from(encrypted.subarray(marker[0].length)).reverse().toString('utf8')
    return { result: text, shouldReEncrypt: version < safeStorage.keyVersion }
  }
}

export default { app, BrowserWindow, Menu, nativeTheme, protocol, safeStorage }
