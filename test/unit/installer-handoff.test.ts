import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { InstallerHandoff, type HandoffIo } from '../../src/main/app/installer-handoff'
import { writePrivateFile } from '../../src/main/store/private-file'
import { errorAnswer, signedInAnswer, type ErrorCode } from '../../src/main/login/sign-in-result'
import type { PlexAccount } from '../../src/main/plex/plex-client'

// The rights a file has at the moment text goes into it, to show the token never sits in a
// file others can read: every write through node:fs is recorded with the mode it found.
const writes = vi.hoisted(() => [] as Array<{ text: string; mode: number }>)
vi.mock('node:fs', async (importOriginal) => {
  const fs = await importOriginal<typeof import('node:fs')>()
  const writeFileSync: typeof fs.writeFileSync = (file, data, options) => {
    const stat =
      typeof file === 'number' ? fs.fstatSync(file) : fs.statSync(file, { throwIfNoEntry: false })
    writes.push({ text: String(data), mode: stat ? stat.mode & 0o777 : -1 })
    fs.writeFileSync(file, data, options)
  }
  return { ...fs, default: { ...fs, writeFileSync }, writeFileSync }
})

const TOKEN = 'secret-token-Zq81'
const CLIENT = 'client-id-1'
const ACCOUNT = {
  id: 42,
  uuid: 'uuid-42',
  username: 'alice',
  title: 'Alice',
  email: 'alice@example.com',
  thumb: 'https://plex.tv/users/uuid-42/avatar',
  // What plex.tv sends beyond the summary must not reach the answer.
  subscription: { active: true }
} as PlexAccount

interface Recorded {
  io: HandoffIo
  stdout: string[]
  stderr: string[]
  files: Array<[string, string]>
  exits: number[]
}

function recordingIo(writeFile?: (path: string, text: string) => void): Recorded {
  const recorded: Recorded = {
    stdout: [],
    stderr: [],
    files: [],
    exits: [],
    io: {
      stdout: (text) => void recorded.stdout.push(text),
      stderr: (text) => void recorded.stderr.push(text),
      writeFile: writeFile ?? ((path, text) => void recorded.files.push([path, text])),
      exit: (code) => void recorded.exits.push(code)
    }
  }
  return recorded
}

const SIGNED_IN_LINE = `${JSON.stringify(signedInAnswer(TOKEN, CLIENT, ACCOUNT))}\n`

describe('InstallerHandoff: signed in', () => {
  it('with --json prints exactly the answer of plex-login login --json and exits 0', () => {
    const r = recordingIo()
    const handoff = new InstallerHandoff({ json: true }, r.io)
    expect(handoff.active).toBe(true)
    handoff.signedIn(TOKEN, CLIENT, ACCOUNT)
    expect(r.stdout).toEqual([SIGNED_IN_LINE])
    expect(JSON.parse(r.stdout.join(''))).toEqual({
      ok: true,
      authToken: TOKEN,
      clientIdentifier: CLIENT,
      user: {
        id: 42,
        uuid: 'uuid-42',
        username: 'alice',
        title: 'Alice',
        email: 'alice@example.com',
        thumb: 'https://plex.tv/users/uuid-42/avatar'
      },
      tokenType: 'classic'
    })
    expect(r.stdout.join('').split('\n')).toEqual([SIGNED_IN_LINE.trimEnd(), ''])
    expect(r.stderr).toEqual([])
    expect(r.files).toEqual([])
    expect(r.exits).toEqual([0])
    expect(handoff.done).toBe(true)
  })

  it('with --output only writes the answer to the file and prints nothing on stdout', () => {
    const r = recordingIo()
    new InstallerHandoff({ json: false, output: '/x/answer.json' }, r.io).signedIn(
      TOKEN,
      CLIENT,
      ACCOUNT
    )
    expect(r.files).toEqual([['/x/answer.json', SIGNED_IN_LINE]])
    expect(r.stdout).toEqual([])
    expect(r.stderr).toEqual([])
    expect(r.exits).toEqual([0])
  })

  it('with both writes the file and prints the answer', () => {
    const r = recordingIo()
    new InstallerHandoff({ json: true, output: '/x/answer.json' }, r.io).signedIn(
      TOKEN,
      CLIENT,
      ACCOUNT
    )
    expect(r.files).toEqual([['/x/answer.json', SIGNED_IN_LINE]])
    expect(r.stdout).toEqual([SIGNED_IN_LINE])
    expect(r.exits).toEqual([0])
  })

  it('without --json or --output does nothing at all: the window stays', () => {
    const r = recordingIo()
    const handoff = new InstallerHandoff({ json: false }, r.io)
    expect(handoff.active).toBe(false)
    handoff.signedIn(TOKEN, CLIENT, ACCOUNT)
    expect(r).toMatchObject({ stdout: [], stderr: [], files: [], exits: [] })
    expect(handoff.done).toBe(false)
  })

  it('counts only the first finish', () => {
    const r = recordingIo()
    const handoff = new InstallerHandoff({ json: true, output: '/x/a.json' }, r.io)
    handoff.signedIn(TOKEN, CLIENT, ACCOUNT)
    handoff.failed('interrupted', 'Interrupted')
    handoff.signedIn('other-token', CLIENT, ACCOUNT)
    expect(r.stdout).toEqual([SIGNED_IN_LINE])
    expect(r.files).toHaveLength(1)
    expect(r.stderr).toEqual([])
    expect(r.exits).toEqual([0])
  })

  it('reports a file it cannot write as a store error with exit 1', () => {
    const r = recordingIo(() => {
      throw Object.assign(new Error('EACCES: permission denied'), { code: 'EACCES' })
    })
    new InstallerHandoff({ json: true, output: '/root/answer.json' }, r.io).signedIn(
      TOKEN,
      CLIENT,
      ACCOUNT
    )
    expect(r.exits).toEqual([1])
    expect(r.stdout).toHaveLength(1)
    const answer = JSON.parse(r.stdout[0] ?? '') as ReturnType<typeof errorAnswer>
    expect(answer).toEqual({
      ok: false,
      error: { code: 'store', message: expect.stringContaining('/root/answer.json') }
    })
    expect(answer.error.message).toContain('EACCES')
    expect(r.stdout.join('')).not.toContain(TOKEN)
    expect(r.stderr).toHaveLength(1)
    expect(r.stderr.join('')).not.toContain(TOKEN)
  })

  it('reports an unwritable file with --output only on stderr and exit 1', () => {
    const r = recordingIo(() => {
      throw new Error('disk on fire')
    })
    new InstallerHandoff({ json: false, output: '/x/a.json' }, r.io).signedIn(
      TOKEN,
      CLIENT,
      ACCOUNT
    )
    expect(r.exits).toEqual([1])
    expect(r.stdout).toEqual([])
    expect(r.stderr).toHaveLength(1)
    expect(r.stderr[0]).toContain('disk on fire')
  })
})

describe('InstallerHandoff: failed', () => {
  it.each<[ErrorCode, number]>([
    ['expired', 3],
    ['timeout', 3],
    ['interrupted', 130],
    ['usage', 2],
    ['rejected', 1],
    ['unavailable', 1],
    ['rate-limited', 1],
    ['store', 1]
  ])('%s exits %i with the error answer', (code, exitCode) => {
    const r = recordingIo()
    new InstallerHandoff({ json: true }, r.io).failed(code, `went wrong: ${code}`)
    expect(r.exits).toEqual([exitCode])
    expect(r.stdout).toEqual([`${JSON.stringify(errorAnswer(code, `went wrong: ${code}`))}\n`])
    expect(JSON.parse(r.stdout[0] ?? '')).toEqual({
      ok: false,
      error: { code, message: `went wrong: ${code}` }
    })
    expect(r.stderr).toEqual([`Plex Login Helper: went wrong: ${code}\n`])
  })

  it('writes the error answer to --output too', () => {
    const r = recordingIo()
    new InstallerHandoff({ json: false, output: '/x/a.json' }, r.io).failed('timeout', 'Gave up')
    expect(r.files).toEqual([
      ['/x/a.json', `${JSON.stringify(errorAnswer('timeout', 'Gave up'))}\n`]
    ])
    expect(r.stdout).toEqual([])
    expect(r.exits).toEqual([3])
  })

  it('without --json or --output still exits with the code, and prints no JSON', () => {
    const r = recordingIo()
    new InstallerHandoff({ json: false }, r.io).failed('interrupted', 'The window was closed')
    expect(r.exits).toEqual([130])
    expect(r.stdout).toEqual([])
    expect(r.files).toEqual([])
    expect(r.stderr).toEqual(['Plex Login Helper: The window was closed\n'])
  })

  it('counts only the first failure', () => {
    const r = recordingIo()
    const handoff = new InstallerHandoff({ json: true }, r.io)
    handoff.failed('expired', 'The code expired')
    handoff.failed('interrupted', 'Interrupted')
    handoff.signedIn(TOKEN, CLIENT, ACCOUNT)
    expect(r.exits).toEqual([3])
    expect(r.stdout).toHaveLength(1)
    expect(r.stderr).toHaveLength(1)
    expect(r.stdout.join('')).not.toContain(TOKEN)
  })
})

describe('InstallerHandoff: closing by itself after sign-in', () => {
  beforeEach(() => {
    vi.useFakeTimers()
  })
  afterEach(() => {
    vi.useRealTimers()
  })

  it('hands the answer over at once, then quits with 0 once the delay has passed', () => {
    const r = recordingIo()
    const handoff = new InstallerHandoff({ json: true, output: '/x/a.json' }, r.io, 4000)
    handoff.signedIn(TOKEN, CLIENT, ACCOUNT)
    expect(r.stdout).toEqual([SIGNED_IN_LINE])
    expect(r.files).toEqual([['/x/a.json', SIGNED_IN_LINE]])
    expect(handoff.done).toBe(true)
    vi.advanceTimersByTime(3999)
    expect(r.exits).toEqual([])
    vi.advanceTimersByTime(1)
    expect(r.exits).toEqual([0])
  })

  it('the window closed (or a signal) during the delay: quits at once with 0, not 130', () => {
    const r = recordingIo()
    const handoff = new InstallerHandoff({ json: true }, r.io, 4000)
    handoff.signedIn(TOKEN, CLIENT, ACCOUNT)
    handoff.failed('interrupted', 'The window was closed before signing in')
    handoff.exitNow()
    vi.advanceTimersByTime(10_000)
    expect(r.exits).toEqual([0])
    expect(r.stdout).toEqual([SIGNED_IN_LINE])
    expect(r.stderr).toEqual([])
  })

  it('a failure, or an --output it could not write, quits at once', () => {
    const failed = recordingIo()
    new InstallerHandoff({ json: true }, failed.io, 4000).failed('expired', 'The code expired')
    expect(failed.exits).toEqual([3])

    const unwritable = recordingIo(() => {
      throw new Error('disk on fire')
    })
    new InstallerHandoff({ json: false, output: '/x/a.json' }, unwritable.io, 4000).signedIn(
      TOKEN,
      CLIENT,
      ACCOUNT
    )
    expect(unwritable.exits).toEqual([1])
  })

  it('exitNow before any answer does nothing: there is no code to end with yet', () => {
    const r = recordingIo()
    new InstallerHandoff({ json: true }, r.io, 4000).exitNow()
    expect(r.exits).toEqual([])
  })
})

describe('writePrivateFile', () => {
  let dir: string
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'plex-login-handoff-'))
    writes.length = 0
  })
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true })
  })
  const mode = (path: string): number => statSync(path).mode & 0o777

  it.runIf(process.platform !== 'win32')('makes a file only its owner can read', () => {
    const file = join(dir, 'answer.json')
    writePrivateFile(file, SIGNED_IN_LINE)
    expect(readFileSync(file, 'utf8')).toBe(SIGNED_IN_LINE)
    expect(mode(file)).toBe(0o600)
  })

  it.runIf(process.platform !== 'win32')(
    'makes a file that was there with mode 0644 private before the token goes in',
    () => {
      const file = join(dir, 'answer.json')
      writeFileSync(file, 'an older, longer answer that must not remain at the end of the file')
      chmodSync(file, 0o644)
      writes.length = 0
      writePrivateFile(file, SIGNED_IN_LINE)
      expect(readFileSync(file, 'utf8')).toBe(SIGNED_IN_LINE)
      expect(mode(file)).toBe(0o600)
      expect(writes).toEqual([{ text: SIGNED_IN_LINE, mode: 0o600 }])
    }
  )
})
