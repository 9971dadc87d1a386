// Section 5, idle cost: what waiting for approval costs while nobody approves, measured from
// outside on processes of their own, all at the same time over one window (60 s by default):
//   ours     the built `plex-login` (plain node), after its code is on stderr;
//   peer     plex-oauth's checkForAuthToken(pinId, 1000): bench/peer-idle-child.ts bundled by
//            esbuild (packages left external) and run by plain node. Not through tsx: tsx
//            alone costs an idle node ~6 ms CPU and ~17 wake-ups a second, which would be
//            charged to the peer;
//   baseline an empty node holding one long timer.
// CPU = utime + stime from /proc/<pid>/stat (all threads, USER_HZ ticks); wake-ups = voluntary
// context switches from /proc/<pid>/task/*/status, summed over threads and for the main thread.
// The same window counts each one's requests at the fake (section 3, per idle minute).

import { execFileSync } from 'node:child_process'
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { build } from 'esbuild'
import { startFakePlex, type FakePlex } from '../test/fake-plex/fake-plex-server'
import { requestsOf } from './approval-latency'
import { CLI_PATH, ROOT, spawnWatched, stopChild, type WatchedChild } from './child-processes'

// Inside node_modules, so the bundle's bare imports (plex-oauth, axios) resolve from there.
const PEER_CHILD_BUNDLE = join(ROOT, 'node_modules/.cache/plex-bench/peer-idle-child.mjs')

async function bundlePeerChild(): Promise<void> {
  await build({
    entryPoints: [join(ROOT, 'bench/peer-idle-child.ts')],
    outfile: PEER_CHILD_BUNDLE,
    bundle: true,
    packages: 'external',
    platform: 'node',
    format: 'esm',
    target: 'node20',
    logLevel: 'warning'
  })
}

export interface IdleRow {
  who: string
  delayMs?: number
  windowMs: number
  cpuMs: number // during the window
  wakeups: number // voluntary context switches, all threads
  wakeupsMain: number // voluntary context switches of the main (JS) thread
  involuntary: number // involuntary context switches, all threads
  threads: number
  requests?: number // API requests sent during the window
  connections?: number // distinct TCP connections over the whole wait (code + polls)
}

interface ProcSnapshot {
  ticks: number
  voluntary: number
  voluntaryMain: number
  involuntary: number
  threads: number
}

export const CLOCK_TICKS = ((): number => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100
  } catch {
    return 100
  }
})()

function snapshot(pid: number): ProcSnapshot {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
  // Fields after "(comm)": state is field 3, utime 14, stime 15.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
  const ticks = Number(fields[11]) + Number(fields[12])
  let voluntary = 0
  let voluntaryMain = 0
  let involuntary = 0
  const tasks = readdirSync(`/proc/${pid}/task`)
  for (const task of tasks) {
    let status: string
    try {
      status = readFileSync(`/proc/${pid}/task/${task}/status`, 'utf8')
    } catch {
      continue // the thread ended meanwhile
    }
    const vol = Number(/^voluntary_ctxt_switches:\s+(\d+)/m.exec(status)?.[1] ?? 0)
    involuntary += Number(/^nonvoluntary_ctxt_switches:\s+(\d+)/m.exec(status)?.[1] ?? 0)
    voluntary += vol
    if (task === String(pid)) voluntaryMain = vol
  }
  return { ticks, voluntary, voluntaryMain, involuntary, threads: tasks.length }
}

interface Watched {
  who: string
  delayMs?: number
  run: WatchedChild
  fake?: FakePlex
  clientId?: string
  before?: ProcSnapshot
}

function startOurs(fake: FakePlex, delayMs: number, storeDir: string): Watched {
  const clientId = `bench-ours-idle-${delayMs}`
  const run = spawnWatched([
    CLI_PATH,
    '--plex-url',
    fake.url,
    '--store-dir',
    storeDir,
    '--client-id',
    clientId
  ])
  return { who: 'ours: plex-login', delayMs, run, fake, clientId }
}

function startPeer(fake: FakePlex, delayMs: number): Watched {
  const clientId = `bench-peer-idle-${delayMs}`
  const run = spawnWatched([PEER_CHILD_BUNDLE, fake.url, clientId], { stream: 'stdout' })
  return { who: 'peer: plex-oauth', delayMs, run, fake, clientId }
}

const HOLD = 'process.stdout.write("ready\\n"); setTimeout(() => {}, 3_600_000)'

export async function measureIdleCost(
  delays: number[],
  windowMs: number,
  progress: (text: string) => void
): Promise<IdleRow[]> {
  await bundlePeerChild()
  const fakes = await Promise.all(delays.map((delayMs) => startFakePlex({ delayMs })))
  const storeDir = mkdtempSync(join(tmpdir(), 'plex-bench-idle-'))
  const watched: Watched[] = []
  try {
    delays.forEach((delayMs, i) => {
      watched.push(startOurs(fakes[i], delayMs, join(storeDir, String(delayMs))))
      watched.push(startPeer(fakes[i], delayMs))
    })
    watched.push({
      who: 'baseline: empty node',
      run: spawnWatched(['-e', HOLD], { stream: 'stdout' })
    })
    await Promise.all(
      watched.map((w) =>
        w.run.waitFor(w.who.startsWith('ours') ? /enter the code:\s+[A-Z0-9]{4}/ : /^ready/m)
      )
    )
    await sleep(2_000) // past start-up work: module loading, the QR code, first polls
    const startedAt = Date.now()
    for (const w of watched) w.before = snapshot(w.run.child.pid ?? 0)
    progress(`idle cost: watching ${watched.length} processes for ${windowMs / 1000} s`)
    await sleep(windowMs)
    const endedAt = Date.now()
    return watched.map((w): IdleRow => {
      const after = snapshot(w.run.child.pid ?? 0)
      const before = w.before ?? after
      const row: IdleRow = {
        who: w.who,
        delayMs: w.delayMs,
        windowMs: endedAt - startedAt,
        cpuMs: ((after.ticks - before.ticks) * 1000) / CLOCK_TICKS,
        wakeups: after.voluntary - before.voluntary,
        wakeupsMain: after.voluntaryMain - before.voluntaryMain,
        involuntary: after.involuntary - before.involuntary,
        threads: after.threads
      }
      if (w.fake && w.clientId) {
        const mine = requestsOf(w.fake, w.clientId)
        row.requests = mine.filter((r) => r.at >= startedAt && r.at < endedAt).length
        row.connections = new Set(mine.map((r) => r.connection)).size
      }
      return row
    })
  } finally {
    await Promise.all(watched.map((w) => stopChild(w.run.child)))
    await Promise.all(fakes.map((fake) => fake.close()))
    rmSync(storeDir, { recursive: true, force: true })
  }
}
