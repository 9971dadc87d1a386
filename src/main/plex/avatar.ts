// The account picture, fetched by the main process and handed to the window as a data: URL,
// so the renderer never loads anything from the network.

import { timedFetch } from './timed-fetch'

const MAX_AVATAR_BYTES = 512 * 1024

export async function fetchAvatarDataUrl(
  url: string,
  doFetch: typeof fetch = fetch,
  timeoutMs = 10_000
): Promise<string | undefined> {
  if (!/^https?:\/\//.test(url)) return undefined
  try {
    return await timedFetch(doFetch, url, {}, timeoutMs, async (response) => {
      const type = response.headers.get('content-type')?.split(';')[0]?.trim() ?? ''
      if (!response.ok || !/^image\/(png|jpeg|gif|webp)$/.test(type)) return undefined
      const bytes = Buffer.from(await response.arrayBuffer())
      if (bytes.length === 0 || bytes.length > MAX_AVATAR_BYTES) return undefined
      return `data:${type};base64,${bytes.toString('base64')}`
    })
  } catch {
    return undefined
  }
}
