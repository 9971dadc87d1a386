// One process at a time changes the store: a lock file created exclusively (O_EXCL) beside it.
// Without it, five first runs started together could each find no client identifier and make
// their own. A lock whose process is gone, or that is older than any change takes, is taken
// over.

import { randomUUID } from 'node:crypto'
import { hostname } from 'node:os'
import {
  closeSync,
  constants,
  linkSync,
  lstatSync,
  openSync,
  readSync,
  renameSync,
  rmSync,
  writeFileSync
} from 'node:fs'
import { O_NOFOLLOW, randomHex } from './private-file'
import { StoreError } from './store-error'

const STALE_LOCK_MS = 10_000 // a change holds the lock for milliseconds
const GIVE_UP_MS = 15_000 // past STALE_LOCK_MS, so that a dead holder is always outlived
const RETRY_MS = 20

/** Runs `body` holding the lock file `lockPath`; waits for another holder to finish. */
export function withFileLock<T>(lockPath: string, body: () => T): T {
  // Who holds it, so that a dead holder can be told from a live one, and a nonce so that
  // "still the lock I looked at" can be checked.
  const mine = `${process.pid} ${hostname()} ${randomUUID()}`
  acquire(lockPath, mine)
  try {
    return body()
  } finally {
    if (readLock(lockPath) === mine) rmSync(lockPath, { force: true })
  }
}

function acquire(lockPath: string, mine: string): void {
  const started = Date.now()
  for (;;) {
    try {
      const flags = constants.O_CREAT | constants.O_EXCL | constants.O_WRONLY | O_NOFOLLOW
      const fd = openSync(lockPath, flags, 0o600)
      try {
        writeFileSync(fd, mine)
      } finally {
        closeSync(fd)
      }
      return
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
    }
    const held = readLock(lockPath)
    const stats = lstatSync(lockPath, { throwIfNoEntry: false })
    if (held === undefined || !stats) continue // released meanwhile
    if (isStale(held, Date.now() - stats.mtimeMs)) takeOver(lockPath, held)
    else if (Date.now() - started > GIVE_UP_MS) throw new StoreError({ kind: 'inUse', lockPath })
    else sleep(RETRY_MS)
  }
}

function isStale(held: string, ageMs: number): boolean {
  if (ageMs > STALE_LOCK_MS) return true
  const [pid, host] = held.split(' ')
  // A pid only means something on this machine (a store folder may be shared over a network).
  if (host !== hostname() || !/^\d+$/.test(pid ?? '')) return false
  try {
    process.kill(Number(pid), 0)
    return false
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH' // EPERM: alive, another user's
  }
}

/**
 * Moves the stale lock out of the way, then checks that what moved is the lock judged stale: if
 * another process took it over first and made its own, that live lock is put back.
 */
function takeOver(lockPath: string, stale: string): void {
  const aside = `${lockPath}.${process.pid}.${randomHex()}.stale`
  try {
    renameSync(lockPath, aside)
  } catch {
    return // gone already: try again
  }
  if (readLock(aside) !== stale) {
    try {
      linkSync(aside, lockPath) // fails only if yet another process has locked it since
    } catch {
      // nothing more to do safely: its holder finishes within milliseconds either way
    }
  }
  rmSync(aside, { force: true })
}

/** The lock's text ('' while its creator is still writing), or undefined if there is none. */
function readLock(lockPath: string): string | undefined {
  let fd: number
  try {
    fd = openSync(lockPath, constants.O_RDONLY | O_NOFOLLOW | (constants.O_NONBLOCK ?? 0))
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined
    return '' // not readable as ours (a link, say): only its age can free it
  }
  try {
    const buffer = Buffer.alloc(256)
    return buffer.toString('utf8', 0, readSync(fd, buffer))
  } catch {
    return ''
  } finally {
    closeSync(fd)
  }
}

/** A synchronous pause: the store's API is synchronous and a holder needs milliseconds. */
function sleep(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms)
}
