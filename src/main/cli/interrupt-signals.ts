// The entry imports this module first, so the handlers for the signals that end a run (exit 130
// and the `interrupted` answer) are in place before any other code of the command runs: a
// SIGHUP or SIGQUIT would otherwise kill it with no answer at all. A signal that comes before
// the run listens is remembered, not lost.
import { catchEndSignals } from '../app/end-signals'

const endSignals = catchEndSignals(process)

/** Calls back on an end signal (at once if one came already); returns how to stop listening. */
export function onInterrupt(callback: () => void): () => void {
  let listening = true
  endSignals.answerWith(() => {
    if (listening) callback()
  })
  return () => {
    listening = false
  }
}
