// Tokens never reach a log: known tokens are blanked wherever they appear, and so is anything
// shaped like one (an X-Plex-Token header or parameter, an authToken field, a JWT, the secret
// part of a private JWK).

const REDACTED = '[redacted]'

const TOKEN_SHAPES = [
  /(X-Plex-Token["']?\s*[:=]\s*["']?)[^\s"'&,;}]+/gi,
  /("?authToken"?\s*[:=]\s*")[^"]*/gi,
  /()eyJ[\w-]+\.[\w-]+\.[\w-]*/g,
  /("d"\s*:\s*")[^"]*/g
]

export function redact(text: string, secrets: Iterable<string>): string {
  let result = text
  for (const secret of secrets) {
    if (secret.length >= 4) result = result.split(secret).join(REDACTED)
  }
  for (const shape of TOKEN_SHAPES) result = result.replace(shape, `$1${REDACTED}`)
  return result
}
