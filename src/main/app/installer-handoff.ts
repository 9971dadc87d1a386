// How the desktop app ends when an installer runs it: with --json and/or --output it quits right
// after sign-in with the same JSON answer as `plex-login login --json`, and with the exit codes
// of the command when the person closes the window (130), the code expires (3) or --timeout
// passes (3).

import { closeSync, fchmodSync, openSync, writeFileSync } from 'node:fs'
import type { PlexAccount } from '../plex/plex-client'
import {
  errorAnswer,
  EXIT,
  EXIT_FOR_ERROR,
  signedInAnswer,
  type ErrorCode
} from '../login/sign-in-result'

export interface HandoffIo {
  stdout: (text: string) => void
  stderr: (text: string) => void
  writeFile: (path: string, text: string) => void
  exit: (code: number) => void
}

/** Writes a file only its owner can read, even when it already existed with looser rights. */
export function writePrivateFile(path: string, text: string): void {
  // The rights first, then the token: a file that was there with looser rights must not hold it
  // readable by others even for a moment.
  const fd = openSync(path, 'w', 0o600)
  try {
    fchmodSync(fd, 0o600)
    writeFileSync(fd, text)
  } finally {
    closeSync(fd)
  }
}

export class InstallerHandoff {
  private finished = false

  constructor(
    private readonly options: { json: boolean; output?: string },
    private readonly io: HandoffIo
  ) {}

  /** Whether an installer is waiting for an answer (--json or --output). */
  get active(): boolean {
    return this.options.json || this.options.output !== undefined
  }

  get done(): boolean {
    return this.finished
  }

  /** Hands the token over and quits; without --json/--output the window simply stays. */
  signedIn(token: string, clientIdentifier: string, account: PlexAccount): void {
    if (this.active) this.finish(signedInAnswer(token, clientIdentifier, account), EXIT.ok)
  }

  /** Ends the app with the command's exit code for `code`, and its JSON answer if asked for. */
  failed(code: ErrorCode, message: string): void {
    if (this.finished) return
    this.io.stderr(`Plex Login Helper: ${message}\n`)
    this.finish(errorAnswer(code, message), EXIT_FOR_ERROR[code])
  }

  private finish(answer: object, exitCode: number): void {
    if (this.finished) return
    this.finished = true
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
    this.io.exit(code)
  }
}
