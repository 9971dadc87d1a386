// Turns the measurements into the Markdown written to bench/results.md and printed.

import type { ApprovalSample, Side } from './approval-latency'
import type { SizeRow } from './bundle-size'
import { CLOCK_TICKS, type IdleRow } from './idle-cost'
import type { RetryAfterResult } from './request-counts'
import { RETRY_AFTER_S } from './request-counts'
import type { ServerChoiceRow } from './server-choice'
import { median, percentile, summarize } from './stats'
import { PROBE_TIMEOUT_MS } from '../src/main/servers/probe-identity'
import type { TimeToCodeResult } from './time-to-code'

export interface MachineInfo {
  date: string // ISO 8601
  cpu: string
  cores: number
  memory: string
  node: string
  os: string
  chromium: string
  peer: string // plex-oauth and axios versions
  commit: string
  load: string // load averages before and after, as a hint of other work on the machine
}

export interface BenchSettings {
  runs: number
  delays: number[]
  idleWindowMs: number
  pollIntervalMs: number
}

export interface BenchResults {
  machine: MachineInfo
  settings: BenchSettings
  timeToCode: TimeToCodeResult[]
  approval: ApprovalSample[]
  retryAfter: RetryAfterResult[]
  idle: IdleRow[]
  serverChoice: ServerChoiceRow[]
  sizes: SizeRow[]
  totalMs: number
  warnings: string[]
}

export const ms = (value: number): string =>
  Number.isFinite(value) ? `${value < 10 ? value.toFixed(1) : Math.round(value)} ms` : '–'

const HELD_BACK_MS = 20

const ratio = (a: number, b: number): string => (b > 0 ? `${(a / b).toFixed(2)}×` : '–')

const kib = (bytes: number): string => `${(bytes / 1024).toFixed(1)} KiB`

const duration = (totalMs: number): string => {
  const s = Math.round(totalMs / 1000)
  return `${Math.floor(s / 60)} min ${s % 60} s`
}

function table(header: string[], rows: (string | number)[][]): string {
  const line = (cells: (string | number)[]): string => `| ${cells.join(' | ')} |`
  const align = header.map((_, i) => (i === 0 ? '---' : '---:'))
  return [line(header), line(align), ...rows.map(line)].join('\n')
}

const summaryCells = (values: number[]): string[] => {
  const s = summarize(values)
  return [ms(s.median), ms(s.p95), ms(s.min), ms(s.max)]
}

function timeToCodeSection(results: TimeToCodeResult[], runs: number): string {
  const rows: string[][] = []
  const paths: [keyof TimeToCodeResult, string][] = [
    ['cli', '(a) `plex-login`: process start → code on stderr'],
    ['rendererNav', '(b) window: navigation start → code in the page'],
    ['rendererDcl', '(b) window: DOMContentLoaded → code in the page'],
    ['nodeFetch', '(c) floor: `node -e` one fetch POST /pins: process start → code'],
    ['fetchWarm', '(c) floor: one fetch POST /pins in a warm process'],
    ['peerWarm', '(c) peer: `requestHostedLoginURL()` in a warm process']
  ]
  for (const [key, label] of paths) {
    for (const result of results) {
      const values = result[key]
      if (Array.isArray(values) && values.length)
        rows.push([label, `${result.delayMs} ms`, ...summaryCells(values)])
    }
  }
  return `## 1. Time to code

${runs} runs per delay, after one untimed warm-up run of each.

${table(['path', 'delay', 'median', 'p95', 'min', 'max'], rows)}

- (a) spawns \`node out/cli/plex-login.js --plex-url <fake> --store-dir <fresh tmp dir>\` (a first
  run: it also makes its client identifier and store file) and stops at the stderr line with the
  code; then SIGTERM.
- (b) is the Playwright harness (test/e2e/harness): the built renderer, the real built preload
  through the stand-in, the real LoginSession + plex.tv client in the bench process, Chromium
  ${'`'}--disable-gpu${'`'}. As the app does at ready, the page load and \`session.start()\` begin
  together. Times are the page's own clock (navigation start = 0), read by a MutationObserver at
  the moment \`[data-testid=pin-code]\` first holds a code. Each run uses a new browser context
  and a new fake. The harness carries IPC over a Playwright binding (CDP), slower than Electron's.
- (c) are floors for the same answer: the bare cost of a node process plus one request, and of
  one request on a kept-alive connection.`
}

function approvalSection(samples: ApprovalSample[], delays: number[], runs: number): string {
  const rows: string[][] = []
  const of = (side: Side, delayMs: number): ApprovalSample[] =>
    samples.filter((s) => s.side === side && s.delayMs === delayMs)
  const measures: [string, (s: ApprovalSample) => number][] = [
    ['approval → noticed', (s) => s.noticedMs],
    ['approval → signed in', (s) => s.signedInMs],
    ['noticed → signed in', (s) => s.signedInMs - s.noticedMs]
  ]
  for (const delayMs of delays) {
    for (const [label, pick] of measures) {
      const ours = summarize(of('ours', delayMs).map(pick))
      const peer = summarize(of('peer', delayMs).map(pick))
      rows.push([
        label,
        `${delayMs} ms`,
        ms(ours.median),
        ms(ours.p95),
        ms(peer.median),
        ms(peer.p95),
        ratio(ours.median, peer.median),
        `${ours.median >= peer.median ? '+' : '−'}${ms(Math.abs(ours.median - peer.median))}`
      ])
    }
  }
  return `## 2. Approval → noticed, approval → signed in (ours vs plex-oauth)

${runs} sign-ins per side per delay; in each run ours and the peer sign in at the same time on
the same fake, each with its own code, approved at its own random moment.

${table(
  [
    'measure',
    'delay',
    'ours median',
    'ours p95',
    'peer median',
    'peer p95',
    'ours/peer (median)',
    'ours − peer (median)'
  ],
  rows
)}

- *approved*: the fake marks the PIN claimed (its \`onClaim\` hook). *noticed*: the first poll
  answer carrying the authToken leaves the fake (\`onTokenSent\`). *signed in*: ours, \`LoginFlow\`
  (real plex.tv client, real timers, the CLI's conf store in a tmp dir) resolves \`{ ok: true }\`;
  peer, \`checkForAuthToken(pinId, 1000)\` resolves with the token. All three are
  \`performance.now()\` in the one process that runs the fake and both clients.
- Each approval comes one poll period (1000 ms + delay) after the code was out, plus a uniformly
  random offset within one more period, so it lands at a uniformly random phase of the polling
  cycle (stratified: run i of n draws from the i-th n-th of the period, shuffled, per side).
  Both poll 1000 ms after the previous answer arrived, so both periods are 1000 ms + the round
  trip: the expected *noticed* is about half a period for both.
- *noticed → signed in*: ours then reads the account (\`GET /api/v2/user\`, one more round trip)
  and saves token + account before it reports success; the peer returns the bare token and
  leaves checking it to its caller.`
}

function requestsSection(results: BenchResults): string {
  const { approval, idle, retryAfter, settings } = results
  const perSignIn: string[][] = []
  for (const delayMs of settings.delays) {
    for (const side of ['ours', 'peer'] as Side[]) {
      const mine = approval.filter((s) => s.side === side && s.delayMs === delayMs)
      if (!mine.length) continue
      const totals = mine.map((s) => s.requests.create + s.requests.poll + s.requests.user)
      const t = summarize(totals)
      perSignIn.push([
        side,
        `${delayMs} ms`,
        String(median(mine.map((s) => s.requests.create))),
        String(median(mine.map((s) => s.requests.poll))),
        String(median(mine.map((s) => s.requests.user))),
        String(t.median),
        String(t.p95),
        `${median(mine.map((s) => s.pollConnections))} / ${Math.max(...mine.map((s) => s.pollConnections))}`,
        `${median(mine.map((s) => s.connections))} / ${Math.max(...mine.map((s) => s.connections))}`
      ])
    }
  }
  const perMinute = idle
    .filter((row) => row.requests !== undefined)
    .map((row) => [
      row.who,
      `${row.delayMs} ms`,
      String(row.requests),
      `${(row.windowMs / 1000).toFixed(1)} s`,
      ((row.requests ?? 0) * (60_000 / row.windowMs)).toFixed(1),
      row.requests ? ms(row.windowMs / row.requests) : '–',
      String(row.connections)
    ])
  const window = retryAfter.map((r) => [
    r.side,
    `${r.delayMs} ms`,
    String(r.inWindow),
    r.nextAfterMs === undefined ? '–' : ms(r.nextAfterMs),
    r.note
  ])
  const measured = settings.idleWindowMs >= 60_000
  return `## 3. Requests

### Per sign-in

From the section 2 runs (approved 1–2 poll periods after the code was out, so the poll count
reflects that schedule: one poll per ~(1000 ms + delay) of waiting). Connections are distinct
TCP connections at the fake (median / max); all runs share one process and one fake, so a
client's pool may carry a connection over from the previous run (a lone \`plex-login\` sign-in
uses one connection for everything: test/integration/cli-login.test.ts checks it).

${table(
  [
    'side',
    'delay',
    'create',
    'polls (median)',
    'GET /user',
    'total (median)',
    'total (p95)',
    'connections for code + polls',
    'connections in all'
  ],
  perSignIn
)}

### Per idle minute of waiting

${
  measured
    ? `A real ${(settings.idleWindowMs / 1000).toFixed(0)} s window, shared with section 5.`
    : `Measured over ${(settings.idleWindowMs / 1000).toFixed(0)} s only and **scaled to a minute** (BENCH_IDLE_SECONDS was set).`
} Nobody approves; requests counted by client identifier.

${table(
  ['who', 'delay', 'requests in window', 'window', 'per minute', 'mean period', 'connections'],
  perMinute
)}

### During a 429's Retry-After window

After two answered polls the fake answers the next poll \`429\` with \`Retry-After: ${RETRY_AFTER_S}\`;
counted: the client's requests that reach the fake in the ${RETRY_AFTER_S} s after that answer
left it (expected 0).

${table(['side', 'delay', `requests in the ${RETRY_AFTER_S} s`, 'next request after the 429', 'then'], window)}`
}

function sizeSection(sizes: SizeRow[]): string {
  const rows = sizes.map((r) => [
    r.what,
    kib(r.raw),
    kib(r.gzip),
    r.files.length <= 2 ? r.files.map((f) => `\`${f}\``).join(', ') : `${r.files.length} files`
  ])
  return `## 4. Size

gzip: node:zlib level 9, each file on its own, summed. The peer row is every file Node loads
for \`require('plex-oauth')\` (plex-oauth, axios and axios's dependencies), for scale: it is a
library, not an app.

${table(['what', 'raw', 'gzip', 'files'], rows)}`
}

function idleSection(idle: IdleRow[], windowMs: number): string {
  const perMinute = (value: number, row: IdleRow): string =>
    (value * (60_000 / row.windowMs)).toFixed(0)
  const rows = idle.map((row) => [
    row.who,
    row.delayMs === undefined ? '–' : `${row.delayMs} ms`,
    ms(row.cpuMs * (60_000 / row.windowMs)),
    `${((row.cpuMs / row.windowMs) * 100).toFixed(2)} %`,
    perMinute(row.wakeups, row),
    perMinute(row.wakeupsMain, row),
    perMinute(row.involuntary, row),
    String(row.threads)
  ])
  return `## 5. Idle cost while waiting

All processes watched together over one ${(windowMs / 1000).toFixed(0)} s window (figures per
minute), each waiting for an approval that never comes, started 2 s or more before the window.
Ours is the built \`plex-login\` (plain node); the peer is \`checkForAuthToken(pinId, 1000)\` in
bench/peer-idle-child.ts, bundled by esbuild and run by plain node too (under tsx an empty node
alone costs ~6 ms CPU and ~17 wake-ups a second, which would be charged to the peer). CPU is
utime + stime of all threads from /proc/<pid>/stat (${1000 / CLOCK_TICKS} ms ticks); wake-ups are voluntary
context switches from /proc/<pid>/task/*/status.

${table(
  [
    'who',
    'delay',
    'CPU per minute',
    'CPU (% of a core)',
    'wake-ups/min (all threads)',
    'wake-ups/min (main thread)',
    'involuntary/min',
    'threads'
  ],
  rows
)}`
}

function headline(results: BenchResults): string {
  const { approval, idle, timeToCode, settings } = results
  const med = (side: Side, delayMs: number, pick: (s: ApprovalSample) => number): number =>
    median(approval.filter((s) => s.side === side && s.delayMs === delayMs).map(pick))
  const rows: string[][] = []
  for (const delayMs of settings.delays) {
    const noticed = [
      med('ours', delayMs, (s) => s.noticedMs),
      med('peer', delayMs, (s) => s.noticedMs)
    ]
    const signed = [
      med('ours', delayMs, (s) => s.signedInMs),
      med('peer', delayMs, (s) => s.signedInMs)
    ]
    rows.push([
      `approval → noticed, median (${delayMs} ms)`,
      ms(noticed[0]),
      ms(noticed[1]),
      ratio(noticed[0], noticed[1])
    ])
    rows.push([
      `approval → signed in, median (${delayMs} ms)`,
      ms(signed[0]),
      ms(signed[1]),
      ratio(signed[0], signed[1])
    ])
  }
  for (const delayMs of settings.delays) {
    const ours = idle.find((r) => r.who.startsWith('ours') && r.delayMs === delayMs)
    const peer = idle.find((r) => r.who.startsWith('peer') && r.delayMs === delayMs)
    if (!ours || !peer) continue
    const perMin = (row: IdleRow, v: number): number => v * (60_000 / row.windowMs)
    rows.push([
      `idle CPU per minute (${delayMs} ms)`,
      ms(perMin(ours, ours.cpuMs)),
      ms(perMin(peer, peer.cpuMs)),
      ratio(ours.cpuMs, peer.cpuMs)
    ])
    rows.push([
      `polls per idle minute (${delayMs} ms)`,
      perMin(ours, ours.requests ?? 0).toFixed(1),
      perMin(peer, peer.requests ?? 0).toFixed(1),
      ratio(ours.requests ?? 0, peer.requests ?? 0)
    ])
  }
  const codeRows = timeToCode.map((r) => [
    `${r.delayMs} ms`,
    ms(median(r.cli)),
    ms(median(r.rendererNav)),
    ms(median(r.rendererDcl)),
    ms(median(r.nodeFetch)),
    ms(median(r.fetchWarm)),
    ms(median(r.peerWarm))
  ])
  return `${table(['', 'ours', 'peer (plex-oauth)', 'ours/peer'], rows)}

Time to code, medians (the peer has no CLI or window; its row is the bare request):

${table(
  [
    'delay',
    'plex-login: start → code',
    'window: navigation → code',
    'window: DOMContentLoaded → code',
    'floor: node + 1 fetch',
    'floor: 1 fetch, warm',
    'peer: requestHostedLoginURL, warm'
  ],
  codeRows
)}`
}

/** One cell for what a side handed over in every run: the same each time, or each with a count. */
function chosenCell(values: string[]): string {
  const counts = new Map<string, number>()
  for (const value of values) counts.set(value, (counts.get(value) ?? 0) + 1)
  if (counts.size === 1) return values[0] ?? '–'
  return [...counts].map(([value, n]) => `${value} ×${n}`).join(', ')
}

function serverChoiceSection(rows: ServerChoiceRow[], runs: number): string {
  const scenarios = [...new Set(rows.map((row) => row.scenario))]
  const cells = rows.map((row) => {
    const ours = median(row.ours)
    const all = median(row.waitAll)
    return [
      `${scenarios.indexOf(row.scenario) + 1}. ${row.scenario}`,
      `${row.delayMs} ms`,
      ms(ours),
      ms(percentile(row.ours, 90)),
      ms(all),
      ms(percentile(row.waitAll, 90)),
      ratio(ours, all),
      chosenCell(row.oursChosen),
      chosenCell(row.waitAllChosen)
    ]
  })
  const lines: string[] = []
  const disagreed = rows.filter((row) => row.disagreements > 0)
  lines.push(
    disagreed.length === 0
      ? 'Both handed over the same server in every run.'
      : `**They handed over different servers** in ${disagreed
          .map(
            (row) => `${row.disagreements} of ${runs} runs of "${row.scenario}" (${row.delayMs} ms)`
          )
          .join(', ')}.`
  )
  // Where ours held a decided server back for the others' races: between the decision and the
  // hand-over there is nothing else to wait for, so anything above a few ms is that wait.
  const heldBack = rows.filter(
    (row) => row.oursDecided.length > 0 && median(row.ours) - median(row.oursDecided) > HELD_BACK_MS
  )
  if (heldBack.length > 0)
    lines.push(
      "`chooseServer(token, 'auto')` hands over only once every server's race has settled, so " +
        "one server's slow or dead addresses hold back another that is already decided: the " +
        `server handed over had its connection after ${heldBack
          .map(
            (row) =>
              `${ms(median(row.oursDecided))} of ${ms(median(row.ours))} in ` +
              `${scenarios.indexOf(row.scenario) + 1} (${row.delayMs} ms)`
          )
          .join(', ')} (medians).`
    )
  return `## 6. Sign-in → server chosen (ours vs waiting for every probe)

${runs} runs per scenario and delay, each on fresh fake media servers (loopback, several 127.0.0.x
addresses; the answer delays are the fakes' own) and a fresh fake plex.tv with the injected delay.

${table(
  [
    'scenario',
    'delay',
    'ours median',
    'ours p90',
    'wait-for-all median',
    'wait-for-all p90',
    'ours/wait-for-all (median)',
    'ours chose',
    'wait-for-all chose'
  ],
  cells
)}

- *ours*: from holding the account token to \`chooseServer(token, 'auto', …)\` resolving: it reads
  the resources list from the fake plex.tv (one round trip), probes every address of every server
  in parallel (\`GET /identity\`) and takes each server's connection by the race rules
  (src/main/servers/choose-connection.ts: an answer no pending probe could outrank is taken at
  once, otherwise within fastest + 250 ms; a relay only after 1 s without a direct answer), then
  picks the best reachable server, owned first.
- *wait-for-all*: python-plexapi's default (\`MyPlexResource.connect()\` probes every connection in
  parallel and chooses only once every attempt has finished). Here: the same resources read, then
  \`probeServers(…, { probeAll: true })\`, which resolves once every probe has answered or timed
  out, then \`pickServer(probed, 'auto')\`. Same engine, same fakes, same probe timeout
  (${PROBE_TIMEOUT_MS / 1000} s); python-plexapi's own default is 30 s, so there a silent address
  costs ten times more.
- Scenarios: 1. the demo's two servers (own: local 5 ms, remote 60 ms; a friend's: remote 120 ms,
  relay refused); 2. the local address accepts and never answers, the remote answers in 20 ms;
  3. local in 30 ms, relay in 5 ms (the relay must not win); 4–5. the own server answers locally
  in 10 ms beside a friend's server whose remote and relay addresses refuse (4) or are silent (5).
${lines.map((l) => `- ${l}`).join('\n')}`
}

/** Plain-words reading of the figures that differ between the two. */
function notes(results: BenchResults): string {
  const { approval, idle, retryAfter, settings } = results
  const lines: string[] = []
  for (const delayMs of settings.delays) {
    const pick = (side: Side, f: (s: ApprovalSample) => number): number =>
      median(approval.filter((s) => s.side === side && s.delayMs === delayMs).map(f))
    const slower = pick('ours', (s) => s.signedInMs) - pick('peer', (s) => s.signedInMs)
    const after =
      pick('ours', (s) => s.signedInMs - s.noticedMs) -
      pick('peer', (s) => s.signedInMs - s.noticedMs)
    const noticed = [pick('ours', (s) => s.noticedMs), pick('peer', (s) => s.noticedMs)]
    lines.push(
      `At ${delayMs} ms, ours is ${ms(Math.abs(slower))} ${slower > 0 ? 'slower' : 'faster'} ` +
        'from approval to signed in (median). Noticing takes about half a poll period for ' +
        `both (median ${ms(noticed[0])} vs ${ms(noticed[1])}; both poll 1 s after each ` +
        'answer, and the medians move by tens of ms with where in the cycle the approvals ' +
        `fell). After noticing, ours needs ${ms(after)} more: it reads the account ` +
        '(`GET /api/v2/user`, one more round trip) and saves token and account before it ' +
        'reports success, where the peer hands back the bare, unchecked token.'
    )
  }
  const ours = approval.filter((s) => s.side === 'ours')
  if (ours.some((s) => s.connections > s.pollConnections))
    lines.push(
      'Ours polls on one kept-alive connection, but each sign-in opens a second one for ' +
        '`GET /api/v2/user`: it is sent in the same tick as the poll answer is read, before ' +
        "undici has put the poll's connection back in its pool (a bare `fetch` right after " +
        "another's `text()` does the same). The peer (Node's http agent) reuses its one."
    )
  const idleOurs = idle.filter((r) => r.who.startsWith('ours') && r.requests)
  const idlePeer = idle.filter((r) => r.who.startsWith('peer') && r.requests)
  if (idleOurs.length && idlePeer.length) {
    const sum = (rows: IdleRow[], f: (r: IdleRow) => number): number =>
      rows.reduce((n, r) => n + f(r), 0)
    const perPoll = (rows: IdleRow[], f: (r: IdleRow) => number): string =>
      (sum(rows, f) / sum(rows, (r) => r.requests ?? 0)).toFixed(1)
    lines.push(
      `Idle, per poll: CPU ours ${perPoll(idleOurs, (r) => r.cpuMs)} ms, peer ` +
        `${perPoll(idlePeer, (r) => r.cpuMs)} ms (${1000 / CLOCK_TICKS} ms ticks, so read ` +
        `differences of a tick or two per minute as noise); main-thread wake-ups ours ` +
        `${perPoll(idleOurs, (r) => r.wakeupsMain)}, peer ${perPoll(idlePeer, (r) => r.wakeupsMain)}. ` +
        "Ours' extra wake-ups come from undici (`fetch`), where the peer's axios uses the " +
        'http module: a bare 1/s fetch loop wakes its main thread about 3 times per request.'
    )
  }
  if (retryAfter.some((r) => r.side === 'peer' && r.note.startsWith('stopped')))
    lines.push(
      'On a 429 the peer sends nothing more either, but because it gives up: ' +
        '`checkForAuthToken` rejects with the axios error and polling ends. Ours waits out ' +
        '`Retry-After` and resumes.'
    )
  return lines.length ? `### Reading it\n\n${lines.map((l) => `- ${l}`).join('\n')}` : ''
}

export function renderReport(results: BenchResults): string {
  const { machine, settings } = results
  const warnings = results.warnings.length
    ? `\n> **Warning:** ${results.warnings.join('\n> **Warning:** ')}\n`
    : ''
  return `# Benchmarks: Plex Login Helper beside plex-oauth

Written by \`npm run bench\` (bench/run-bench.ts). Benchmarks, not tests: nothing fails on a
duration.

- **Date:** ${machine.date}
- **Machine:** ${machine.cpu}, ${machine.cores} cores, ${machine.memory}; ${machine.os}
- **Node:** ${machine.node}; **Chromium:** ${machine.chromium}; **peer:** ${machine.peer}
- **Code:** ${machine.commit}
- **Load average (1/5/15 min):** ${machine.load}
- **Settings:** fake plex.tv on 127.0.0.1 with an injected delay of ${settings.delays.map((d) => `${d} ms`).join(' and ')} (every API answer waits that long: one round trip); ${settings.runs} runs per measurement and delay; medians and nearest-rank p95; poll interval ${settings.pollIntervalMs} ms for both.
- **Total bench runtime:** ${duration(results.totalMs)}
${warnings}
## Headline

${headline(results)}

${notes(results)}

${timeToCodeSection(results.timeToCode, settings.runs)}

${approvalSection(results.approval, settings.delays, settings.runs)}

${requestsSection(results)}

${sizeSection(results.sizes)}

${idleSection(results.idle, settings.idleWindowMs)}

${serverChoiceSection(results.serverChoice, settings.runs)}

## How plex-oauth was pointed at the fake

plex-oauth 2 hard-codes \`https://plex.tv/api/v2\` (LinkHelper.PLEX_PIN_BASE_PATH) and sends
every request through axios's shared default instance (\`require("axios")\` in RequestHelper).
bench/peer-plex-oauth.ts loads that same axios module object through plex-oauth's own
\`require\` (\`createRequire(require.resolve('plex-oauth'))('axios')\`: the CommonJS build it
uses, not the ESM copy an \`import\` would give) and adds one request interceptor that rewrites
the \`https://plex.tv\` prefix of the URL to the fake's \`http://127.0.0.1:<port>\`, chosen by the
request's X-Plex-Client-Identifier so several peers in one process can each have their own fake.
node_modules is untouched; the requests plex-oauth builds (path, query, headers, body) are
otherwise exactly its own. Its transport is axios's http adapter on Node's global agent
(keep-alive by default since Node 19).
`
}
