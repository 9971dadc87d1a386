// writePrivateFile, the one writer of files that hold a token (the store, the app's --output):
// never through a symlink, never into a device or another user's file, never a truncated or
// half-written file, whatever fails and whenever.
import * as realFs from 'node:fs'
import {
  chmodSync,
  chownSync,
  lstatSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync
} from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { InstallerHandoff } from '../../src/main/app/installer-handoff'
import { writePrivateFile } from '../../src/main/store/private-file'
import { StoreError } from '../../src/main/store/store-error'

// Every call the writer makes, in order, and a way to make one of them fail.
const fsLog = vi.hoisted(() => ({ calls: [] as string[], failOn: undefined as string | undefined }))
vi.mock('node:fs', async (importOriginal) => {
  const fs = await importOriginal<typeof import('node:fs')>()
  const watched = ['openSync', 'writeFileSync', 'fsyncSync', 'closeSync', 'renameSync', 'rmSync']
  const wrapped: Record<string, unknown> = { ...fs }
  for (const name of watched) {
    const original = (fs as unknown as Record<string, (...args: unknown[]) => unknown>)[name]!
    wrapped[name] = (...args: unknown[]) => {
      fsLog.calls.push(name)
      if (fsLog.failOn === name) throw Object.assign(new Error(`${name} failed`), { code: 'EIO' })
      return original(...args)
    }
  }
  return { ...wrapped, default: wrapped }
})

const isRoot = process.getuid?.() === 0
const posix = process.platform !== 'win32'
const TOKEN_LINE = '{"ok":true,"authToken":"secret-token-123"}\n'

let dir: string
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'plex-login-private-'))
  fsLog.calls.length = 0
  fsLog.failOn = undefined
})
afterEach(() => {
  fsLog.failOn = undefined
  rmSync(dir, { recursive: true, force: true })
})

const mode = (path: string): number => statSync(path).mode & 0o777

function refusal(path: string, text = TOKEN_LINE): string {
  try {
    writePrivateFile(path, text)
  } catch (error) {
    expect(error).toBeInstanceOf(StoreError)
    return (error as Error).message
  }
  throw new Error(`writing ${path} was not refused`)
}

describe('writePrivateFile: order and failures', () => {
  it('writes a new file, flushes it, closes it, then renames it over the target', () => {
    const file = join(dir, 'answer.json')
    writePrivateFile(file, TOKEN_LINE)
    expect(fsLog.calls).toEqual([
      'openSync',
      'writeFileSync',
      'fsyncSync',
      'closeSync',
      'renameSync'
    ])
    expect(readFileSync(file, 'utf8')).toBe(TOKEN_LINE)
    if (posix) expect(mode(file)).toBe(0o600)
    expect(readdirSync(dir)).toEqual(['answer.json'])
  })

  it.for(['writeFileSync', 'fsyncSync', 'renameSync'])(
    'when %s fails (as a kill or a full disk would stop it) the old file is whole and no temp is left',
    (failing) => {
      const file = join(dir, 'plex-login.json')
      const old = '{"clientIdentifier":"old","credentials":{"token":"old-token"}}'
      writeFileSync(file, old, { mode: 0o600 })
      const inode = statSync(file).ino
      fsLog.failOn = failing
      expect(() => writePrivateFile(file, '{"clientIdentifier":"new"}')).toThrow(
        `${failing} failed`
      )
      expect(readFileSync(file, 'utf8')).toBe(old)
      expect(statSync(file).ino).toBe(inode)
      expect(readdirSync(dir)).toEqual(['plex-login.json']) // the temp file is gone, token and all
    }
  )
})

describe('writePrivateFile: targets that are not our own regular file', () => {
  it.runIf(posix)('refuses a symlink and leaves its target untouched', () => {
    const target = join(dir, 'target.txt')
    writeFileSync(target, 'keep me')
    chmodSync(target, 0o644)
    const link = join(dir, 'answer.json')
    symlinkSync(target, link)
    expect(refusal(link)).toBe(`${link} is a symbolic link; refusing to use it`)
    expect(readFileSync(target, 'utf8')).toBe('keep me')
    expect(mode(target)).toBe(0o644)
    expect(lstatSync(link).isSymbolicLink()).toBe(true)
    expect(readdirSync(dir).sort()).toEqual(['answer.json', 'target.txt'])
  })

  it.runIf(posix)(
    'refuses a dangling symlink (it would create the file wherever it points)',
    () => {
      const link = join(dir, 'answer.json')
      symlinkSync(join(dir, 'created-through-link'), link)
      expect(refusal(link)).toMatch(/symbolic link/)
      expect(readdirSync(dir)).toEqual(['answer.json'])
    }
  )

  it('refuses a folder', () => {
    realFs.mkdirSync(join(dir, 'answer.json'))
    expect(refusal(join(dir, 'answer.json'))).toMatch(/is not a regular file/)
  })

  it.runIf(posix)('refuses /dev/null, and never chmods it', (context) => {
    if (!isRoot) return context.skip('only root could change /dev/null: the mode check needs root')
    const before = statSync('/dev/null')
    expect(refusal('/dev/null')).toBe('/dev/null is not a regular file; refusing to use it')
    const after = statSync('/dev/null')
    expect(after.mode).toBe(before.mode)
    expect(after.uid).toBe(before.uid)
    expect(after.isCharacterDevice()).toBe(true)
  })

  it.runIf(posix)('refuses /dev/null for any user', () => {
    expect(refusal('/dev/null')).toMatch(/not a regular file/)
  })

  it.runIf(isRoot)("refuses another user's file and leaves it as it was (run as root)", () => {
    const file = join(dir, 'answer.json')
    writeFileSync(file, 'theirs')
    chmodSync(file, 0o644)
    chownSync(file, 65534, 65534)
    expect(refusal(file)).toBe(`${file} belongs to another user; refusing to use it`)
    expect(readFileSync(file, 'utf8')).toBe('theirs')
    expect(statSync(file).uid).toBe(65534)
    expect(mode(file)).toBe(0o644)
    expect(readdirSync(dir)).toEqual(['answer.json'])
  })

  it.runIf(posix)('replaces our own file that others could read with a new 0600 one', () => {
    const file = join(dir, 'answer.json')
    writeFileSync(file, 'an older, longer answer that must not remain at the end of the file')
    chmodSync(file, 0o644)
    writePrivateFile(file, TOKEN_LINE)
    expect(readFileSync(file, 'utf8')).toBe(TOKEN_LINE)
    expect(mode(file)).toBe(0o600)
  })
})

describe('the app hand-off (--output) through writePrivateFile', () => {
  it.runIf(posix)('a refused --output ends with exit 1 "store", the token nowhere', () => {
    const target = join(dir, 'target.txt')
    writeFileSync(target, 'keep me')
    const link = join(dir, 'answer.json')
    symlinkSync(target, link)
    const stdout: string[] = []
    const stderr: string[] = []
    let exitCode: number | undefined
    const handoff = new InstallerHandoff(
      { json: true, output: link },
      {
        stdout: (text) => void stdout.push(text),
        stderr: (text) => void stderr.push(text),
        writeFile: writePrivateFile,
        exit: (code) => void (exitCode = code)
      }
    )
    const account = { id: 7, uuid: 'u', username: 'a', title: 'A', email: 'e', thumb: '' }
    handoff.signedIn('secret-token-123', 'client-1', account)

    expect(exitCode).toBe(1)
    expect(JSON.parse(stdout.join(''))).toMatchObject({ ok: false, error: { code: 'store' } })
    expect(stderr.join('')).toMatch(/symbolic link; refusing to use it/)
    expect(stdout.join('') + stderr.join('')).not.toContain('secret-token-123')
    expect(readFileSync(target, 'utf8')).toBe('keep me')
    expect(readdirSync(dir).sort()).toEqual(['answer.json', 'target.txt'])
  })
})
