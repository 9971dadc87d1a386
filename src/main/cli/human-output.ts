// What `plex-login` tells a person, on stderr: the code, the link, a QR, a countdown, and what
// it is doing when plex.tv misbehaves. Never the token: nothing here is ever handed one.
// Whatever a caller passes in, no control character or escape sequence of its own reaches the
// terminal; the only escapes written are ours, and none at all without a capable terminal.

import type { LoginState } from '../../shared/login-state'
import type { LoginEvent } from '../login/login-flow'
import { formatCountdown } from '../../shared/format-countdown'
import { cleanText, stripControls } from '../../shared/sanitize-text'
import { terminalQr, type TerminalQr } from './terminal-qr'

export interface HumanOutput {
  line(text: string): void
  event(event: LoginEvent): void
  state(state: LoginState): void
  close(): void
}

export interface HumanOutputOptions {
  isTty: boolean
  env?: Readonly<Record<string, string | undefined>> // NO_COLOR, TERM
  columns?: () => number | undefined // the terminal's width now (it can be resized)
  giveUpAt?: number // epoch ms by `now`: when the command gives up (--timeout)
  now?: () => number
}

const CLEAR_LINE = '\r\x1b[2K'
// Without a live line the countdown is a plain line now and then, so logs stay readable.
const PLAIN_COUNTDOWN_EVERY_MS = 60_000

export function createHumanOutput(
  write: (text: string) => void,
  options: HumanOutputOptions
): HumanOutput {
  const { env = {}, now = Date.now, giveUpAt } = options
  // no-color.org asks for a non-empty NO_COLOR; any NO_COLOR at all is the stricter reading.
  const escapes = options.isTty && env.NO_COLOR === undefined && env.TERM !== 'dumb'
  let expiresAt: number | undefined
  let ticker: ReturnType<typeof setInterval> | undefined
  let live = false
  let liveLineShown = false

  const width = (): number | undefined => {
    const columns = options.columns?.()
    return columns && columns > 0 ? columns : undefined
  }
  // Strictly narrower: a full row would wrap early on some terminals, a blank line each time.
  const fits = (cells: number): boolean => cells < (width() ?? Infinity)

  // The earlier of the code's end and the command's, and words for it from long to short.
  const countdown = (): { giveUp: boolean; left: string } => {
    const giveUp = giveUpAt !== undefined && giveUpAt < (expiresAt ?? Infinity)
    return { giveUp, left: formatCountdown((giveUp ? giveUpAt : (expiresAt ?? now())) - now()) }
  }
  const liveTexts = (): string[] => {
    const { giveUp, left } = countdown()
    return giveUp
      ? [`  Waiting for approval; giving up in ${left} (--timeout)`, `  Giving up in ${left}`, left]
      : [`  Waiting for approval; the code expires in ${left}`, `  Expires in ${left}`, left]
  }
  const plainCountdown = (): string => {
    const { giveUp, left } = countdown()
    return giveUp
      ? `Still waiting for approval; giving up in ${left} (--timeout)`
      : `Still waiting for approval; the code expires in ${left}`
  }

  const clearLive = (): void => {
    if (liveLineShown) write(CLEAR_LINE)
    liveLineShown = false
  }
  const drawLive = (): void => {
    if (!live || expiresAt === undefined) return
    // Redrawn on one row: a line that wrapped would leave a row behind every second.
    const text = liveTexts().find((candidate) => fits(candidate.length))
    if (text === undefined) return clearLive()
    write(`${CLEAR_LINE}${text}`)
    liveLineShown = true
  }
  const print = (text: string): void => {
    clearLive()
    write(`${text}\n`)
    drawLive()
  }
  const line = (text: string): void => print(text.split('\n').map(stripControls).join('\n'))

  const stopCountdown = (): void => {
    if (ticker) clearInterval(ticker)
    ticker = undefined
    expiresAt = undefined
    live = false
    clearLive()
  }
  const startCountdown = (at: number): void => {
    stopCountdown()
    expiresAt = at
    live = escapes && fits(liveTexts().at(-1)!.length)
    if (live) {
      drawLive()
      ticker = setInterval(drawLive, 1000)
    } else {
      ticker = setInterval(() => line(plainCountdown()), PLAIN_COUNTDOWN_EVERY_MS)
    }
    ticker.unref()
  }

  const showCode = (event: Extract<LoginEvent, { type: 'code' }>): void => {
    let qr: TerminalQr | undefined
    try {
      qr = terminalQr(event.linkUrl, escapes)
    } catch {
      // A link too long for any QR version: the link and code are still there.
    }
    if (qr && !fits(qr.width)) qr = undefined
    const strong = !event.linkUrl.startsWith('https://plex.tv/link')
    const lines = strong
      ? ['', 'To sign in to Plex, open this link and approve:', `  ${event.linkUrl}`]
      : [
          '',
          `To sign in to Plex, go to https://plex.tv/link and enter the code:  ${cleanText(event.code)}`,
          `  or open ${event.linkUrl}`
        ]
    const expiry = `The code expires in ${formatCountdown(event.expiresIn * 1000)}.`
    lines.push(qr ? `  or scan the QR code. ${expiry}` : `  ${expiry}`)
    line(lines.join('\n'))
    if (qr) print(qr.lines.join('\n'))
  }

  return {
    line,
    state(state) {
      if (state.phase === 'waiting') startCountdown(state.expiresAt)
      else stopCountdown()
    },
    event(event) {
      switch (event.type) {
        case 'code':
          showCode(event)
          break
        case 'retry': {
          const seconds = Math.max(1, Math.round(event.delayMs / 1000))
          const what =
            event.reason === 'rate-limited'
              ? 'rate-limited'
              : `plex.tv unavailable (${cleanText(event.message)})`
          line(`${what}, retrying in ${seconds} s`)
          break
        }
        case 'renewing':
          line(
            event.reason === 'expired'
              ? 'The code expired; asking for a new one'
              : 'The code is about to expire; asking for a new one'
          )
          break
        case 'approved':
          line('Approved at plex.tv; reading the account')
          break
      }
    },
    close: stopCountdown
  }
}
