import { renameSync } from 'node:fs'
import { join } from 'node:path'
import type { KeyValueStorage } from './credential-store'

export class StoreError extends Error {}

/**
 * Opens a conf-based store (conf itself, or electron-store) named `name`.json in `directory`.
 * A corrupt file is moved aside (kept, never deleted) and a fresh store started, with one
 * warning through `warn`. A store that cannot be read or written at all is a StoreError with
 * a plain message.
 */
export function openStorageSafely(
  directory: string,
  name: string,
  open: () => KeyValueStorage,
  warn: (message: string) => void
): KeyValueStorage {
  try {
    return open()
  } catch (error) {
    // conf reports a file that is not valid JSON as a SyntaxError; anything else is I/O.
    if (!(error instanceof SyntaxError)) throw new StoreError(storeProblem(directory, error))
  }
  const file = join(directory, `${name}.json`)
  const aside = `${file}.corrupt-${Date.now()}`
  try {
    renameSync(file, aside)
    warn(`The store at ${file} was unreadable; it was moved to ${aside} and a new one started.`)
    return open()
  } catch (error) {
    throw new StoreError(storeProblem(directory, error))
  }
}

/** A plain sentence for a store that cannot be read or written, without a stack. */
export function storeProblem(directory: string, error: unknown): string {
  if (error instanceof StoreError) return error.message
  const code = (error as NodeJS.ErrnoException | undefined)?.code
  const reasons: Record<string, string> = {
    EACCES: 'permission denied',
    EPERM: 'permission denied',
    ENOTDIR: 'a file is in the way',
    EEXIST: 'a file is in the way',
    EROFS: 'read-only file system',
    ENOSPC: 'no space left on the device'
  }
  const reason = (code && reasons[code]) ?? (error instanceof Error ? error.message : String(error))
  return `Cannot use the store in ${directory}: ${reason}`
}
