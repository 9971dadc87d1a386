// The output side on its own: whatever text a caller hands the human output or runCli's failure
// path (even text no parser has cleaned), no escape sequence or control of its own gets through.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createHumanOutput } from '../../src/main/cli/human-output'
import { runCli } from '../../src/main/cli/run-cli'

const OSC52 = '\x1b]52;c;Y3VybCBodHRwczovL2V2aWwuZXhhbXBsZS9zIHwgc2g=\x07'
const HOSTILE = `AB${OSC52}CD\x1b[2J\x9b31m\u202eEF\r\x1b[1A`
const RAW = ['\x1b', '\x9b', '\u202e', '\x07', '\r']

function sink(): { write: (text: string) => void; text: () => string } {
  const chunks: string[] = []
  return { write: (text) => chunks.push(text), text: () => chunks.join('') }
}

beforeEach(() => {
  vi.useFakeTimers({ now: Date.UTC(2030, 0, 1) })
})
afterEach(() => {
  vi.useRealTimers()
})

describe.each([
  ['no terminal', { isTty: false }],
  ['a terminal with NO_COLOR', { isTty: true, env: { NO_COLOR: '1' } }]
])('human output, %s: hostile text in', (_name, options) => {
  it.each([
    [
      'the code',
      {
        type: 'code',
        code: HOSTILE,
        linkUrl: 'https://plex.tv/link/?pin=X',
        expiresIn: 900,
        renewal: 0
      }
    ],
    ['a retry message', { type: 'retry', reason: 'unavailable', delayMs: 2_000, message: HOSTILE }]
  ] as const)('%s never reaches the terminal raw', (_what, event) => {
    const out = sink()
    const human = createHumanOutput(out.write, options)
    human.event(event)
    human.close()
    for (const raw of RAW) expect(out.text()).not.toContain(raw)
    expect(out.text()).toContain('ABCD')
  })

  it('a line from any caller never reaches the terminal raw', () => {
    const out = sink()
    const human = createHumanOutput(out.write, options)
    human.line(`plex-login: ${HOSTILE}\n  second line`)
    expect(out.text()).toBe('plex-login: ABCD EF \n  second line\n')
  })
})

describe('human output on a colour terminal: hostile text in', () => {
  it.each([
    ['a retry message', { type: 'retry', reason: 'unavailable', delayMs: 2_000, message: HOSTILE }],
    [
      'the code',
      {
        type: 'code',
        code: HOSTILE,
        linkUrl: 'https://plex.tv/link/?pin=X',
        expiresIn: 900,
        renewal: 0
      }
    ]
  ] as const)('%s: only our own colour and line escapes are written', (_what, event) => {
    const out = sink()
    const human = createHumanOutput(out.write, { isTty: true, env: { TERM: 'xterm' } })
    human.event(event)
    human.close()
    // eslint-disable-next-line no-control-regex
    const ours = /\x1b\[30;47m|\x1b\[0m|\r\x1b\[2K/g
    const rest = out.text().replace(ours, '')
    for (const raw of RAW) expect(rest).not.toContain(raw)
  })
})

describe('runCli failure messages', () => {
  it('an option carrying escapes is reported clean on stderr and in the JSON', async () => {
    const stderr: string[] = []
    const stdout: string[] = []
    const { exitCode } = await runCli({
      argv: ['--json', `--x${HOSTILE}`],
      env: {},
      version: '0.0.0',
      stdout: (text) => stdout.push(text),
      stderr: (text) => stderr.push(text),
      stderrIsTty: false,
      onInterrupt: () => () => {}
    })
    expect(exitCode).toBe(2)
    for (const text of [stderr.join(''), stdout.join('')]) {
      for (const raw of RAW) expect(text).not.toContain(raw)
      expect(text).not.toContain('\\u001b') // nor escaped into the JSON, for a reader to unescape
    }
    // parseArgs ends the option's name at the OSC's '='
    expect(JSON.parse(stdout.join('')).error.message).toContain("'--xAB")
  })
})
