// stdout and stderr as an installer may leave them: a pipe whose reader has gone (`| head -c1`,
// a logger that exited). Writing there must never throw, and its 'error' event must never go
// unhandled: in Electron's main process that becomes a modal error dialog, and the run would
// wait on a person instead of ending with its exit code.

export interface OutputStream {
  write(chunk: string, callback?: (error?: Error | null) => void): boolean
  on(event: 'error', listener: (error: Error) => void): unknown
  readonly destroyed?: boolean
}

export interface SafeOutput {
  /** Writes `text`, or drops it once the stream is broken. Never throws. */
  write(text: string): void
  /** Calls `then` once everything written so far has been taken, or the stream broke. */
  flushed(then: () => void): void
}

export function safeOutput(stream: OutputStream): SafeOutput {
  let broken = false
  const waiting: Array<() => void> = []
  stream.on('error', () => {
    broken = true
    for (const then of waiting.splice(0)) then()
  })
  const usable = (): boolean => !broken && stream.destroyed !== true

  return {
    write(text) {
      if (!usable()) return
      try {
        stream.write(text)
      } catch {
        broken = true
      }
    },
    flushed(then) {
      let called = false
      const once = (): void => {
        if (called) return
        called = true
        then()
      }
      if (!usable()) return once()
      waiting.push(once)
      try {
        // Stream writes complete in order: this callback comes after every earlier one.
        stream.write('', once)
      } catch {
        broken = true
        once()
      }
    }
  }
}
