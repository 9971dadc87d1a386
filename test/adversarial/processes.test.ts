// The process around the command: readers that go away and signals, at any moment.
import { spawn } from 'node:child_process'
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Writable } from 'node:stream'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import type { FakePlex } from '../fake-plex/fake-plex-server'
import {
  CLI_PATH,
  jsonOut,
  runPlexLogin,
  setup,
  STACK_TRACE,
  startPlexLogin,
  waitUntil,
  type PlexLoginRun
} from '../integration/run-plex-login'

const RAISE_AT_START = fileURLToPath(
  new URL('./fixtures/raise-signal-at-start.cjs', import.meta.url)
)

// Each test runs the command once or twice: a safety net for a loaded machine, not a measure.
const LOADED_MACHINE = { timeout: 60_000 }

// Approves the code once plex-login polls it: its stderr cannot be read in these tests.
async function approveWhenPolled(fake: FakePlex): Promise<void> {
  await waitUntil(() => fake.requests.some((r) => r.route === 'poll'), 'a poll', 40_000)
  fake.approve()
}

async function expectSignedIn(fake: FakePlex, storeDir: string, token: string): Promise<void> {
  expect(token).toBe(fake.pins[0]!.authToken)
  const status = await runPlexLogin([
    'status',
    '--json',
    '--store-dir',
    storeDir,
    '--plex-url',
    fake.url
  ])
  expect(status.code).toBe(0)
  const stored = readdirSync(storeDir, { withFileTypes: true }).filter(
    (entry) => entry.isFile() && readFileSync(join(storeDir, entry.name), 'utf8').includes(token)
  )
  expect(stored).toHaveLength(1)
}

async function expectInterrupted(run: PlexLoginRun): Promise<void> {
  const result = await run.done
  expect(result.signal).toBeNull()
  expect(result.code).toBe(130)
  expect(jsonOut(result)).toEqual({
    ok: false,
    error: { code: 'interrupted', message: expect.any(String) }
  })
  expect(result.stderr).not.toMatch(STACK_TRACE)
}

describe.concurrent('plex-login when its readers go away', LOADED_MACHINE, () => {
  it('a stderr closed at once still signs in: exit 0, the JSON on stdout, the token saved', async (context) => {
    const { fake, storeDir, base } = await setup(context)
    const run = startPlexLogin(['login', '--json', ...base])
    run.child.stderr!.destroy()
    await approveWhenPolled(fake)
    const result = await run.done

    expect(result.signal).toBeNull()
    expect(result.code).toBe(0)
    const json = jsonOut(result)
    expect(json).toMatchObject({ ok: true })
    await expectSignedIn(fake, storeDir, json.authToken as string)
  })

  it.skipIf(process.platform === 'win32')(
    'stderr piped into `head -c1` still signs in: exit 0, the JSON on stdout',
    async (context) => {
      const { fake, storeDir, base } = await setup(context)
      const head = spawn('head', ['-c1'], { stdio: ['pipe', 'ignore', 'ignore'] })
      const headDone = new Promise((resolve) => head.once('close', resolve))
      const run = spawnWithStderr(['login', '--json', ...base], head.stdin!)
      head.stdin!.destroy() // plex-login holds the only write end now
      await headDone // head read its byte and left: the pipe is broken
      await approveWhenPolled(fake)
      const result = await run

      expect(result.code).toBe(0)
      const json = JSON.parse(result.stdout) as Record<string, unknown>
      expect(json).toMatchObject({ ok: true })
      await expectSignedIn(fake, storeDir, json.authToken as string)
    }
  )

  it('a stdout closed at once still saves the sign-in and exits 0', async (context) => {
    const { fake, storeDir, base } = await setup(context)
    const run = startPlexLogin(['login', '--json', ...base])
    run.child.stdout!.destroy()
    await approveWhenPolled(fake)
    const result = await run.done

    expect(result.signal).toBeNull()
    expect(result.code).toBe(0)
    expect(result.stderr).not.toMatch(STACK_TRACE)
    await expectSignedIn(fake, storeDir, fake.pins[0]!.authToken!)
  })
})

describe.concurrent('plex-login and signals', LOADED_MACHINE, () => {
  it.for(['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGQUIT'])(
    '%s while it starts: exit 130 "interrupted"',
    async (signal, context) => {
      const { base } = await setup(context)
      // --timeout only so that a command that missed the signal ends (exit 3) instead of hanging
      const run = startPlexLogin(['login', '--json', '--timeout', '20', ...base], {
        env: {
          NODE_OPTIONS: `--require ${JSON.stringify(RAISE_AT_START)}`,
          RAISE_SIGNAL_AT_START: signal
        }
      })
      await expectInterrupted(run)
    }
  )
})

// plex-login with its stderr on `stream` (a pipe another process reads), stdout collected.
function spawnWithStderr(
  args: string[],
  stream: Writable
): Promise<{ code: number | null; stdout: string }> {
  const env: NodeJS.ProcessEnv = { ...process.env }
  delete env.PLEX_LOGIN_PLEX_URL
  const child = spawn(process.execPath, [CLI_PATH, ...args], {
    env,
    stdio: ['ignore', 'pipe', stream]
  })
  const watchdog = setTimeout(() => child.kill('SIGKILL'), 60_000)
  let stdout = ''
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk))
  return new Promise((resolve, reject) => {
    child.once('error', reject)
    child.once('close', (code) => {
      clearTimeout(watchdog)
      resolve({ code, stdout })
    })
  })
}
