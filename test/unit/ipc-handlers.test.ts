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
    signOut: async () => void calls.push('signOut'),
    chooseProfile: (uuid: string, pin?: string) =>
      void calls.push(`chooseProfile ${uuid} ${pin ?? 'without PIN'}`),
    chooseServer: (id: string) => void calls.push(`chooseServer ${id}`)
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

  it('refuses arguments to the commands that take none', async () => {
    const { registered, calls } = setup(WAITING)
    await expect(registered.get(IPC_COMMANDS.newCode)!(fromApp, 'x')).rejects.toThrow(
      /no arguments/
    )
    expect(calls).toEqual([])
  })

  it('passes a profile choice on as given: a uuid, and a PIN only when one was sent', async () => {
    const { registered, calls } = setup(WAITING)
    await registered.get(IPC_COMMANDS.chooseProfile)!(fromApp, 'kids-uuid-1')
    await registered.get(IPC_COMMANDS.chooseProfile)!(fromApp, 'alex-uuid-2', '0042')
    await registered.get(IPC_COMMANDS.chooseServer)!(fromApp, 'a1b2c3d4e5')
    expect(calls).toEqual([
      'chooseProfile kids-uuid-1 without PIN',
      'chooseProfile alex-uuid-2 0042',
      'chooseServer a1b2c3d4e5'
    ])
  })

  it.each([
    ['no uuid', []],
    ['a uuid that is not a string', [42]],
    ['an empty uuid', ['']],
    ['a uuid with a path in it', ['../home/users']],
    ['a uuid far too long', ['a'.repeat(65)]],
    ['a PIN of 3 digits', ['kids-uuid-1', '123']],
    ['a PIN of 5 digits', ['kids-uuid-1', '12345']],
    ['a PIN with letters', ['kids-uuid-1', '12a4']],
    ['a PIN that is a number', ['kids-uuid-1', 1234]],
    ['an undefined PIN sent along', ['kids-uuid-1', undefined]],
    ['a third argument', ['kids-uuid-1', '1234', 'x']]
  ])('refuses a profile choice with %s', async (_name, args) => {
    const { registered, calls } = setup(WAITING)
    await expect(
      registered.get(IPC_COMMANDS.chooseProfile)!(fromApp, ...(args as unknown[]))
    ).rejects.toThrow(/Refused: chooseProfile/)
    expect(calls).toEqual([])
  })

  it.each([
    ['nothing', []],
    ['an object', [{ toString: (): string => 'x' }]],
    ['an empty identifier', ['']],
    ['spaces', ['a b']],
    ['a newline', ['abc\r\nX-Evil: 1']],
    ['201 characters', ['a'.repeat(201)]],
    ['two identifiers', ['abc', 'def']]
  ])('refuses a server choice with %s', async (_name, args) => {
    const { registered, calls } = setup(WAITING)
    await expect(
      registered.get(IPC_COMMANDS.chooseServer)!(fromApp, ...(args as unknown[]))
    ).rejects.toThrow(/Refused: chooseServer/)
    expect(calls).toEqual([])
  })

  it('refuses a choice from an untrusted sender before looking at it', async () => {
    const { registered, calls } = setup(WAITING)
    await expect(
      registered.get(IPC_COMMANDS.chooseProfile)!({ ...fromApp, sender: { id: 8 } }, 'kids-uuid-1')
    ).rejects.toThrow(/did not come from the app window/)
    expect(calls).toEqual([])
  })
})
