// Reading plex.tv's answers the same way wherever they come from (plex.tv, clients.plex.tv):
// JSON that may not be JSON, and the `errors` array plex.tv puts its own words in.

import { cleanText } from '../../shared/sanitize-text'

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    return undefined
  }
}

function firstError(body: unknown): Record<string, unknown> | undefined {
  if (!isRecord(body) || !Array.isArray(body.errors)) return undefined
  const first: unknown = body.errors[0]
  return isRecord(first) ? first : undefined
}

/** plex.tv's own words, made safe to print: an odd answer can neither flood nor steer a terminal. */
export function plexErrorMessage(body: unknown): string | undefined {
  const message = firstError(body)?.message
  return typeof message === 'string' ? cleanText(message) || undefined : undefined
}

export function plexErrorCode(body: unknown): number | undefined {
  const code = firstError(body)?.code
  return typeof code === 'number' ? code : undefined
}

export function hostOf(url: string): string {
  try {
    return new URL(url).host
  } catch {
    return url
  }
}
