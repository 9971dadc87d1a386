// Files that hold a secret (the store, the installer's --output answer) are never written in
// place: the text goes into a new 0600 file of the running user beside the target, is flushed,
// and that file is renamed over the target. The target itself is never opened, so a symlink, a
// device or another user's file there is never written through, chmodded or truncated, and a
// kill at any moment leaves either the old file whole or the new one.

import { randomBytes } from 'node:crypto'
import {
  closeSync,
  constants,
  fsyncSync,
  lstatSync,
  openSync,
  readdirSync,
  renameSync,
  rmSync,
  writeFileSync,
  type Stats
} from 'node:fs'
import { basename, dirname, join } from 'node:path'
import { StoreError } from './store-error'

// 0 on Windows, which has no O_NOFOLLOW: there the lstat before every open is what refuses links.
export const O_NOFOLLOW = constants.O_NOFOLLOW ?? 0
// A write takes milliseconds: a temp file this old belongs to a run that was killed.
const STALE_TEMP_MS = 60_000

/** Refuses anything but a regular file of the running user (`stats` from lstat or fstat). */
export function checkOwnRegularFile(path: string, stats: Stats): void {
  if (stats.isSymbolicLink()) throw new StoreError({ kind: 'symlink', path })
  if (!stats.isFile()) throw new StoreError({ kind: 'notRegular', path })
  if (!isOwn(stats)) throw new StoreError({ kind: 'otherUser', path })
}

/** Whether the running user owns it (always, where there are no user ids: Windows). */
export function isOwn(stats: Stats): boolean {
  const uid = process.getuid?.()
  return uid === undefined || stats.uid === uid
}

/** Replaces `path` with `text` in a file only its owner can read. */
export function writePrivateFile(path: string, text: string): void {
  const existing = lstatSync(path, { throwIfNoEntry: false })
  if (existing) checkOwnRegularFile(path, existing)
  const temp = join(dirname(path), `.${basename(path)}.${process.pid}.${randomHex()}.tmp`)
  // O_EXCL: a fresh file of ours, never one that someone placed (or linked) there.
  const flags = constants.O_CREAT | constants.O_EXCL | constants.O_WRONLY | O_NOFOLLOW
  const fd = openSync(temp, flags, 0o600)
  try {
    try {
      writeFileSync(fd, text)
      fsyncSync(fd) // on disk before the rename makes it the file: never an empty store
    } finally {
      closeSync(fd)
    }
    renameSync(temp, path)
  } catch (error) {
    rmSync(temp, { force: true })
    throw error
  }
}

/** Removes temp files of `path` that a killed run of this user left behind. */
export function removeStaleTemps(path: string, now = Date.now()): void {
  const folder = dirname(path)
  const prefix = `.${basename(path)}.`
  let names: string[]
  try {
    names = readdirSync(folder)
  } catch {
    return // the write that follows reports an unusable folder
  }
  for (const name of names) {
    if (!name.startsWith(prefix) || !/^\d+\.[0-9a-f]{12}\.tmp$/.test(name.slice(prefix.length)))
      continue
    const file = join(folder, name)
    const stats = lstatSync(file, { throwIfNoEntry: false })
    if (stats?.isFile() && isOwn(stats) && now - stats.mtimeMs > STALE_TEMP_MS)
      rmSync(file, { force: true })
  }
}

export function randomHex(): string {
  return randomBytes(6).toString('hex')
}
