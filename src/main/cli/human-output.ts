// What `plex-login` tells a person, on stderr: the code, the link, a QR, a countdown, and what
// it is doing when plex.tv misbehaves. Never the token: nothing here is ever handed one.

import QRCode from 'qrcode'
import type { LoginState } from '../../shared/login-state'
import type { LoginEvent } from '../login/login-flow'
import { formatCountdown } from '../../shared/format-countdown'

export interface HumanOutput {
  line(text: string): void
  event(event: LoginEvent): void
  state(state: LoginState): void
  close(): void
}

const CLEAR_LINE = '\r\x1b[2K'
// Without a terminal the countdown is a plain line now and then, so logs stay readable.
const PLAIN_COUNTDOWN_EVERY_MS = 60_000

export function createHumanOutput(
  write: (text: string) => void,
  isTty: boolean,
  now: () => number = Date.now
): HumanOutput {
  let expiresAt: number | undefined
  let ticker: ReturnType<typeof setInterval> | undefined
  let liveLineShown = false

  const remaining = (): string => formatCountdown((expiresAt ?? now()) - now())
  const clearLive = (): void => {
    if (liveLineShown) write(CLEAR_LINE)
    liveLineShown = false
  }
  const drawLive = (): void => {
    if (!isTty || expiresAt === undefined) return
    write(`${CLEAR_LINE}  Waiting for approval; the code expires in ${remaining()}`)
    liveLineShown = true
  }
  const line = (text: string): void => {
    clearLive()
    write(`${text}\n`)
    drawLive()
  }
  const stopCountdown = (): void => {
    if (ticker) clearInterval(ticker)
    ticker = undefined
    expiresAt = undefined
    clearLive()
  }
  const startCountdown = (at: number): void => {
    stopCountdown()
    expiresAt = at
    if (isTty) {
      drawLive()
      ticker = setInterval(drawLive, 1000)
    } else {
      ticker = setInterval(
        () => line(`Still waiting for approval; the code expires in ${remaining()}`),
        PLAIN_COUNTDOWN_EVERY_MS
      )
    }
    ticker.unref()
  }

  return {
    line,
    state(state) {
      if (state.phase === 'waiting') startCountdown(state.expiresAt)
      else stopCountdown()
    },
    event(event) {
      switch (event.type) {
        case 'code': {
          const strong = !event.linkUrl.startsWith('https://plex.tv/link')
          const lines = strong
            ? ['', 'To sign in to Plex, open this link and approve:', `  ${event.linkUrl}`]
            : [
                '',
                `To sign in to Plex, go to https://plex.tv/link and enter the code:  ${event.code}`,
                `  or open ${event.linkUrl}`
              ]
          lines.push(
            `  or scan the QR code. The code expires in ${formatCountdown(event.expiresIn * 1000)}.`
          )
          line(lines.join('\n'))
          // The terminal renderer colours with ANSI; logs get the plain text version.
          QRCode.toString(event.linkUrl, { type: isTty ? 'terminal' : 'utf8', small: true })
            .then((qr) => line(qr.trimEnd()))
            .catch(() => {})
          break
        }
        case 'retry': {
          const seconds = Math.max(1, Math.round(event.delayMs / 1000))
          const what =
            event.reason === 'rate-limited'
              ? 'rate-limited'
              : `plex.tv unavailable (${event.message})`
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
