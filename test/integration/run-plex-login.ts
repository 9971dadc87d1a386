// Runs the BUILT `plex-login` command (out/cli/plex-login.js) as a child process, the way an
// installer or a shell would, plus the few helpers the integration tests share.
import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { TestContext } from 'vitest'
import { startFakePlex, type FakePlex, type FakePlexOptions } from '../fake-plex/fake-plex-server'

export const CLI_PATH = fileURLToPath(new URL('../../out/cli/plex-login.js', import.meta.url))

if (!existsSync(CLI_PATH)) {
  throw new Error(`${CLI_PATH} is missing: run npm run build first`)
}

export interface PlexLoginResult {
  code: number | null // null when killed by a signal it did not handle
  signal: NodeJS.Signals | null
  stdout: string
  stderr: string
  exitedAt: number // epoch ms
}

export interface PlexLoginRun {
  readonly child: ChildProcess
  readonly stdout: string // so far
  readonly stderr: string // so far
  /**
   * Resolves with the next match of `pattern` on stderr. Each call continues after the previous
   * match, so calling it twice with the same pattern finds the second occurrence.
   */
  waitForStderr(pattern: RegExp, timeoutMs?: number): Promise<RegExpExecArray>
  readonly done: Promise<PlexLoginResult>
}

export interface RunOptions {
  env?: Record<string, string | undefined> // added to (undefined: removed from) this process's env
  killAfterMs?: number // safety net against a hanging command, default 60 s
}

const live = new Set<ChildProcess>()
process.once('exit', () => {
  for (const child of live) child.kill('SIGKILL')
})

export function startPlexLogin(args: string[], options: RunOptions = {}): PlexLoginRun {
  // English unless a test asks for a language: the machine's own locale does not leak in.
  const locale = { LC_ALL: undefined, LC_MESSAGES: undefined, LANG: 'C' }
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PLEX_LOGIN_PLEX_URL: undefined,
    ...locale,
    ...options.env
  }
  for (const [name, value] of Object.entries(env)) if (value === undefined) delete env[name]
  const child = spawn(process.execPath, [CLI_PATH, ...args], {
    env,
    stdio: ['ignore', 'pipe', 'pipe']
  })
  live.add(child)
  let stdout = ''
  let stderr = ''
  let cursor = 0
  let exited = false
  const watchers = new Set<() => void>()
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk))
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk
    for (const check of watchers) check()
  })
  const watchdog = setTimeout(() => child.kill('SIGKILL'), options.killAfterMs ?? 60_000)

  const done = new Promise<PlexLoginResult>((resolve, reject) => {
    child.once('error', reject)
    // 'close' rather than 'exit': both pipes are read to the end.
    child.once('close', (code, signal) => {
      clearTimeout(watchdog)
      live.delete(child)
      exited = true
      for (const check of watchers) check()
      resolve({ code, signal, stdout, stderr, exitedAt: Date.now() })
    })
  })

  function waitForStderr(pattern: RegExp, timeoutMs = 10_000): Promise<RegExpExecArray> {
    const global = new RegExp(pattern.source, pattern.flags.replace('g', '') + 'g')
    return new Promise((resolve, reject) => {
      const finish = (error?: Error, match?: RegExpExecArray): void => {
        clearTimeout(timer)
        watchers.delete(check)
        if (error) reject(error)
        else resolve(match!)
      }
      const check = (): void => {
        global.lastIndex = cursor
        const match = global.exec(stderr)
        if (match) {
          cursor = match.index + match[0].length
          finish(undefined, match)
        } else if (exited) {
          finish(new Error(`plex-login exited before printing ${pattern} on stderr:\n${stderr}`))
        }
      }
      const timer = setTimeout(
        () => finish(new Error(`no ${pattern} on stderr within ${timeoutMs} ms:\n${stderr}`)),
        timeoutMs
      )
      watchers.add(check)
      check()
    })
  }

  return {
    child,
    get stdout() {
      return stdout
    },
    get stderr() {
      return stderr
    },
    waitForStderr,
    done
  }
}

export function runPlexLogin(args: string[], options: RunOptions = {}): Promise<PlexLoginResult> {
  return startPlexLogin(args, options).done
}

/** The one JSON object on stdout; throws if stdout holds anything else. */
export function jsonOut(result: PlexLoginResult): Record<string, unknown> {
  const text = result.stdout
  if (!text.endsWith('\n') || text.trim().includes('\n')) {
    throw new Error(`stdout is not exactly one JSON line:\n${text}`)
  }
  const value: unknown = JSON.parse(text)
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new Error(`stdout is not a JSON object: ${text}`)
  }
  return value as Record<string, unknown>
}

export async function waitUntil(
  condition: () => boolean,
  what: string,
  timeoutMs = 10_000
): Promise<void> {
  const until = Date.now() + timeoutMs
  while (!condition()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
}

export const sleep = (ms: number): Promise<void> =>
  new Promise((resolve) => setTimeout(resolve, ms))

export function tempDir(
  context: Pick<TestContext, 'onTestFinished'>,
  prefix = 'plex-login-'
): string {
  const dir = mkdtempSync(join(tmpdir(), prefix))
  context.onTestFinished(() => rmSync(dir, { recursive: true, force: true }))
  return dir
}

/** A fresh fake plex.tv and store folder for one test, both gone when the test finishes. */
export async function setup(
  context: Pick<TestContext, 'onTestFinished'>,
  options: FakePlexOptions = {}
): Promise<{ fake: FakePlex; storeDir: string; base: string[] }> {
  const fake = await startFakePlex(options)
  context.onTestFinished(() => fake.close())
  const storeDir = tempDir(context)
  return { fake, storeDir, base: ['--store-dir', storeDir, '--plex-url', fake.url] }
}

export const SHORT_CODE_LINE = /enter the code:\s+(\S+)/

/** Approves the next short code the run shows on stderr; returns that code. */
export async function approveShownCode(run: PlexLoginRun, fake: FakePlex): Promise<string> {
  const [, code] = await run.waitForStderr(SHORT_CODE_LINE)
  fake.approve(code)
  return code!
}

/** A complete `login --json` against the fake; returns the token and client identifier. */
export async function signIn(
  fake: FakePlex,
  storeDir: string,
  extraArgs: string[] = []
): Promise<{ token: string; clientIdentifier: string; result: PlexLoginResult }> {
  const run = startPlexLogin([
    'login',
    '--json',
    '--store-dir',
    storeDir,
    '--plex-url',
    fake.url,
    ...extraArgs
  ])
  await approveShownCode(run, fake)
  const result = await run.done
  if (result.code !== 0) throw new Error(`sign-in failed (${result.code}):\n${result.stderr}`)
  const json = jsonOut(result)
  return {
    token: json.authToken as string,
    clientIdentifier: json.clientIdentifier as string,
    result
  }
}

/** Requests made since `from` (an index into fake.requests). */
export function requestsSince(fake: FakePlex, from: number): FakePlex['requests'] {
  return fake.requests.slice(from)
}

export const STACK_TRACE = /^\s+at .+\(?.*:\d+:\d+\)?$/m
