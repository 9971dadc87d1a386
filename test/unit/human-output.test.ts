import jsQR from 'jsqr'
import QRCode, { type QRCodeToStringOptions } from 'qrcode'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createHumanOutput } from '../../src/main/cli/human-output'
import type { LoginEvent } from '../../src/main/login/login-flow'
import { translatorFor } from '../../src/shared/i18n/translator'
import type { LoginState } from '../../src/shared/login-state'

const LIVE = '\r\x1b[2K'
const LINK = 'https://plex.tv/link/?pin=AB12'
const CODE: LoginEvent = { type: 'code', code: 'AB12', linkUrl: LINK, expiresIn: 900, renewal: 0 }
// eslint-disable-next-line no-control-regex
const SGR = /\x1b\[[0-9;]*m/g

function sink(): { write: (text: string) => void; text: () => string; chunks: string[] } {
  const chunks: string[] = []
  return { write: (text) => chunks.push(text), text: () => chunks.join(''), chunks }
}

const waiting = (expiresAt: number): LoginState => ({
  phase: 'waiting',
  code: 'AB12',
  linkUrl: 'https://plex.tv/link/?pin=AB12',
  expiresAt,
  expiresIn: 900
})

describe('human output: what it says', () => {
  it('shows the short code, the link and a QR of the link', async () => {
    const out = sink()
    const human = createHumanOutput(out.write, { isTty: false })
    human.event({
      type: 'code',
      code: 'AB12',
      linkUrl: 'https://plex.tv/link/?pin=AB12',
      expiresIn: 900,
      renewal: 0
    })
    const text = out.text()
    expect(text).toContain('go to https://plex.tv/link and enter the code:  AB12')
    expect(text).toContain('or open https://plex.tv/link/?pin=AB12')
    expect(text).toContain('The code expires in 15:00.')
    // qrcode's own utf8 rendering of the link, its 4-module quiet zone included, bottom too
    const plain = { type: 'utf8', margin: 4 } as QRCodeToStringOptions
    const qr = await QRCode.toString('https://plex.tv/link/?pin=AB12', plain)
    expect(text).toContain(`${qr}\n`)
    expect(text).toMatch(/[█▀▄]{7}/)
    human.close()
  })

  it('shows the auth page link for a strong code, without asking to type it', () => {
    const out = sink()
    const human = createHumanOutput(out.write, { isTty: false })
    const linkUrl =
      'https://app.plex.tv/auth#?clientID=c&code=abc&context%5Bdevice%5D%5Bproduct%5D=P'
    human.event({ type: 'code', code: 'abc', linkUrl, expiresIn: 1800, renewal: 0 })
    expect(out.text()).toContain(`open this link and approve:\n  ${linkUrl}`)
    expect(out.text()).not.toContain('enter the code')
    expect(out.text()).toContain('expires in 30:00')
    expect(out.text()).toMatch(/[█▀▄]{7}/)
    human.close()
  })

  it('says when it retries, in whole seconds', () => {
    const out = sink()
    const human = createHumanOutput(out.write, { isTty: false })
    human.event({
      type: 'retry',
      reason: 'rate-limited',
      delayMs: 8_000,
      message: 'API rate limit'
    })
    human.event({ type: 'retry', reason: 'rate-limited', delayMs: 7_600, message: 'x' })
    human.event({ type: 'retry', reason: 'unavailable', delayMs: 2_000, message: 'HTTP 503' })
    human.event({ type: 'retry', reason: 'unavailable', delayMs: 100, message: 'slow' })
    expect(out.chunks).toEqual([
      'rate-limited, retrying in 8 s\n',
      'rate-limited, retrying in 8 s\n',
      'plex.tv unavailable (HTTP 503), retrying in 2 s\n',
      'plex.tv unavailable (slow), retrying in 1 s\n'
    ])
  })

  it('says when it renews and when the code was approved', () => {
    const out = sink()
    const human = createHumanOutput(out.write, { isTty: false })
    human.event({ type: 'renewing', reason: 'expired' })
    human.event({ type: 'renewing', reason: 'expiring' })
    human.event({ type: 'approved' })
    human.line('plain line')
    expect(out.chunks).toEqual([
      'The code expired; asking for a new one\n',
      'The code is about to expire; asking for a new one\n',
      'Approved at plex.tv; reading the account\n',
      'plain line\n'
    ])
  })
})

describe('human output: countdown', () => {
  beforeEach(() => {
    vi.useFakeTimers({ now: Date.UTC(2030, 0, 1) })
  })
  afterEach(() => {
    vi.useRealTimers()
  })

  it('on a terminal, redraws one live line with \\r every second', () => {
    const out = sink()
    const human = createHumanOutput(out.write, { isTty: true })
    human.state(waiting(Date.now() + 90_000))
    expect(out.chunks).toEqual([`${LIVE}  Waiting for approval; the code expires in 1:30`])
    vi.advanceTimersByTime(1_000)
    expect(out.chunks.at(-1)).toBe(`${LIVE}  Waiting for approval; the code expires in 1:29`)
    vi.advanceTimersByTime(29_000)
    expect(out.chunks.at(-1)).toBe(`${LIVE}  Waiting for approval; the code expires in 1:00`)
    expect(out.text().split('\n')).toHaveLength(1) // all on the one live line
    human.close()
  })

  it('on a terminal, a message clears the live line and redraws it below', () => {
    const out = sink()
    const human = createHumanOutput(out.write, { isTty: true })
    human.state(waiting(Date.now() + 60_000))
    out.chunks.length = 0
    human.line('hello')
    expect(out.chunks).toEqual([
      LIVE,
      'hello\n',
      `${LIVE}  Waiting for approval; the code expires in 1:00`
    ])
    human.close()
  })

  it('without a terminal, no \\r: a plain line each minute', () => {
    const out = sink()
    const human = createHumanOutput(out.write, { isTty: false })
    human.state(waiting(Date.now() + 150_000))
    human.event({ type: 'approved' })
    expect(out.chunks).toEqual(['Approved at plex.tv; reading the account\n'])
    vi.advanceTimersByTime(59_999)
    expect(out.chunks).toHaveLength(1)
    vi.advanceTimersByTime(1)
    expect(out.chunks.at(-1)).toBe('Still waiting for approval; the code expires in 1:30\n')
    vi.advanceTimersByTime(60_000)
    expect(out.chunks.at(-1)).toBe('Still waiting for approval; the code expires in 0:30\n')
    expect(out.text()).not.toContain('\r')
    expect(out.text()).not.toContain('\x1b')
    human.close()
  })

  it('a new code restarts the countdown with one timer', () => {
    const out = sink()
    const human = createHumanOutput(out.write, { isTty: true })
    human.state(waiting(Date.now() + 60_000))
    human.state(waiting(Date.now() + 900_000))
    expect(vi.getTimerCount()).toBe(1)
    vi.advanceTimersByTime(1_000)
    expect(out.chunks.at(-1)).toBe(`${LIVE}  Waiting for approval; the code expires in 14:59`)
    human.close()
  })

  it('leaving the waiting phase stops the countdown and clears the live line', () => {
    const out = sink()
    const human = createHumanOutput(out.write, { isTty: true })
    human.state(waiting(Date.now() + 60_000))
    human.state({ phase: 'signed-in', user: { username: 'alice' } })
    expect(out.chunks.at(-1)).toBe(LIVE)
    expect(vi.getTimerCount()).toBe(0)
    const count = out.chunks.length
    vi.advanceTimersByTime(120_000)
    expect(out.chunks).toHaveLength(count)
  })

  it.each([true, false])('close() stops every timer (tty: %s)', (isTty) => {
    const out = sink()
    const human = createHumanOutput(out.write, { isTty })
    human.state(waiting(Date.now() + 600_000))
    expect(vi.getTimerCount()).toBe(1)
    human.close()
    expect(vi.getTimerCount()).toBe(0)
    const count = out.chunks.length
    vi.advanceTimersByTime(300_000)
    expect(out.chunks).toHaveLength(count)
    human.line('after')
    expect(out.chunks.at(-1)).toBe('after\n')
  })
})

/** The QR's rows as a person sees them: colours dropped, only rows of block characters. */
function qrRows(text: string): string[] {
  return text
    .replace(SGR, '')
    .split('\n')
    .filter((row) => row.length >= 21 && /^[ █▀▄]+$/.test(row))
}

/** Reads the rows as a camera would (a block's halves are modules), 4 pixels a module. */
function decodeQr(rows: string[]): string | undefined {
  const scale = 4
  const width = rows[0]!.length * scale
  const height = rows.length * 2 * scale
  const pixels = new Uint8ClampedArray(width * height * 4).fill(255)
  rows.forEach((row, rowIndex) =>
    Array.from(row).forEach((char, column) => {
      const halves = [char === '█' || char === '▀', char === '█' || char === '▄']
      halves.forEach((dark, half) => {
        if (!dark) return
        for (let y = 0; y < scale; y++) {
          const top = (rowIndex * 2 + half) * scale + y
          const start = (top * width + column * scale) * 4
          for (let x = 0; x < scale * 4; x++) if (x % 4 !== 3) pixels[start + x] = 0
        }
      })
    })
  )
  return jsQR(pixels, width, height, { inversionAttempts: 'dontInvert' })?.data
}

describe('human output: the QR code', () => {
  it('on a colour terminal: black on white, a quiet zone of 4 modules each side, readable', () => {
    const out = sink()
    const human = createHumanOutput(out.write, { isTty: true, env: { TERM: 'xterm-256color' } })
    human.event(CODE)
    const raw = out.text().split('\n')
    const rows = qrRows(out.text())
    expect(rows.length).toBeGreaterThan(10)
    // every row painted black on white from its first cell, and reset at its end
    for (const row of rows) expect(raw).toContain(`\x1b[30;47m${row}\x1b[0m`)
    const width = rows[0]!.length
    expect(rows.every((row) => row.length === width)).toBe(true)
    const blank = ' '.repeat(width)
    expect(rows.slice(0, 2)).toEqual([blank, blank]) // 2 rows of 2 modules above
    expect(rows.slice(-2)).toEqual([blank, blank]) // and (at least) below
    for (const row of rows) {
      expect(row.slice(0, 4)).toBe('    ')
      expect(row.slice(-4)).toBe('    ')
    }
    expect(decodeQr(rows)).toBe(LINK)
    human.close()
  })

  it('without a terminal: the same code in plain characters, no escape at all', () => {
    const out = sink()
    const human = createHumanOutput(out.write, { isTty: false })
    human.event(CODE)
    expect(out.text()).not.toContain('\x1b')
    const rows = qrRows(out.text())
    expect(rows[0]).toBe(' '.repeat(rows[0]!.length))
    expect(decodeQr(rows)).toBe(LINK)
  })

  it.each([
    [37, false],
    [38, true]
  ])('with %i columns the QR (37 wide) is shown: %s; the link and code always', (columns, qr) => {
    const out = sink()
    const human = createHumanOutput(out.write, { isTty: true, columns: () => columns })
    human.event(CODE)
    const text = out.text()
    expect(text).toContain('enter the code:  AB12')
    expect(text).toContain(`or open ${LINK}`)
    expect(text).toContain('The code expires in 15:00.')
    expect(/[█▀▄]/.test(text)).toBe(qr)
    expect(text.includes('scan the QR code')).toBe(qr)
    human.close()
  })

  it('a terminal of unknown width (0 columns) still gets the QR', () => {
    const out = sink()
    createHumanOutput(out.write, { isTty: true, columns: () => 0 }).event(CODE)
    expect(qrRows(out.text()).length).toBeGreaterThan(10)
  })
})

describe.each([
  ['NO_COLOR set, even empty', { NO_COLOR: '', TERM: 'xterm-256color' }],
  ['NO_COLOR=1', { NO_COLOR: '1' }],
  ['TERM=dumb', { TERM: 'dumb' }]
])('human output on a terminal with %s', (_name, env) => {
  beforeEach(() => {
    vi.useFakeTimers({ now: Date.UTC(2030, 0, 1) })
  })
  afterEach(() => {
    vi.useRealTimers()
  })

  it('writes no escape sequence at all, QR included, and no live line', () => {
    const out = sink()
    const human = createHumanOutput(out.write, { isTty: true, env, columns: () => 120 })
    human.state(waiting(Date.now() + 150_000))
    human.event(CODE)
    human.event({ type: 'retry', reason: 'unavailable', delayMs: 2_000, message: 'HTTP 503' })
    vi.advanceTimersByTime(60_000)
    human.state({ phase: 'signed-in', user: { username: 'alice' } })
    human.close()
    const text = out.text()
    expect(text).toMatch(/[█▀▄]{7}/)
    expect(decodeQr(qrRows(text))).toBe(LINK)
    expect(text).toContain('Still waiting for approval; the code expires in 1:30\n')
    expect(text).not.toContain('\x1b')
    expect(text).not.toContain('\r')
  })
})

describe('human output: a countdown that fits the terminal', () => {
  beforeEach(() => {
    vi.useFakeTimers({ now: Date.UTC(2030, 0, 1) })
  })
  afterEach(() => {
    vi.useRealTimers()
  })

  const liveTexts = (chunks: string[]): string[] =>
    chunks.filter((chunk) => chunk.startsWith(LIVE)).map((chunk) => chunk.slice(LIVE.length))

  it.each([
    [49, '  Waiting for approval; the code expires in 1:30'],
    [48, '  Expires in 1:30'],
    [5, '1:30']
  ])('with %i columns it is one row: "%s"', (columns, expected) => {
    const out = sink()
    const human = createHumanOutput(out.write, { isTty: true, columns: () => columns })
    human.state(waiting(Date.now() + 90_000))
    vi.advanceTimersByTime(5_000)
    const drawn = liveTexts(out.chunks)
    expect(drawn[0]).toBe(expected)
    expect(drawn).toHaveLength(6)
    for (const text of drawn) expect(text.length).toBeLessThan(columns)
    expect(out.text()).not.toContain('\n')
    human.close()
  })

  it('in Japanese, counts a wide character as two columns', () => {
    const translator = translatorFor('ja', { isolateValues: false })
    const long = '  承認を待っています。コードの有効期限まで 1:30' // 20 wide, 7 narrow: 47 columns
    expect(translator.t('cli.wait.expires', { time: '1:30' })).toBe(long.trim())
    for (const [columns, expected] of [
      [48, long],
      [47, '  有効期限まで 1:30']
    ] as const) {
      const out = sink()
      const human = createHumanOutput(out.write, {
        isTty: true,
        columns: () => columns,
        translator
      })
      human.state(waiting(Date.now() + 90_000))
      expect(liveTexts(out.chunks)[0], `${columns} columns`).toBe(expected)
      human.close()
    }
  })

  it('in Arabic, the lines carry no bidi marks: a terminal would show them as blanks', () => {
    const out = sink()
    const translator = translatorFor('ar', { isolateValues: false })
    const human = createHumanOutput(out.write, { isTty: true, columns: () => 100, translator })
    human.event(CODE)
    human.state(waiting(Date.now() + 90_000))
    expect(out.text()).toContain('انتقل إلى https://plex.tv/link وأدخل الرمز:  AB12')
    expect(liveTexts(out.chunks)[0]).toBe('  بانتظار الموافقة؛ تنتهي صلاحية الرمز خلال 1:30')
    expect(out.text()).not.toMatch(/[\u2066-\u2069]/)
    human.close()
  })

  it('too narrow for even the time: plain lines now and then, no live line', () => {
    const out = sink()
    const human = createHumanOutput(out.write, { isTty: true, columns: () => 4 })
    human.state(waiting(Date.now() + 150_000))
    vi.advanceTimersByTime(60_000)
    expect(out.chunks).toEqual(['Still waiting for approval; the code expires in 1:30\n'])
    human.close()
  })

  it('follows the terminal as it is resized', () => {
    const out = sink()
    let columns = 100
    const human = createHumanOutput(out.write, { isTty: true, columns: () => columns })
    human.state(waiting(Date.now() + 90_000))
    columns = 20
    vi.advanceTimersByTime(1_000)
    expect(out.chunks.at(-1)).toBe(`${LIVE}  Expires in 1:29`)
    columns = 3
    vi.advanceTimersByTime(1_000)
    expect(out.chunks.at(-1)).toBe(LIVE) // cleared, nothing that would wrap
    vi.advanceTimersByTime(1_000)
    expect(out.chunks.at(-1)).toBe(LIVE)
    columns = 100
    vi.advanceTimersByTime(1_000)
    expect(out.chunks.at(-1)).toBe(`${LIVE}  Waiting for approval; the code expires in 1:26`)
    expect(out.text()).not.toContain('\n')
    human.close()
  })
})

describe('human output: --timeout before the code expires', () => {
  beforeEach(() => {
    vi.useFakeTimers({ now: Date.UTC(2030, 0, 1) })
  })
  afterEach(() => {
    vi.useRealTimers()
  })

  it('the live line counts down to giving up, not to the code expiring', () => {
    const out = sink()
    const giveUpAt = Date.now() + 30_000
    const human = createHumanOutput(out.write, { isTty: true, giveUpAt })
    human.state(waiting(Date.now() + 900_000))
    expect(out.chunks.at(-1)).toBe(`${LIVE}  Waiting for approval; giving up in 0:30 (--timeout)`)
    vi.advanceTimersByTime(10_000)
    expect(out.chunks.at(-1)).toBe(`${LIVE}  Waiting for approval; giving up in 0:20 (--timeout)`)
    human.close()
  })

  it('so do the plain lines', () => {
    const out = sink()
    const giveUpAt = Date.now() + 150_000
    const human = createHumanOutput(out.write, { isTty: false, giveUpAt })
    human.state(waiting(Date.now() + 900_000))
    vi.advanceTimersByTime(60_000)
    expect(out.chunks).toEqual(['Still waiting for approval; giving up in 1:30 (--timeout)\n'])
    human.close()
  })

  it('a code that expires first is still what the countdown shows', () => {
    const out = sink()
    const human = createHumanOutput(out.write, { isTty: true, giveUpAt: Date.now() + 600_000 })
    human.state(waiting(Date.now() + 90_000))
    expect(out.chunks.at(-1)).toBe(`${LIVE}  Waiting for approval; the code expires in 1:30`)
    human.close()
  })
})
