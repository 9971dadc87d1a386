// The signals that end a run the way closing the window does (exit 130 and the `interrupted`
// answer for an installer). They are caught from the app's first line: Electron takes a while to
// be ready, and a signal in that time must not kill the app without its answer.

export const END_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGQUIT'] as const

export interface EndSignals {
  /** From now on a signal calls `handler`; one that came earlier calls it at once. */
  answerWith(handler: () => void): void
  /** The same as a signal, for an ending that reaches the app another way (Electron's quit). */
  raise(): void
}

export function catchEndSignals(target: {
  on(signal: (typeof END_SIGNALS)[number], listener: () => void): unknown
}): EndSignals {
  let handler: (() => void) | undefined
  let pending = false
  const raise = (): void => {
    if (handler) handler()
    else pending = true
  }
  // `on`, not `once`: a second Ctrl+C while the answer is being written must not kill the app
  // through the default handler and lose that answer.
  for (const signal of END_SIGNALS) target.on(signal, raise)
  return {
    answerWith(next) {
      handler = next
      if (pending) next()
    },
    raise
  }
}
