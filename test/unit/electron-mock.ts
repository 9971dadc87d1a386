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

// safeStorage, as tests set it: `available` and `backend` stand for what the OS offers. The
// "encryption" is the text's bytes reversed behind a marker, so a token never shows as is in a
// file, and a buffer without the marker (encrypted on another machine, or by another keyring)
// fails to decrypt the way the real one does: it throws.
// electron-store needs nothing else from here: given an absolute `cwd`, it goes without `app`,
// `ipcMain` and `shell` (and vitest loads it from node_modules, where this alias does not reach).
const ENCRYPTED_MARKER = Buffer.from('mock-safe-storage:')

export const safeStorage = {
  available: true,
  backend: 'gnome_libsecret',
  isEncryptionAvailable(): boolean {
    return safeStorage.available
  },
  getSelectedStorageBackend(): string {
    return safeStorage.backend
  },
  encryptString(text: string): Buffer {
    if (!safeStorage.available) throw new Error('Encryption is not available.')
    return Buffer.concat([ENCRYPTED_MARKER, Buffer.from(text, 'utf8').reverse()])
  },
  decryptString(encrypted: Buffer): string {
    const marker = encrypted.subarray(0, ENCRYPTED_MARKER.length)
    if (!safeStorage.available || !marker.equals(ENCRYPTED_MARKER)) {
      throw new Error(
        'Error while decrypting the ciphertext provided to safeStorage.decryptString.'
      )
    }
    return Buffer.from(encrypted.subarray(ENCRYPTED_MARKER.length)).reverse().toString('utf8')
  }
}

export default { BrowserWindow, nativeTheme, protocol, safeStorage }
