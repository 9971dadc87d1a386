import { describe, expect, it } from 'vitest'
import { IPC_COMMANDS } from '../../src/shared/ipc-channels'
import type { LoginState } from '../../src/shared/login-state'
import {
  createIpcHandlers,
  registerIpcHandlers,
  type IpcMainLike
} from '../../src/main/ipc/ipc-handlers'
import { isTrustedSender, type IpcSenderEvent } from '../../src/main/ipc/trusted-sender'

const WAITING: LoginState = {
  phase: 'waiting',
  code: 'K7QZ',
  linkUrl: 'https://plex.tv/link/?pin=K7QZ',
  expiresAt: 1_000_000,
  expiresIn: 900
}

function setup(state: LoginState, writeClipboard?: (text: string) => Promise<void>) {
  const calls: string[] = []
  const opened: string[] = []
  const copied: string[] = []
  const session = {
    state,
    newCode: () => void calls.push('newCode'),
    signOut: async () => void calls.push('signOut')
  }
  const handlers = createIpcHandlers({
    session,
    openExternal: async (url) => void opened.push(url),
    writeClipboard: writeClipboard ?? (async (text) => void copied.push(text)),
    cancel: () => void calls.push('cancel')
  })
  const registered = new Map<
    string,
    (event: IpcSenderEvent, ...args: unknown[]) => Promise<unknown>
  >()
  const ipcMain: IpcMainLike = {
    handle: (channel, listener) => void registered.set(channel, listener)
  }
  const page = { webContentsId: () => 7, origin: 'app://renderer' }
  registerIpcHandlers(ipcMain, handlers, (event) => isTrustedSender(event, page))
  return { calls, opened, copied, registered, session }
}

const fromApp: IpcSenderEvent = {
  sender: { id: 7 },
  senderFrame: { url: 'app://renderer/index.html', parent: null }
}

describe('IPC handlers', () => {
  it('registers every command channel', () => {
    const { registered } = setup(WAITING)
    expect([...registered.keys()].sort()).toEqual(Object.values(IPC_COMMANDS).sort())
  })

  it('answers getState with the session state, which never holds a token', async () => {
    const { registered } = setup(WAITING)
    await expect(registered.get(IPC_COMMANDS.getState)!(fromApp)).resolves.toEqual(WAITING)
  })

  it('copies the code and opens the link only while a code is shown', async () => {
    const waiting = setup(WAITING)
    await waiting.registered.get(IPC_COMMANDS.copyCode)!(fromApp)
    await waiting.registered.get(IPC_COMMANDS.openLink)!(fromApp)
    expect(waiting.copied).toEqual(['K7QZ'])
    expect(waiting.opened).toEqual(['https://plex.tv/link/?pin=K7QZ'])

    const expired = setup({ phase: 'expired' })
    await expired.registered.get(IPC_COMMANDS.copyCode)!(fromApp)
    await expired.registered.get(IPC_COMMANDS.openLink)!(fromApp)
    expect(expired.copied).toEqual([])
    expect(expired.opened).toEqual([])
  })

  it('never opens a link outside the allow-list, whatever the state says', async () => {
    const { registered, opened } = setup({ ...WAITING, linkUrl: 'https://evil.example/link' })
    await registered.get(IPC_COMMANDS.openLink)!(fromApp)
    expect(opened).toEqual([])
  })

  it('passes new-code and sign-out on to the session', async () => {
    const { registered, calls } = setup(WAITING)
    await registered.get(IPC_COMMANDS.newCode)!(fromApp)
    await registered.get(IPC_COMMANDS.signOut)!(fromApp)
    expect(calls).toEqual(['newCode', 'signOut'])
  })

  it('copyCode settles only once the clipboard has the code, and fails when it fails', async () => {
    let finishWrite = (): void => {}
    const written = new Promise<void>((resolve) => (finishWrite = resolve))
    const slow = setup(WAITING, () => written)
    let settled = false
    const copying = slow.registered.get(IPC_COMMANDS.copyCode)!(fromApp).then(() => {
      settled = true
    })
    await new Promise((resolve) => setTimeout(resolve, 0))
    expect(settled).toBe(false)
    finishWrite()
    await copying
    expect(settled).toBe(true)

    const failing = setup(WAITING, () => Promise.reject(new Error('clipboard is busy')))
    await expect(failing.registered.get(IPC_COMMANDS.copyCode)!(fromApp)).rejects.toThrow(
      'clipboard is busy'
    )
  })

  it('passes cancel on, once per request', async () => {
    const { registered, calls } = setup(WAITING)
    await registered.get(IPC_COMMANDS.cancel)!(fromApp)
    expect(calls).toEqual(['cancel'])
    await expect(
      registered.get(IPC_COMMANDS.cancel)!({ ...fromApp, sender: { id: 8 } })
    ).rejects.toThrow(/Refused/)
    expect(calls).toEqual(['cancel'])
  })

  it.each([
    ['another webContents', { ...fromApp, sender: { id: 8 } }],
    ['another origin', { ...fromApp, senderFrame: { url: 'https://evil.example/', parent: null } }],
    ['a file:// page', { ...fromApp, senderFrame: { url: 'file:///tmp/x.html', parent: null } }],
    ['a subframe', { ...fromApp, senderFrame: { url: 'app://renderer/index.html', parent: {} } }],
    ['a destroyed frame', { ...fromApp, senderFrame: null }]
  ])('refuses requests from %s', async (_name, event) => {
    const { registered, calls } = setup(WAITING)
    await expect(registered.get(IPC_COMMANDS.newCode)!(event as IpcSenderEvent)).rejects.toThrow(
      /Refused/
    )
    expect(calls).toEqual([])
  })

  it('refuses arguments, since no command takes any', async () => {
    const { registered, calls } = setup(WAITING)
    await expect(registered.get(IPC_COMMANDS.newCode)!(fromApp, 'x')).rejects.toThrow(
      /no arguments/
    )
    expect(calls).toEqual([])
  })
})
