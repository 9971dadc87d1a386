// The PIN sign-in as a small state machine: ask for a code, poll it about once a second,
// back off when plex.tv struggles, renew expired codes, and finish with the token.
// Clock, timers and the plex.tv client are passed in, so it runs under fake timers in tests
// and unchanged in Electron's main process and in the headless command.

import type { LoginState } from '../../shared/login-state'
import type { PlexAccount, PlexClient, PlexFailure, PlexPin, PlexResult } from '../plex/plex-client'
import { linkUrlFor } from './link-url'

export interface Clock {
  now(): number
  setTimeout(callback: () => void, ms: number): unknown
  clearTimeout(handle: unknown): void
}

export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>)
}

export type LoginFailureCode = 'expired' | 'rejected' | 'unavailable' | 'rate-limited' | 'store'

export type LoginOutcome =
  | { ok: true; token: string; account: PlexAccount }
  | { ok: false; code: LoginFailureCode | 'cancelled'; message: string }

// What the flow is doing, for logs and the command's stderr; never carries the token.
export type LoginEvent =
  | { type: 'code'; code: string; linkUrl: string; expiresIn: number; renewal: number }
  | { type: 'retry'; reason: 'rate-limited' | 'unavailable'; delayMs: number; message: string }
  | { type: 'renewing'; reason: 'expired' | 'expiring' }
  | { type: 'approved' }

export interface LoginFlowOptions {
  client: PlexClient
  clock?: Clock
  strong?: boolean
  renew?: boolean // ask for a new code when one expires (default true)
  maxRenewals?: number
  pollIntervalMs?: number
  // Ask for the next code this long before the current one expires, so a live code is
  // always on screen.
  renewLeadMs?: number
  maxCreateAttempts?: number // consecutive transient failures before giving up on a code
  maxAccountAttempts?: number
  random?: () => number
  // A JWT sign-in checks the token plex.tv handed out before anything else uses it: one that
  // fails is neither stored nor handed over.
  verifyToken?: (token: string, signal: AbortSignal) => Promise<TokenCheck>
  saveCredentials: (token: string, account: PlexAccount) => void | Promise<void>
}

export type TokenCheck = { ok: true } | { ok: false; code: LoginFailureCode; message: string }

export const BACKOFF_BASE_MS = 2_000
export const BACKOFF_MAX_MS = 30_000
// While a code is alive a person may approve it at any moment: after an outage the approval
// must be noticed within this long, jitter included.
export const POLL_BACKOFF_MAX_MS = 10_000
export const MAX_RETRY_AFTER_MS = 30 * 60_000
const MAX_TIMER_MS = 2 ** 31 - 1

/** Exponential backoff with jitter: about 2 s, doubling to `maxMs`, each within ±25 %. */
export function backoffDelay(
  failures: number,
  random: () => number = Math.random,
  maxMs: number = BACKOFF_MAX_MS
): number {
  const base = Math.min(maxMs, BACKOFF_BASE_MS * 2 ** Math.max(0, failures - 1))
  return Math.round(base * (0.75 + random() * 0.5))
}

/** The backoff while a code is polled: 2 s doubling to 8 s, so that +25 % stays within 10 s. */
export function pollBackoffDelay(failures: number, random: () => number = Math.random): number {
  return backoffDelay(failures, random, POLL_BACKOFF_MAX_MS / 1.25)
}

const CANCELLED = { ok: false, code: 'cancelled', message: 'Sign-in was cancelled' } as const
// The same, as a failed request: the attempt ended while it waited to send it.
const CANCELLED_FAILURE: PlexFailure = { kind: 'unavailable', message: CANCELLED.message }

type Listener<T> = (value: T) => void

// One sign-in attempt. A new attempt (new code) cancels the previous one, so there is only
// ever one poller and never two requests in flight.
interface LivePin {
  pin: PlexPin
  deadline: number // local clock: when the create answer arrived + expiresIn
}

interface Attempt {
  active: boolean
  readonly abort: AbortController // aborts the request in flight when the attempt ends
  notBefore: number // a 429 asked for quiet until then: no request of any kind before it
  timer?: unknown
  wake?: () => void
  pollSoon?: () => void
}

export class LoginFlow {
  private current: LoginState = { phase: 'starting' }
  private attempt: Attempt | undefined
  private lastPollAt = Number.NEGATIVE_INFINITY
  private readonly stateListeners = new Set<Listener<LoginState>>()
  private readonly eventListeners = new Set<Listener<LoginEvent>>()
  private readonly clock: Clock
  private readonly options: Required<Omit<LoginFlowOptions, 'clock' | 'verifyToken'>>
  private readonly verifyToken: LoginFlowOptions['verifyToken']

  constructor(options: LoginFlowOptions) {
    this.clock = options.clock ?? systemClock
    this.verifyToken = options.verifyToken
    this.options = {
      strong: false,
      renew: true,
      maxRenewals: 8,
      pollIntervalMs: 1_000,
      renewLeadMs: 10_000,
      maxCreateAttempts: 5,
      maxAccountAttempts: 4,
      random: Math.random,
      ...options
    }
  }

  get state(): LoginState {
    return this.current
  }

  onState(listener: Listener<LoginState>): () => void {
    this.stateListeners.add(listener)
    return () => this.stateListeners.delete(listener)
  }

  onEvent(listener: Listener<LoginEvent>): () => void {
    this.eventListeners.add(listener)
    return () => this.eventListeners.delete(listener)
  }

  /** Starts a fresh sign-in with a new code, cancelling any attempt under way. */
  start(): Promise<LoginOutcome> {
    this.cancel()
    const attempt: Attempt = { active: true, abort: new AbortController(), notBefore: 0 }
    this.attempt = attempt
    return this.run(attempt).finally(() => {
      attempt.active = false
      if (this.attempt === attempt) this.attempt = undefined
    })
  }

  /** Stops at once: nothing is sent after this returns. */
  cancel(): void {
    const attempt = this.attempt
    if (!attempt) return
    attempt.active = false
    this.attempt = undefined
    attempt.abort.abort()
    if (attempt.timer !== undefined) this.clock.clearTimeout(attempt.timer)
    attempt.wake?.()
  }

  /**
   * Polls at once while a code is waited on: during the regular interval, or once half of a
   * backoff has passed (at that point if asked sooner). Never during a 429's quiet period.
   */
  pollNow(): void {
    this.attempt?.pollSoon?.()
  }

  private setState(state: LoginState, attempt: Attempt): void {
    if (!attempt.active) return
    this.current = state
    for (const listener of this.stateListeners) listener(state)
  }

  private emit(event: LoginEvent, attempt: Attempt): void {
    if (!attempt.active) return
    for (const listener of this.eventListeners) listener(event)
  }

  // Resolves after `ms`, or early when the attempt is cancelled or, if `pollSoonFrom` is given,
  // when pollNow() asks (not before that time). Returns whether the attempt is still active.
  private sleep(attempt: Attempt, ms: number, pollSoonFrom?: number): Promise<boolean> {
    if (!attempt.active) return Promise.resolve(false)
    return new Promise((resolve) => {
      let dueAt = this.clock.now() + ms
      const done = (): void => {
        if (attempt.timer !== undefined) this.clock.clearTimeout(attempt.timer)
        attempt.timer = attempt.wake = attempt.pollSoon = undefined
        resolve(attempt.active)
      }
      const wakeAt = (at: number): void => {
        if (attempt.timer !== undefined) this.clock.clearTimeout(attempt.timer)
        dueAt = at
        // Node timers cannot wait longer than 2^31 - 1 ms; longer waits would fire at once.
        attempt.timer = this.clock.setTimeout(
          done,
          Math.min(MAX_TIMER_MS, Math.max(0, at - this.clock.now()))
        )
      }
      attempt.wake = done
      if (pollSoonFrom !== undefined) {
        // However often it is asked (every focus of the window), polls stay at most 2 a second.
        attempt.pollSoon = () => {
          const earliest = Math.max(pollSoonFrom, this.lastPollAt + this.options.pollIntervalMs / 2)
          if (earliest < dueAt) wakeAt(Math.max(this.clock.now(), earliest))
        }
      }
      wakeAt(dueAt)
    })
  }

  private async run(attempt: Attempt): Promise<LoginOutcome> {
    const { renew, maxRenewals, renewLeadMs } = this.options
    let renewals = 0
    let previous: LivePin | undefined // renewed early: still valid, and maybe being typed in
    this.setState({ phase: 'starting' }, attempt)
    let created = await this.createPin(attempt)
    for (;;) {
      if (!attempt.active) return CANCELLED
      if ('outcome' in created) return created.outcome
      const current = created
      const { pin, deadline } = current
      const linkUrl = linkUrlFor(pin.code, this.options.strong, this.options.client)
      const { expiresIn } = pin
      this.setState(
        { phase: 'waiting', code: pin.code, linkUrl, expiresAt: deadline, expiresIn },
        attempt
      )
      this.emit({ type: 'code', code: pin.code, linkUrl, expiresIn, renewal: renewals }, attempt)

      // Renew early only when a successor will be asked for; otherwise use the code to the end.
      const canRenew = renew && renewals < maxRenewals
      const lead = canRenew ? Math.min(renewLeadMs, (deadline - this.clock.now()) / 10) : 0
      let polled = await this.poll(attempt, current, deadline - lead, previous)
      if (!attempt.active) return CANCELLED
      if (polled.type === 'outcome') return polled.outcome

      if (polled.type === 'expiring') {
        // One try at the successor while this code still works. If plex.tv cannot give one
        // right now, this code stays on screen, and polled, until it really expires.
        const early = await this.requestPin(attempt)
        if (!attempt.active) return CANCELLED
        if (early.ok) {
          renewals += 1
          previous = current
          this.emit({ type: 'renewing', reason: 'expiring' }, attempt)
          created = early
          continue
        }
        if (early.kind === 'rejected' || early.kind === 'expired') {
          return this.fail(attempt, early.kind, early.message)
        }
        this.retryDelay(attempt, early, 1)
        polled = await this.poll(attempt, current, deadline, previous)
        if (!attempt.active) return CANCELLED
        if (polled.type === 'outcome') return polled.outcome
      }

      if (!canRenew) {
        this.setState({ phase: 'expired' }, attempt)
        return { ok: false, code: 'expired', message: 'The code expired before it was used' }
      }
      renewals += 1
      previous = undefined
      this.emit({ type: 'renewing', reason: 'expired' }, attempt)
      this.setState({ phase: 'starting' }, attempt)
      created = await this.createPin(attempt)
    }
  }

  // One create request, after any quiet period a 429 asked for. Expiry counts from when the
  // answer arrived, never from plex.tv's own clock.
  private async requestPin(attempt: Attempt): Promise<PlexResult<LivePin>> {
    if (!(await this.rateLimitPassed(attempt))) return { ok: false, ...CANCELLED_FAILURE }
    const result = await this.options.client.createPin(this.options.strong, attempt.abort.signal)
    if (!result.ok) return result
    return { ok: true, pin: result.pin, deadline: this.clock.now() + result.pin.expiresIn * 1000 }
  }

  private async createPin(attempt: Attempt): Promise<LivePin | { outcome: LoginOutcome }> {
    for (let failures = 1; ; failures++) {
      const result = await this.requestPin(attempt)
      if (!attempt.active) return { outcome: CANCELLED }
      if (result.ok) return result
      if (
        result.kind === 'rejected' ||
        result.kind === 'expired' ||
        failures >= this.options.maxCreateAttempts
      ) {
        return { outcome: this.fail(attempt, result.kind, result.message) }
      }
      const delayMs = this.retryDelay(attempt, result, failures)
      this.setState(
        { phase: 'error', message: result.message, retryAt: this.clock.now() + delayMs },
        attempt
      )
      this.emit({ type: 'retry', reason: result.kind, delayMs, message: result.message }, attempt)
      if (!(await this.sleep(attempt, delayMs))) return { outcome: CANCELLED }
      this.setState({ phase: 'starting' }, attempt)
    }
  }

  /** Waits out a quiet period a 429 asked for. Returns whether the attempt is still active. */
  private async rateLimitPassed(attempt: Attempt): Promise<boolean> {
    const waitMs = attempt.notBefore - this.clock.now()
    return waitMs > 0 ? this.sleep(attempt, waitMs) : attempt.active
  }

  // Polls `current` about once a second until it is approved, dies, or `switchAt` comes.
  // A `previous` code that was renewed early is still valid at plex.tv and may be in the middle
  // of being typed in: it is polled too, first and then taking turns, and once more in its last
  // second, so that one request at a time still covers both until it expires.
  private async poll(
    attempt: Attempt,
    current: LivePin,
    switchAt: number,
    previous: LivePin | undefined
  ): Promise<{ type: 'expired' | 'expiring' } | { type: 'outcome'; outcome: LoginOutcome }> {
    const { pollIntervalMs } = this.options
    let failures = 0
    let delayMs = pollIntervalMs
    let turn = 0
    for (;;) {
      const now = this.clock.now()
      if (now >= switchAt) return { type: now >= current.deadline ? 'expired' : 'expiring' }
      const waitMs = Math.min(delayMs, switchAt - now)
      // After a failure, coming back to the window may cut the backoff's second half short.
      const pollSoonFrom = failures === 0 ? now : now + delayMs / 2
      if (!(await this.sleep(attempt, waitMs, pollSoonFrom))) return { type: 'expired' }
      if (!(await this.rateLimitPassed(attempt))) return { type: 'expired' }
      const at = this.clock.now()
      if (at >= switchAt) continue

      if (previous && at >= previous.deadline) previous = undefined
      const previousDue =
        previous !== undefined && (turn % 2 === 0 || previous.deadline - at <= pollIntervalMs)
      const target = previousDue && previous ? previous : current
      turn += 1
      this.lastPollAt = at
      const result = await this.options.client.getPin(target.pin.id, attempt.abort.signal)
      if (!attempt.active) return { type: 'expired' }
      if (result.ok && result.pin.authToken) {
        return { type: 'outcome', outcome: await this.finish(attempt, result.pin.authToken) }
      }
      if (target === previous) {
        if (!result.ok && result.kind === 'expired') previous = undefined
        if (result.ok || result.kind === 'expired') continue
      }
      if (result.ok) {
        failures = 0
        delayMs = pollIntervalMs
        continue
      }
      if (result.kind === 'expired') return { type: 'expired' }
      if (result.kind === 'rejected') {
        return { type: 'outcome', outcome: this.fail(attempt, 'rejected', result.message) }
      }
      // The code is still good while plex.tv struggles: keep it on screen and slow down.
      failures += 1
      delayMs = this.retryDelay(attempt, result, failures, pollBackoffDelay)
      this.emit({ type: 'retry', reason: result.kind, delayMs, message: result.message }, attempt)
    }
  }

  private async finish(attempt: Attempt, token: string): Promise<LoginOutcome> {
    this.emit({ type: 'approved' }, attempt)
    // One turn of the event loop lets the poll's connection go back to the pool, so the
    // account read reuses it instead of opening a second one.
    await new Promise<void>((resolve) => setImmediate(resolve))
    if (this.verifyToken) {
      const checked = await this.verifyToken(token, attempt.abort.signal)
      if (!attempt.active) return CANCELLED
      if (!checked.ok) return this.fail(attempt, checked.code, checked.message)
    }
    for (let failures = 1; ; failures++) {
      if (!(await this.rateLimitPassed(attempt))) return CANCELLED
      const result = await this.options.client.getAccount(token, attempt.abort.signal)
      if (!attempt.active) return CANCELLED
      if (result.ok) {
        try {
          await this.options.saveCredentials(token, result.account)
        } catch (error) {
          return this.fail(attempt, 'store', `Could not save the sign-in: ${errorText(error)}`)
        }
        const { username, title, email } = result.account
        this.setState(
          { phase: 'signed-in', user: { username, title, email, verified: true } },
          attempt
        )
        return { ok: true, token, account: result.account }
      }
      const transient = result.kind === 'unavailable' || result.kind === 'rate-limited'
      if (!transient || failures >= this.options.maxAccountAttempts) {
        return this.fail(
          attempt,
          result.kind,
          `Approved, but the account could not be read: ${result.message}`
        )
      }
      const delayMs = this.retryDelay(attempt, result, failures)
      this.emit({ type: 'retry', reason: result.kind, delayMs, message: result.message }, attempt)
      if (!(await this.sleep(attempt, delayMs))) return CANCELLED
    }
  }

  // How long to wait after a failure. A 429 also sets a quiet period that every kind of
  // request keeps to, so that a renewal or an account read cannot cut it short.
  private retryDelay(
    attempt: Attempt,
    failure: PlexFailure,
    failures: number,
    backoff: typeof backoffDelay = backoffDelay
  ): number {
    let delayMs = backoff(failures, this.options.random)
    if (failure.kind === 'rate-limited') {
      if (failure.retryAfterMs !== undefined) {
        // Honoured, but never as a reason to hammer (0, or a date in the past) or to hang.
        const floor = this.options.pollIntervalMs
        delayMs = Math.min(MAX_RETRY_AFTER_MS, Math.max(floor, failure.retryAfterMs))
      }
      attempt.notBefore = this.clock.now() + delayMs
    }
    return delayMs
  }

  private fail(attempt: Attempt, code: LoginFailureCode, message: string): LoginOutcome {
    this.setState({ phase: 'error', message }, attempt)
    return { ok: false, code, message }
  }
}

function errorText(error: unknown): string {
  if (error instanceof Error) return error.message
  return String(error)
}
