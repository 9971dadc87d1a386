// The store's lock: one holder at a time, a dead holder's lock taken over, and a live
// holder's never removed by someone else's release.
import { spawnSync } from 'node:child_process'
import {
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  utimesSync,
  writeFileSync
} from 'node:fs'
import { hostname, tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { withFileLock } from '../../src/main/store/store-lock'

let dir: string
let lock: string
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'plex-login-lock-'))
  lock = join(dir, 'plex-login.json.lock')
})
afterEach(() => {
  rmSync(dir, { recursive: true, force: true })
})

/** The pid of a process that has already ended. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'])
  return Number(child.stdout.toString())
}

describe('withFileLock', () => {
  it('holds an exclusive lock file naming this process while the body runs, then removes it', () => {
    const seen = withFileLock(lock, () => readFileSync(lock, 'utf8'))
    expect(seen).toMatch(new RegExp(`^${process.pid} ${hostname()} [0-9a-f-]{36}$`))
    expect(existsSync(lock)).toBe(false)
  })

  it('removes its lock when the body throws', () => {
    expect(() =>
      withFileLock(lock, () => {
        throw new Error('boom')
      })
    ).toThrow('boom')
    expect(readdirSync(dir)).toEqual([])
  })

  it('takes over a lock whose process is gone', () => {
    writeFileSync(lock, `${deadPid()} ${hostname()} 00000000-0000-4000-8000-000000000000`)
    expect(withFileLock(lock, () => 'ran')).toBe('ran')
    expect(readdirSync(dir)).toEqual([])
  })

  it('takes over a lock older than any change takes, even of a live process', () => {
    writeFileSync(lock, `${process.pid} ${hostname()} 00000000-0000-4000-8000-000000000000`)
    const old = new Date(Date.now() - 60_000)
    utimesSync(lock, old, old)
    expect(withFileLock(lock, () => 'ran')).toBe('ran')
    expect(readdirSync(dir)).toEqual([])
  })

  it('does not remove a lock that is no longer its own (taken over meanwhile)', () => {
    const theirs = `${process.pid} ${hostname()} 11111111-1111-4111-8111-111111111111`
    withFileLock(lock, () => {
      rmSync(lock)
      writeFileSync(lock, theirs)
    })
    expect(readFileSync(lock, 'utf8')).toBe(theirs)
  })
})
