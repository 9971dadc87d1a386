// A clock the test moves by hand, for the race's timers and latencies: timing rules are checked
// as order of events, never against the machine's speed.

import type { Timers } from '../../src/main/servers/get-json'

interface Pending {
  at: number
  run: () => void
}

export interface ManualClock {
  now(): number
  timers: Timers
  advance(ms: number): Promise<void> // runs every timer due, in order, letting promises settle
}

/** Lets pending promise chains, stream reads included, run to their next wait. */
export async function settle(): Promise<void> {
  for (let i = 0; i < 10; i++) await new Promise((resolve) => setImmediate(resolve))
}

export function manualClock(): ManualClock {
  let current = 0
  const pending = new Set<Pending>()
  return {
    now: () => current,
    timers: {
      setTimeout(run, ms) {
        const timer = { at: current + Math.max(0, ms), run }
        pending.add(timer)
        return timer
      },
      clearTimeout(handle) {
        pending.delete(handle as Pending)
      }
    },
    async advance(ms) {
      const target = current + ms
      await settle()
      for (;;) {
        const next = [...pending].filter((t) => t.at <= target).sort((a, b) => a.at - b.at)[0]
        if (!next) break
        pending.delete(next)
        current = next.at
        next.run()
        await settle()
      }
      current = target
      await settle()
    }
  }
}
