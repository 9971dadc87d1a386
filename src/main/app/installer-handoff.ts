// How the desktop app ends when an installer runs it: with --json and/or --output it hands over
// the same JSON answer as `plex-login login --json` right after sign-in and quits a few seconds
// later (the window says so), and it ends with the exit codes of the command when the person
// closes the window or cancels (130), the code expires (3) or --timeout passes (3).

import type { PlexAccount } from '../plex/plex-client'
import {
  errorAnswer,
  EXIT,
  EXIT_FOR_ERROR,
  signedInAnswer,
  CLASSIC_TOKEN,
  type AfterSignInJson,
  type ErrorCode,
  type TokenKind
} from '../login/sign-in-result'

export interface HandoffIo {
  stdout: (text: string) => void
  stderr: (text: string) => void
  writeFile: (path: string, text: string) => void
  exit: (code: number) => void
}

export class InstallerHandoff {
  private exitCode: number | undefined
  private exited = false
  private closing: ReturnType<typeof setTimeout> | undefined

  /** `closeAfterSignInMs`: how long the signed-in window stays before the app quits by itself. */
  constructor(
    private readonly options: { json: boolean; output?: string },
    private readonly io: HandoffIo,
    private readonly closeAfterSignInMs = 0
  ) {}

  /** Whether an installer is waiting for an answer (--json or --output). */
  get active(): boolean {
    return this.options.json || this.options.output !== undefined
  }

  /** The answer is out and the exit code decided (the app may still be closing). */
  get done(): boolean {
    return this.exitCode !== undefined
  }

  /**
   * Hands the token over, with the profile and server the steps chose, and quits soon after;
   * without --json/--output the window simply stays.
   */
  signedIn(
    token: string,
    clientIdentifier: string,
    account: PlexAccount,
    steps: AfterSignInJson = {},
    kind: TokenKind = CLASSIC_TOKEN
  ): void {
    if (this.active) {
      this.finish(
        signedInAnswer(token, clientIdentifier, account, steps, kind),
        EXIT.ok,
        this.closeAfterSignInMs
      )
    }
  }

  /** Ends the app with the command's exit code for `code`, and its JSON answer if asked for. */
  failed(code: ErrorCode, message: string): void {
    if (this.done) return
    this.io.stderr(`Plex Login Helper: ${message}\n`)
    this.finish(errorAnswer(code, message), EXIT_FOR_ERROR[code], 0)
  }

  /** Quits now with the code already decided: the window was closed while closing itself. */
  exitNow(): void {
    if (this.exitCode === undefined || this.exited) return
    clearTimeout(this.closing)
    this.exited = true
    this.io.exit(this.exitCode)
  }

  private finish(answer: object, exitCode: number, closeAfterMs: number): void {
    if (this.done) return
    let text = `${JSON.stringify(answer)}\n`
    let code = exitCode
    if (this.options.output) {
      try {
        this.io.writeFile(this.options.output, text)
      } catch (error) {
        const message = `Could not write ${this.options.output}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`
        this.io.stderr(`Plex Login Helper: ${message}\n`)
        text = `${JSON.stringify(errorAnswer('store', message))}\n`
        code = EXIT_FOR_ERROR.store
      }
    }
    if (this.options.json) this.io.stdout(text)
    this.exitCode = code
    // The answer is already out: the delay only lets the person read that they are done.
    if (code === EXIT.ok && closeAfterMs > 0) {
      this.closing = setTimeout(() => this.exitNow(), closeAfterMs)
    } else {
      this.exitNow()
    }
  }
}
