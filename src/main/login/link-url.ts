import type { PlexClient } from '../plex/plex-client'

/**
 * Where the person claims a code: plex.tv/link (prefilled) for short codes, the hosted auth
 * page for strong ones (a strong code does not work at plex.tv/link). Always the real plex.tv,
 * even when the API is a loopback stand-in, since that is what a person's browser can reach.
 */
export function linkUrlFor(
  code: string,
  strong: boolean,
  client: Pick<PlexClient, 'clientIdentifier' | 'device'>
): string {
  if (!strong) return `https://plex.tv/link/?pin=${encodeURIComponent(code)}`
  const params = new URLSearchParams({
    clientID: client.clientIdentifier,
    code,
    'context[device][product]': client.device.product
  })
  // URLSearchParams writes spaces as '+'; the auth page reads the fragment as a URI component.
  return `https://app.plex.tv/auth#?${params.toString().replaceAll('+', '%20')}`
}
