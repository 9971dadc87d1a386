// The account picture, fetched by the main process and handed to the window as a data: URL,
// so the renderer never loads anything from the network.

import { readBounded } from './read-bounded'
import { isRedirect } from './redirect'
import { timedFetch } from './timed-fetch'

const MAX_AVATAR_BYTES = 512 * 1024

/** The picture, or undefined for anything else (a redirect, an odd type, too large, an error). */
export async function fetchAvatarDataUrl(
  url: string,
  doFetch: typeof fetch = fetch,
  timeoutMs = 10_000
): Promise<string | undefined> {
  if (!/^https?:\/\//.test(url)) return undefined
  try {
    return await timedFetch(doFetch, url, {}, timeoutMs, async (response) => {
      const type = response.headers.get('content-type')?.split(';')[0]?.trim() ?? ''
      if (isRedirect(response) || !response.ok || !/^image\/(png|jpeg|gif|webp)$/.test(type))
        return undefined
      const bytes = await readBounded(response, MAX_AVATAR_BYTES)
      if (bytes.length === 0) return undefined
      return `data:${type};base64,${bytes.toString('base64')}`
    })
  } catch {
    return undefined
  }
}
