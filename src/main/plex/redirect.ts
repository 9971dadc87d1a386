// Requests go out with `redirect: 'manual'`, so a redirect arrives as an answer of its own and
// is never followed with the token or the client identifier. Node's fetch hands over the 3xx as
// it is; a fetch that follows the standard to the letter gives an opaque answer (status 0, no
// Location); Electron's net.fetch rejects with "Redirect was cancelled".

import { cleanText } from '../../shared/sanitize-text'

export function isRedirect(response: Response): boolean {
  return response.type === 'opaqueredirect' || (response.status >= 300 && response.status < 400)
}

/** Electron's net.fetch refuses a redirect it was told not to follow with this error. */
export function isCancelledRedirect(error: unknown): boolean {
  return error instanceof Error && error.message === 'Redirect was cancelled'
}

/** Where it pointed, as an origin only: a path or query could carry anything. */
export function redirectMessage(location: string | null, requestUrl: string): string {
  return `plex.tv answered with a redirect to ${redirectOrigin(location, requestUrl)}`
}

function redirectOrigin(location: string | null, requestUrl: string): string {
  if (!location) return 'an unknown place'
  try {
    const origin = new URL(location, requestUrl).origin
    return origin === 'null' ? 'an unknown place' : cleanText(origin)
  } catch {
    return 'an unknown place'
  }
}
