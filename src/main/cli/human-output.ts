// What `plex-login` tells a person, on stderr: the code, the link, a QR, a countdown, and what
// it is doing when plex.tv misbehaves. Never the token: nothing here is ever handed one.
// Whatever a caller passes in, no control character or escape sequence of its own reaches the
// terminal; the only escapes written are ours, and none at all without a capable terminal.

import type { LoginState } from '../../shared/login-state'
import type { LoginEvent } from '../login/login-flow'
import { formatCountdown } from '../../shared/format-countdown'
import { cleanText, stripControls } from '../../shared/sanitize-text'
import { FALLBACK_LANGUAGE } from '../../shared/i18n/languages'
import { translatorFor, type Translator } from '../../shared/i18n/translator'
import { terminalQr, type TerminalQr } from './terminal-qr'
import { reasonWords } from '../../shared/reason-words'

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
  translator?: Translator // the person's language (default English); the countdown stays m:ss
}

const CLEAR_LINE = '\r\x1b[2K'
// Without a live line the countdown is a plain line now and then, so logs stay readable.
const PLAIN_COUNTDOWN_EVERY_MS = 60_000

export function createHumanOutput(
  write: (text: string) => void,
  options: HumanOutputOptions
): HumanOutput {
  const { env = {}, now = Date.now, giveUpAt } = options
  const { t } = options.translator ?? translatorFor(FALLBACK_LANGUAGE)
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
  // Written as they are, not through line(): no bidi marks from the translation.
  const liveTexts = (): string[] => {
    const { giveUp, left } = countdown()
    const texts = giveUp
      ? [
          `  ${t('cli.wait.givingUp', { time: left })}`,
          `  ${t('cli.wait.givingUpShort', { time: left })}`,
          left
        ]
      : [
          `  ${t('cli.wait.expires', { time: left })}`,
          `  ${t('cli.wait.expiresShort', { time: left })}`,
          left
        ]
    return texts.map(stripControls)
  }
  const plainCountdown = (): string => {
    const { giveUp, left } = countdown()
    return t(giveUp ? 'cli.wait.stillGivingUp' : 'cli.wait.stillExpires', { time: left })
  }

  const clearLive = (): void => {
    if (liveLineShown) write(CLEAR_LINE)
    liveLineShown = false
  }
  const drawLive = (): void => {
    if (!live || expiresAt === undefined) return
    // Redrawn on one row: a line that wrapped would leave a row behind every second.
    const text = liveTexts().find((candidate) => fits(cells(candidate)))
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
      ? ['', t('cli.code.openAndApprove'), `  ${event.linkUrl}`]
      : [
          '',
          t('cli.code.enterAt', { code: cleanText(event.code) }),
          `  ${t('cli.code.orOpen', { url: event.linkUrl })}`
        ]
    const expiry = t('cli.code.expires', { time: formatCountdown(event.expiresIn * 1000) })
    lines.push(`  ${qr ? t('cli.code.orScan', { expiry }) : expiry}`)
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
          line(
            event.reason === 'rate-limited'
              ? t('cli.retry.rateLimited', { seconds })
              : t('cli.retry.unavailable', {
                  reason: reasonWords(cleanText(event.message), t),
                  seconds
                })
          )
          break
        }
        case 'renewing':
          line(t(event.reason === 'expired' ? 'cli.renew.expired' : 'cli.renew.soon'))
          break
        case 'approved':
          line(t('cli.approved'))
          break
      }
    },
    close: stopCountdown
  }
}

// Terminal cells: CJK and fullwidth characters take two, so a Japanese line is measured right.
const WIDE =
  /[\u1100-\u115f\u2e80-\u303e\u3041-\u33ff\u3400-\u4dbf\u4e00-\u9fff\ua960-\ua97f\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/

function cells(text: string): number {
  let count = 0
  for (const character of text) count += WIDE.test(character) ? 2 : 1
  return count
}
