// Spawning the processes the benchmarks time or watch, and stopping them again.

import { spawn, type ChildProcess } from 'node:child_process'
import { resolve } from 'node:path'
import { performance } from 'node:perf_hooks'

export const ROOT = resolve(import.meta.dirname, '..')
export const CLI_PATH = resolve(ROOT, 'out/cli/plex-login.js')

export interface WatchedChild {
  child: ChildProcess
  startedAt: number // performance.now() just before spawn
  /** Resolves with the first match of `pattern` on the stream and the time it arrived. */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<{ match: RegExpExecArray; at: number }>
  output(): string
}

export function spawnWatched(
  args: string[],
  options: { stream?: 'stdout' | 'stderr'; env?: NodeJS.ProcessEnv } = {}
): WatchedChild {
  const streamName = options.stream ?? 'stderr'
  const startedAt = performance.now()
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    env: options.env ?? process.env,
    stdio: [
      'ignore',
      streamName === 'stdout' ? 'pipe' : 'ignore',
      streamName === 'stderr' ? 'pipe' : 'ignore'
    ]
  })
  let text = ''
  const waiters = new Set<() => void>()
  const stream = streamName === 'stdout' ? child.stdout : child.stderr
  stream?.setEncoding('utf8')
  stream?.on('data', (chunk: string) => {
    text += chunk
    for (const check of [...waiters]) check()
  })
  return {
    child,
    startedAt,
    output: () => text,
    waitFor(pattern, timeoutMs = 30_000) {
      return new Promise((done, fail) => {
        const timer = setTimeout(() => {
          waiters.delete(check)
          fail(new Error(`timed out waiting for ${pattern} from ${args.join(' ')}:\n${text}`))
        }, timeoutMs)
        const check = (): void => {
          const match = pattern.exec(text)
          if (!match) return
          const at = performance.now()
          waiters.delete(check)
          clearTimeout(timer)
          done({ match, at })
        }
        waiters.add(check)
        check()
        child.once('exit', (code) => {
          if (!waiters.has(check)) return
          waiters.delete(check)
          clearTimeout(timer)
          fail(new Error(`${args.join(' ')} exited (${code}) before ${pattern}:\n${text}`))
        })
      })
    }
  }
}

/** SIGTERM, then waits for the exit (SIGKILL after `graceMs`). */
export function stopChild(child: ChildProcess, graceMs = 5_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve()
  return new Promise((done) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs)
    child.once('exit', () => {
      clearTimeout(timer)
      done()
    })
    child.kill('SIGTERM')
  })
}
