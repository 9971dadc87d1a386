import QRCode, { type QRCodeToStringOptions } from 'qrcode'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createHumanOutput } from '../../src/main/cli/human-output'
import type { LoginState } from '../../src/shared/login-state'

const LIVE = '\r\x1b[2K'

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
    const human = createHumanOutput(out.write, false)
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
    // the same call as the output's, for a log (utf8): the QR must encode the link itself
    const plain = { type: 'utf8', small: true } as QRCodeToStringOptions
    const qr = (await QRCode.toString('https://plex.tv/link/?pin=AB12', plain)).trimEnd()
    await vi.waitFor(() => expect(out.text()).toContain(qr))
    expect(out.text()).toMatch(/[█▀▄]{7}/)
    human.close()
  })

  it('shows the auth page link for a strong code, without asking to type it', async () => {
    const out = sink()
    const human = createHumanOutput(out.write, false)
    const linkUrl =
      'https://app.plex.tv/auth#?clientID=c&code=abc&context%5Bdevice%5D%5Bproduct%5D=P'
    human.event({ type: 'code', code: 'abc', linkUrl, expiresIn: 1800, renewal: 0 })
    expect(out.text()).toContain(`open this link and approve:\n  ${linkUrl}`)
    expect(out.text()).not.toContain('enter the code')
    expect(out.text()).toContain('expires in 30:00')
    await vi.waitFor(() => expect(out.text()).toMatch(/[█▀▄]{7}/))
    human.close()
  })

  it('says when it retries, in whole seconds', () => {
    const out = sink()
    const human = createHumanOutput(out.write, false)
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
    const human = createHumanOutput(out.write, false)
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
    const human = createHumanOutput(out.write, true)
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
    const human = createHumanOutput(out.write, true)
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
    const human = createHumanOutput(out.write, false)
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
    const human = createHumanOutput(out.write, true)
    human.state(waiting(Date.now() + 60_000))
    human.state(waiting(Date.now() + 900_000))
    expect(vi.getTimerCount()).toBe(1)
    vi.advanceTimersByTime(1_000)
    expect(out.chunks.at(-1)).toBe(`${LIVE}  Waiting for approval; the code expires in 14:59`)
    human.close()
  })

  it('leaving the waiting phase stops the countdown and clears the live line', () => {
    const out = sink()
    const human = createHumanOutput(out.write, true)
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
    const human = createHumanOutput(out.write, isTty)
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
