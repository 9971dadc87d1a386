import { Writable } from 'node:stream'
import { describe, expect, it } from 'vitest'
import { safeOutput } from '../../src/main/app/output-streams'

const epipe = (): NodeJS.ErrnoException =>
  Object.assign(new Error('write EPIPE'), { code: 'EPIPE', errno: -32, syscall: 'write' })

/** A pipe whose reader is gone: every write fails with EPIPE, as process.stdout then does. */
function closedPipe(): Writable {
  return new Writable({ write: (_chunk, _encoding, done) => done(epipe()) })
}

/** A slow reader: each write completes only when the test says so. */
function slowPipe() {
  const pending: Array<() => void> = []
  const taken: string[] = []
  const stream = new Writable({
    decodeStrings: false,
    write: (chunk: string, _encoding, done) =>
      pending.push(() => {
        taken.push(chunk)
        done()
      })
  })
  return { stream, taken, next: () => pending.shift()?.() }
}

const tick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve))

describe('safeOutput', () => {
  it('turns a closed pipe into dropped writes: no throw, no unhandled error event', async () => {
    const stream = closedPipe()
    const attempts: string[] = []
    const write = stream.write.bind(stream)
    stream.write = ((chunk: string, ...rest: never[]) => {
      attempts.push(chunk)
      return write(chunk, ...rest)
    }) as typeof stream.write
    const out = safeOutput(stream)
    out.write('{"ok":true}\n')
    await tick()
    // Without the guard the EPIPE is an unhandled 'error' event: this test would crash here.
    expect(() => out.write('more\n')).not.toThrow()
    await tick()
    expect(attempts).toEqual(['{"ok":true}\n'])
  })

  it('calls flushed at once on a destroyed stream, and only once', async () => {
    const stream = closedPipe()
    stream.destroy()
    const calls: string[] = []
    safeOutput(stream).flushed(() => calls.push('flushed'))
    await tick()
    expect(calls).toEqual(['flushed'])
  })

  it('calls flushed when a pending write fails instead of waiting forever', async () => {
    const stream = closedPipe()
    const out = safeOutput(stream)
    const calls: string[] = []
    out.write('answer\n')
    out.flushed(() => calls.push('flushed'))
    await tick()
    await tick()
    expect(calls).toEqual(['flushed'])
  })

  it('calls flushed only after a slow reader has taken everything written before', async () => {
    const pipe = slowPipe()
    const out = safeOutput(pipe.stream)
    const calls: string[] = []
    out.write('{"ok":true,"authToken":"t"}\n')
    out.flushed(() => calls.push(`flushed after ${pipe.taken.length} write(s)`))
    await tick()
    expect(calls).toEqual([])
    pipe.next() // the answer
    await tick()
    pipe.next() // the empty write flushed() queued behind it
    await tick()
    expect(pipe.taken[0]).toBe('{"ok":true,"authToken":"t"}\n')
    expect(calls).toEqual(['flushed after 2 write(s)'])
  })

  it('never lets a write that throws escape', () => {
    const throwing = {
      write: () => {
        throw new Error('write after end')
      },
      on: () => undefined
    }
    const out = safeOutput(throwing)
    expect(() => out.write('x')).not.toThrow()
    const calls: string[] = []
    out.flushed(() => calls.push('flushed'))
    expect(calls).toEqual(['flushed'])
  })
})
