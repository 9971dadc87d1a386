// The store on disk, for the command and the app alike: one JSON object in plex-login.json,
// readable by its owner only, on node:fs alone. Every change is read-modify-write under the
// store's lock and lands through writePrivateFile (new file, fsync, rename), so it is the same
// whatever the environment. A link, a device or another user's file at the store path is
// refused, never followed or written into.

import {
  closeSync,
  constants,
  fstatSync,
  lstatSync,
  mkdirSync,
  openSync,
  readFileSync
} from 'node:fs'
import { join } from 'node:path'
import { redact } from '../log/redact'
import type { KeyValueStorage } from './credential-store'
import {
  checkOwnRegularFile,
  isOwn,
  O_NOFOLLOW,
  removeStaleTemps,
  writePrivateFile
} from './private-file'
import { StoreError, storeProblem, type StoreProblem } from './store-error'
import { withFileLock } from './store-lock'

export const STORE_FILE_NAME = 'plex-login.json'
// A store is a few hundred bytes; anything this large is not one of ours.
const MAX_STORE_BYTES = 1024 * 1024

type Values = Record<string, unknown>

/** The file's text could not be parsed as a store. */
class CorruptStore extends Error {}

/**
 * Opens (creating if needed) the store in `directory`. A corrupt file is replaced by a fresh
 * store, its copy kept without any token, with one warning through `warn`. Anything else that
 * makes the store unusable is a StoreError with a plain message and its problem.
 */
export function openJsonFileStorage(
  directory: string,
  warn: (problem: StoreProblem) => void
): KeyValueStorage {
  const file = join(directory, STORE_FILE_NAME)
  let depth = 0 // set/delete inside exclusive() already hold the lock
  const exclusive = <T>(body: () => T): T => {
    if (depth > 0) return body()
    return withFileLock(`${file}.lock`, () => {
      depth += 1
      try {
        return body()
      } finally {
        depth -= 1
      }
    })
  }
  const read = (): Values => {
    try {
      return parse(readStoreText(file))
    } catch (error) {
      if (error instanceof CorruptStore) throw new StoreError({ kind: 'notValid', path: file })
      throw error
    }
  }
  const change = (edit: (values: Values) => void): void =>
    exclusive(() => {
      const values = read()
      edit(values)
      writePrivateFile(file, `${JSON.stringify(values, null, '\t')}\n`)
    })

  wrapped(directory, () => {
    prepareFolder(directory)
    removeStaleTemps(file)
    try {
      parse(readStoreText(file))
    } catch (error) {
      if (!(error instanceof CorruptStore)) throw error
      // Under the lock, and read again: another run may have replaced it already.
      exclusive(() => setAsideIfCorrupt(file, warn))
    }
  })

  return {
    get: (key) => {
      const values = wrapped(directory, read)
      return Object.hasOwn(values, key) ? values[key] : undefined
    },
    set: (key, value) => wrapped(directory, () => change((values) => void (values[key] = value))),
    delete: (key) => wrapped(directory, () => change((values) => void delete values[key])),
    exclusive: (body) => wrapped(directory, () => exclusive(body))
  }
}

/** Runs `body`, turning any failure into a StoreError with a plain message. */
function wrapped<T>(directory: string, body: () => T): T {
  try {
    return body()
  } catch (error) {
    if (error instanceof StoreError) throw error
    throw new StoreError(storeProblem(directory, error))
  }
}

/** The store folder: created 0700 if missing; a link to elsewhere or another user's is refused. */
function prepareFolder(directory: string): void {
  mkdirSync(directory, { recursive: true, mode: 0o700 })
  const stats = lstatSync(directory)
  const refuse = (reason: 'symlink' | 'inTheWay' | 'otherUser'): never => {
    throw new StoreError({ kind: 'folder', directory, reason })
  }
  // Whoever controls a link controls where the token is written, at any moment.
  if (stats.isSymbolicLink()) refuse('symlink')
  if (!stats.isDirectory()) refuse('inTheWay')
  if (!isOwn(stats)) refuse('otherUser')
}

/** The store's text, '' if there is none yet. Never follows a link, never blocks on a FIFO. */
function readStoreText(file: string): string {
  const seen = lstatSync(file, { throwIfNoEntry: false })
  if (!seen) return ''
  checkOwnRegularFile(file, seen)
  const flags = constants.O_RDONLY | O_NOFOLLOW | (constants.O_NONBLOCK ?? 0)
  const fd = openSync(file, flags)
  try {
    const stats = fstatSync(fd)
    checkOwnRegularFile(file, stats) // what was opened, if it changed since the lstat
    // Only this user can write it, and our writes replace the file rather than grow it.
    if (stats.size > MAX_STORE_BYTES) throw new StoreError({ kind: 'tooLarge', path: file })
    return readFileSync(fd, 'utf8')
  } finally {
    closeSync(fd)
  }
}

function parse(text: string): Values {
  if (text === '') return {} // none yet
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch {
    throw new CorruptStore()
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new CorruptStore()
  return value as Values
}

// Any string under a key that names a token or a key (the JWT device's private key), even in a
// file cut short mid-value.
const TOKEN_VALUES = /("[^"]*(?:token|key)[^"]*"\s*:\s*")(?:[^"\\]|\\.)*/gi

function setAsideIfCorrupt(file: string, warn: (problem: StoreProblem) => void): void {
  const text = readStoreText(file)
  try {
    parse(text)
    return
  } catch (error) {
    if (!(error instanceof CorruptStore)) throw error
  }
  // Kept for whoever wants to look, but without a token: a copy nobody watches must not hold one.
  const aside = `${file}.corrupt-${Date.now()}`
  writePrivateFile(aside, redact(text, []).replace(TOKEN_VALUES, '$1[redacted]'))
  writePrivateFile(file, '{}\n')
  warn({ kind: 'setAside', path: file, aside })
}
