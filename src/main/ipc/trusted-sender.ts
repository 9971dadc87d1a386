// IPC is only taken from the app's own window showing the app's own page: not from another
// frame, a page it navigated to, or anything else that got hold of a renderer.

export interface IpcSenderEvent {
  sender: { id: number }
  senderFrame: { url: string; parent: unknown } | null
}

export interface TrustedPage {
  webContentsId: () => number | undefined // the window's webContents, once it exists
  origin: string // scheme and host, e.g. app://renderer
}

/** Scheme and host; URL.origin is "null" for custom schemes such as app://. */
export function originOf(value: string): string | undefined {
  try {
    const url = new URL(value)
    return `${url.protocol}//${url.host}`
  } catch {
    return undefined
  }
}

export function isTrustedSender(event: IpcSenderEvent, page: TrustedPage): boolean {
  const frame = event.senderFrame
  if (!frame || frame.parent) return false // a destroyed frame, or a subframe
  if (event.sender.id !== page.webContentsId()) return false
  return originOf(frame.url) === page.origin
}
