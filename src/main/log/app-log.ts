// The app's log file under its data folder: one line per event, rotated by size, with every
// token redacted and every message made one line of plain text before it is written (a message
// may carry a server's words, and a log is read in terminals).

import { appendFileSync, existsSync, mkdirSync, renameSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { redact } from './redact'
import { cleanText } from '../../shared/sanitize-text'

// Room for our own words around a server's text, which is capped shorter on its own.
const MAX_MESSAGE_LENGTH = 1_000

export interface AppLog {
  info(message: string): void
  warn(message: string): void
  error(message: string): void
  /** A value that must never be written, e.g. the token once it is known. */
  addSecret(secret: string): void
  readonly file: string
}

export interface AppLogOptions {
  directory: string
  fileName?: string
  maxBytes?: number // rotate once the file would grow past this
  keep?: number // rotated files kept: name.1 (newest) … name.<keep>
  now?: () => Date
  echo?: (line: string) => void // also show lines elsewhere (stderr in development)
}

export function createAppLog(options: AppLogOptions): AppLog {
  const { directory, fileName = 'plex-login-helper.log', maxBytes = 256 * 1024, keep = 3 } = options
  const now = options.now ?? (() => new Date())
  const file = join(directory, fileName)
  const secrets = new Set<string>()

  const rotate = (): void => {
    for (let index = keep - 1; index >= 1; index--) {
      const from = `${file}.${index}`
      if (existsSync(from)) renameSync(from, `${file}.${index + 1}`)
    }
    renameSync(file, `${file}.1`)
  }

  // Redacted before cleaning (which may change a secret's characters), again after it (which
  // joins a secret split by escapes), and cut only then (never leaving half a secret).
  const safe = (message: string): string =>
    cleanText(redact(cleanText(redact(message, secrets), Infinity), secrets), MAX_MESSAGE_LENGTH)

  const write = (level: string, message: string): void => {
    const line = `${now().toISOString()} ${level} ${safe(message)}\n`
    options.echo?.(line)
    try {
      mkdirSync(directory, { recursive: true, mode: 0o700 })
      if (existsSync(file) && statSync(file).size + Buffer.byteLength(line) > maxBytes) rotate()
      appendFileSync(file, line, { mode: 0o600 })
    } catch {
      // A log that cannot be written must never stop a sign-in.
    }
  }

  return {
    file,
    info: (message) => write('info', message),
    warn: (message) => write('warn', message),
    error: (message) => write('error', message),
    addSecret: (secret) => void secrets.add(secret)
  }
}
