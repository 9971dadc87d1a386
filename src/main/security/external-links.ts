// The only pages the app will hand to the system browser: where a person claims a code.

const ALLOWED = [
  { origin: 'https://plex.tv', pathPrefix: '/link' },
  { origin: 'https://app.plex.tv', pathPrefix: '/auth' }
]

export function isAllowedExternalUrl(value: string): boolean {
  let url: URL
  try {
    url = new URL(value)
  } catch {
    return false
  }
  if (url.username || url.password) return false
  return ALLOWED.some(
    ({ origin, pathPrefix }) => url.origin === origin && url.pathname.startsWith(pathPrefix)
  )
}
