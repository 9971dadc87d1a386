// plex.tv is reached with the token in a header, never with cookies. Chromium's fetch (Electron's
// net.fetch / session.fetch) sends and stores a session's cookies unless told otherwise, so a
// cookie plex.tv set would outlive a sign-out. This wrapper keeps every request cookie-free.

/** `fetchImpl` with `credentials: 'omit'` on every request: no cookies sent, none stored. */
export function fetchWithoutCredentials(fetchImpl: typeof fetch): typeof fetch {
  return (input, init) => fetchImpl(input, { ...init, credentials: 'omit' })
}
