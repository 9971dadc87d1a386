// Section 1, time to code: how long until a person can read a code.
//   (a) the built `plex-login`: process start → the code line on stderr;
//   (b) the window: the built renderer with the real preload and engine (test/e2e/harness),
//       navigation start / DOMContentLoaded → `[data-testid=pin-code]` holds the code;
//   (c) floors: one plain fetch POST /api/v2/pins, in this (warm) process and in a fresh node;
//       and the peer's requestHostedLoginURL() in this process.

import { randomUUID } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import type { Browser } from '@playwright/test'
import { startFakePlex } from '../test/fake-plex/fake-plex-server'
import { RendererApp } from '../test/e2e/harness/renderer-app'
import { CLI_PATH, spawnWatched, stopChild } from './child-processes'
import { createPeer, forgetPeerRoute } from './peer-plex-oauth'

export interface TimeToCodeResult {
  delayMs: number
  cli: number[] // process start → code on stderr
  nodeFetch: number[] // process start → code on stderr, for `node -e` doing one fetch
  fetchWarm: number[] // one fetch POST in this process (connection kept alive)
  peerWarm: number[] // plex-oauth requestHostedLoginURL() in this process
  rendererNav: number[] // navigation start → code in the DOM
  rendererDcl: number[] // DOMContentLoaded → code in the DOM
}

const CODE_LINE = /enter the code:\s+([A-Z0-9]{4})\b/
const NODE_FETCH_LINE = /^code ([A-Z0-9]{4})$/m

async function timeCli(fakeUrl: string): Promise<number> {
  const storeDir = mkdtempSync(join(tmpdir(), 'plex-bench-cli-'))
  try {
    const run = spawnWatched([CLI_PATH, '--plex-url', fakeUrl, '--store-dir', storeDir])
    const { at } = await run.waitFor(CODE_LINE)
    await stopChild(run.child)
    return at - run.startedAt
  } finally {
    rmSync(storeDir, { recursive: true, force: true })
  }
}

function nodeFetchSource(fakeUrl: string): string {
  const headers = JSON.stringify({
    Accept: 'application/json',
    'X-Plex-Client-Identifier': randomUUID(),
    'X-Plex-Product': 'bench floor'
  })
  return (
    `fetch(${JSON.stringify(`${fakeUrl}/api/v2/pins`)}, { method: 'POST', headers: ${headers} })` +
    `.then((r) => r.json()).then((pin) => process.stderr.write('code ' + pin.code + '\\n'))`
  )
}

async function timeNodeFetch(fakeUrl: string): Promise<number> {
  const run = spawnWatched(['-e', nodeFetchSource(fakeUrl)])
  const { at } = await run.waitFor(NODE_FETCH_LINE)
  await stopChild(run.child)
  return at - run.startedAt
}

async function timeFetchWarm(fakeUrl: string, clientId: string): Promise<number> {
  const started = performance.now()
  const res = await fetch(`${fakeUrl}/api/v2/pins`, {
    method: 'POST',
    headers: { Accept: 'application/json', 'X-Plex-Client-Identifier': clientId }
  })
  const pin = (await res.json()) as { code?: string }
  if (!pin.code) throw new Error('the fake sent no code')
  return performance.now() - started
}

// Records, in the page's own clock (0 = navigation start), when the code first appears.
const OBSERVE_CODE = `(() => {
  const found = () => {
    const el = document.querySelector('[data-testid="pin-code"]')
    if (!el || !/^[A-Z0-9]{4}$/.test(el.textContent || '')) return false
    window.__benchCodeAt = performance.now()
    return true
  }
  const observer = new MutationObserver(() => { if (found()) observer.disconnect() })
  observer.observe(document, { subtree: true, childList: true, characterData: true })
})()`

// What the page function needs of the window (this project's Node typings have no DOM).
type BenchGlobal = {
  __benchCodeAt?: number
  performance: {
    getEntriesByType(type: 'navigation'): { domContentLoadedEventStart: number }[]
  }
}

interface PageTimes {
  codeAt: number
  dcl: number
}

async function timeRenderer(browser: Browser, delayMs: number): Promise<PageTimes> {
  const context = await browser.newContext({ viewport: { width: 420, height: 600 } })
  const page = await context.newPage()
  const app = await RendererApp.create(page, {
    fake: { delayMs },
    flow: { pollIntervalMs: 1_000 } // the app's own interval (the harness default is 250 ms)
  })
  try {
    await page.addInitScript({ content: OBSERVE_CODE })
    await app.open()
    // Functions, not strings: the page's CSP forbids eval, which string predicates need.
    await page.waitForFunction(
      () => (globalThis as unknown as BenchGlobal).__benchCodeAt !== undefined,
      undefined,
      { timeout: 15_000 }
    )
    return await page.evaluate((): PageTimes => {
      const g = globalThis as unknown as BenchGlobal
      const [navigation] = g.performance.getEntriesByType('navigation')
      return { codeAt: g.__benchCodeAt ?? NaN, dcl: navigation.domContentLoadedEventStart }
    })
  } finally {
    await app.dispose()
    await context.close()
  }
}

export async function measureTimeToCode(
  delayMs: number,
  runs: number,
  browser: Browser,
  progress: (text: string) => void
): Promise<TimeToCodeResult> {
  const result: TimeToCodeResult = {
    delayMs,
    cli: [],
    nodeFetch: [],
    fetchWarm: [],
    peerWarm: [],
    rendererNav: [],
    rendererDcl: []
  }
  const fake = await startFakePlex({ delayMs })
  const peerId = `bench-peer-${randomUUID()}`
  const peer = createPeer(fake.url, peerId)
  const floorId = randomUUID()
  try {
    // One untimed round of each first: file caches, JIT, the keep-alive connections.
    await timeCli(fake.url)
    await timeNodeFetch(fake.url)
    await timeFetchWarm(fake.url, floorId)
    await peer.requestPin()
    await timeRenderer(browser, delayMs)
    for (let i = 0; i < runs; i++) {
      result.cli.push(await timeCli(fake.url))
      result.nodeFetch.push(await timeNodeFetch(fake.url))
      result.fetchWarm.push(await timeFetchWarm(fake.url, floorId))
      const started = performance.now()
      await peer.requestPin()
      result.peerWarm.push(performance.now() - started)
      const page = await timeRenderer(browser, delayMs)
      result.rendererNav.push(page.codeAt)
      result.rendererDcl.push(page.codeAt - page.dcl)
      progress(`time to code, ${delayMs} ms: run ${i + 1}/${runs}`)
    }
  } finally {
    forgetPeerRoute(peerId)
    await fake.close()
  }
  return result
}
