// Asking at the terminal, with fake streams standing in for stdin and stderr: the numbered
// choice, the PIN read with echo off, and every way an answer can fail to come.
import { PassThrough } from 'node:stream'
import { describe, expect, it } from 'vitest'
import {
  chooseByNumber,
  createTerminalPrompt,
  type TerminalInput
} from '../../src/main/cli/ask-on-terminal'
import { parseCliArgs } from '../../src/main/cli/cli-args'
import { askWithoutTerminal } from '../../src/main/cli/login-steps'
import { translatorFor } from '../../src/shared/i18n/translator'

function fakeTerminal() {
  const stream = new PassThrough()
  const modes: boolean[] = []
  const input: TerminalInput = Object.assign(stream, {
    isTTY: true,
    setRawMode: (raw: boolean) => modes.push(raw)
  })
  let shown = ''
  const write = (text: string): void => {
    shown += text
  }
  const prompt = createTerminalPrompt(input, write)
  return {
    prompt,
    write,
    modes,
    type: (text: string) => stream.write(text),
    end: () => stream.end(),
    shown: () => shown
  }
}

describe('createTerminalPrompt', () => {
  it('reads a line, and keeps what was typed ahead for the next question', async () => {
    const terminal = fakeTerminal()
    terminal.type('2\r\n3456\n')

    await expect(terminal.prompt.ask('Choose: ')).resolves.toEqual({ ok: true, text: '2' })
    await expect(terminal.prompt.ask('Again: ')).resolves.toEqual({ ok: true, text: '3456' })
    expect(terminal.shown()).toBe('Choose: Again: ')
    expect(terminal.modes).toEqual([]) // a visible answer leaves the terminal as it is
  })

  it('reads a secret with echo off, shows none of it, and turns echo back on', async () => {
    const terminal = fakeTerminal()
    const reply = terminal.prompt.askSecret('PIN for Alex: ')
    terminal.type('9')
    terminal.type('8\x7f76') // a backspace takes the 8 back
    terminal.type('\x1b[D5\r') // an arrow key is not part of the PIN

    await expect(reply).resolves.toEqual({ ok: true, text: '9765' })
    expect(terminal.modes).toEqual([true, false])
    expect(terminal.shown()).toBe('PIN for Alex: \n')
  })

  it('Ctrl-C while echo is off is an interruption, not a character', async () => {
    const terminal = fakeTerminal()
    const reply = terminal.prompt.askSecret('PIN: ')
    terminal.type('12\x03')

    await expect(reply).resolves.toEqual({ ok: false, reason: 'interrupted' })
    expect(terminal.modes).toEqual([true, false])
  })

  it('the end of input (or Ctrl-D on an empty line) is no answer', async () => {
    const eof = fakeTerminal()
    const first = eof.prompt.ask('Choose: ')
    eof.end()
    await expect(first).resolves.toEqual({ ok: false, reason: 'closed' })

    const ctrlD = fakeTerminal()
    const second = ctrlD.prompt.askSecret('PIN: ')
    ctrlD.type('\x04')
    await expect(second).resolves.toEqual({ ok: false, reason: 'closed' })
  })

  it('stops waiting when the run is stopped (SIGTERM, --timeout), echo back on', async () => {
    const terminal = fakeTerminal()
    const stop = new AbortController()
    const reply = terminal.prompt.askSecret('PIN: ', stop.signal)
    stop.abort()

    await expect(reply).resolves.toEqual({ ok: false, reason: 'interrupted' })
    expect(terminal.modes).toEqual([true, false])
  })

  it('control characters in a question never reach the terminal', async () => {
    const terminal = fakeTerminal()
    const reply = terminal.prompt.ask('PIN for \x1b]0;evil\x07Eve: ')
    terminal.type('x\n')
    await reply
    // eslint-disable-next-line no-control-regex
    expect(terminal.shown()).not.toMatch(/[\x00-\x08\x0b-\x1f\x7f]/)
  })
})

describe('chooseByNumber', () => {
  const choices = [
    { label: 'Living Room at http://127.0.0.1:1 (local, 3 ms)' },
    { label: 'Far Away: no address answered', unavailable: 'not reachable from here' },
    { label: 'Attic at http://127.0.0.1:2 (remote, 9 ms)' }
  ]

  it('lists the choices numbered and asks until a choosable number is typed', async () => {
    const terminal = fakeTerminal()
    terminal.type('0\nabc\n2\n3\n')

    const result = await chooseByNumber(terminal.prompt, terminal.write, 'Servers:', choices)

    expect(result).toEqual({ ok: true, index: 2 })
    expect(terminal.shown()).toBe(
      [
        'Servers:',
        '  1. Living Room at http://127.0.0.1:1 (local, 3 ms)',
        '  2. Far Away: no address answered (not reachable from here)',
        '  3. Attic at http://127.0.0.1:2 (remote, 9 ms)',
        'Choose 1-3: Type a number from 1 to 3.',
        'Choose 1-3: Type a number from 1 to 3.',
        'Choose 1-3: 2 cannot be chosen: not reachable from here.',
        'Choose 1-3: '
      ].join('\n')
    )
  })

  it('gives up with the reason when no answer comes', async () => {
    const terminal = fakeTerminal()
    const result = chooseByNumber(terminal.prompt, terminal.write, 'Profiles:', choices)
    terminal.end()
    await expect(result).resolves.toEqual({ ok: false, reason: 'closed' })
  })

  it('never shows a control character from a label', async () => {
    const terminal = fakeTerminal()
    terminal.type('1\n')
    await chooseByNumber(terminal.prompt, terminal.write, 'Profiles:', [
      { label: 'Kids\x1b[2J\rX' }
    ])
    expect(terminal.shown()).not.toContain('\x1b')
    expect(terminal.shown()).not.toContain('\r')
  })
})

describe('askWithoutTerminal', () => {
  it('`ask` without a terminal is a usage problem; a named choice needs none', () => {
    expect(askWithoutTerminal({ server: 'ask' }, false)?.message).toMatch(
      /^--server ask needs a terminal/
    )
    expect(askWithoutTerminal({ profile: 'ask' }, false)?.message).toMatch(/^--profile ask needs/)
    // The JSON answer's message stays English; stderr's text is in the person's language.
    expect(askWithoutTerminal({ profile: 'ask' }, false, translatorFor('de').t)).toEqual({
      message: expect.stringMatching(/^--profile ask needs/),
      text: expect.stringMatching(/^--profile ask braucht ein Terminal/)
    })
    expect(askWithoutTerminal({ profile: 'ask', server: 'ask' }, true)).toBeUndefined()
    expect(askWithoutTerminal({ profile: 'Kids', server: 'auto' }, false)).toBeUndefined()
  })
})

describe('parseCliArgs: the step options', () => {
  const run = (argv: string[]) => parseCliArgs(argv, {})

  it('carries --profile and --server into a login, and knows profiles and servers', () => {
    const parsed = run(['login', '--profile', 'Kids', '--server', 'auto'])
    expect(parsed).toMatchObject({
      kind: 'run',
      options: { command: 'login', profile: 'Kids', server: 'auto' }
    })
    expect(run(['profiles', '--json'])).toMatchObject({ options: { command: 'profiles' } })
    expect(run(['servers'])).toMatchObject({ options: { command: 'servers' } })
  })

  it('an empty choice, or a step option with another command, is a usage error', () => {
    expect(run(['login', '--profile', ' '])).toMatchObject({ kind: 'usage-error' })
    expect(run(['login', '--server='])).toMatchObject({ kind: 'usage-error' })
    expect(run(['servers', '--server', 'auto'])).toEqual({
      kind: 'usage-error',
      message: '--server only applies to login',
      text: '--server only applies to login',
      json: false
    })
  })
})
