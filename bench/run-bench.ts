// `npm run bench`: measures Plex Login Helper beside the plex-oauth package against the fake
// plex.tv, prints the Markdown tables and writes them to bench/results.md. Measures the build
// in out/ (run `npm run build` first). Benchmarks, not tests: nothing fails on a duration.
//   BENCH_RUNS          runs per measurement and delay (default 20)
//   BENCH_IDLE_SECONDS  the idle window (default 60; shorter ones are scaled to a minute)
//   BENCH_OUT           where to write the Markdown (default bench/results.md)

import { execFileSync } from 'node:child_process'
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { cpus, loadavg, release, totalmem, type as osType } from 'node:os'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { measureApprovalLatency, POLL_INTERVAL_MS, type ApprovalSample } from './approval-latency'
import { measureBundleSizes } from './bundle-size'
import { CLI_PATH, ROOT } from './child-processes'
import { measureIdleCost } from './idle-cost'
import { renderReport, type BenchResults, type MachineInfo } from './report'
import { measureRetryAfter } from './request-counts'
import { measureServerChoice } from './server-choice'
import { launchChromium } from '../test/chromium'
import { measureTimeToCode, type TimeToCodeResult } from './time-to-code'

const DELAYS = [0, 100]
const runs = Math.max(1, Number(process.env.BENCH_RUNS ?? 20))
const idleWindowMs = Math.max(1, Number(process.env.BENCH_IDLE_SECONDS ?? 60)) * 1000
const outFile = process.env.BENCH_OUT ?? join(ROOT, 'bench/results.md')

const progress = (text: string): void => void process.stderr.write(`bench: ${text}\n`)

function osName(): string {
  try {
    const pretty = /^PRETTY_NAME="?([^"\n]*)"?$/m.exec(readFileSync('/etc/os-release', 'utf8'))
    if (pretty) return `${pretty[1]} (${osType()} ${release()})`
  } catch {
    // not Linux
  }
  return `${osType()} ${release()}`
}

function gitDescription(): string {
  try {
    const git = (...args: string[]): string =>
      execFileSync('git', args, { cwd: ROOT, encoding: 'utf8' }).trim()
    const dirty = git('status', '--porcelain', '--', 'src').length > 0
    return `${git('rev-parse', '--short', 'HEAD')}${dirty ? ' with uncommitted changes in src/' : ''}`
  } catch {
    return 'unknown (no git)'
  }
}

function packageVersion(name: string): string {
  try {
    const file = join(ROOT, 'node_modules', name, 'package.json')
    return (JSON.parse(readFileSync(file, 'utf8')) as { version: string }).version
  } catch {
    return '?'
  }
}

function newestMtime(dir: string): number {
  let newest = 0
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name)
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs)
  }
  return newest
}

function buildWarnings(): string[] {
  const bundles = [CLI_PATH, join(ROOT, 'out/main/index.js'), join(ROOT, 'out/preload/index.cjs')]
  const missing = bundles.filter((file) => !existsSync(file))
  if (missing.length || !existsSync(join(ROOT, 'out/renderer/index.html')))
    throw new Error('out/ is incomplete: run `npm run build` first')
  const built = Math.min(...bundles.map((file) => statSync(file).mtimeMs))
  return newestMtime(join(ROOT, 'src')) > built
    ? ['src/ has changes newer than the build in out/: these figures are for the older build.']
    : []
}

async function main(): Promise<void> {
  const started = performance.now()
  const loadBefore = loadavg()
  const warnings = buildWarnings()
  warnings.forEach((w) => progress(`warning: ${w}`))

  progress('size')
  const sizes = measureBundleSizes()

  const browser = await launchChromium()
  const timeToCode: TimeToCodeResult[] = []
  let chromiumVersion: string
  try {
    chromiumVersion = browser.version()
    for (const delayMs of DELAYS)
      timeToCode.push(await measureTimeToCode(delayMs, runs, browser, progress))
  } finally {
    await browser.close()
  }

  const approval: ApprovalSample[] = []
  for (const delayMs of DELAYS)
    approval.push(...(await measureApprovalLatency(delayMs, runs, progress)))

  progress('Retry-After window')
  const retryAfter = await measureRetryAfter(DELAYS)

  const idle = await measureIdleCost(DELAYS, idleWindowMs, progress)

  progress('server choice')
  const serverChoice = await measureServerChoice(DELAYS, runs, progress)

  const cpu = cpus()
  const machine: MachineInfo = {
    date: new Date().toISOString(),
    cpu: cpu[0]?.model.trim() ?? 'unknown CPU',
    cores: cpu.length,
    memory: `${(totalmem() / 2 ** 30).toFixed(1)} GiB RAM`,
    node: process.version,
    os: osName(),
    chromium: chromiumVersion,
    peer: `plex-oauth ${packageVersion('plex-oauth')} (axios ${packageVersion('axios')})`,
    commit: gitDescription(),
    load: [loadBefore, loadavg()]
      .map((l, i) => `${i ? 'after' : 'before'} ${l.map((v) => v.toFixed(2)).join(' / ')}`)
      .join(', ')
  }
  const results: BenchResults = {
    machine,
    settings: { runs, delays: DELAYS, idleWindowMs, pollIntervalMs: POLL_INTERVAL_MS },
    timeToCode,
    approval,
    retryAfter,
    idle,
    serverChoice,
    sizes,
    totalMs: performance.now() - started,
    warnings
  }
  const markdown = renderReport(results)
  writeFileSync(outFile, markdown)
  process.stdout.write(`${markdown}\n`)
  progress(`wrote ${outFile}`)
}

await main()
