// Asking the person at the terminal: a numbered choice, and a PIN typed without echo (never a
// command-line argument, which other users can read in the process list). Questions go to
// stderr like everything meant for a person; stdout stays for the one JSON answer.

import { StringDecoder } from 'node:string_decoder'
import type { Readable } from 'node:stream'
import { FALLBACK_LANGUAGE } from '../../shared/i18n/languages'
import { translatorFor, type Translator } from '../../shared/i18n/translator'
import { stripControls } from '../../shared/sanitize-text'

/** stdin as far as asking needs it; `setRawMode` only exists on a terminal. */
export type TerminalInput = Pick<Readable, 'on' | 'off' | 'resume' | 'pause'> & {
  isTTY?: boolean
  setRawMode?: (raw: boolean) => unknown
}

export type Reply = { ok: true; text: string } | { ok: false; reason: 'closed' | 'interrupted' }

export interface TerminalPrompt {
  /** A line as typed; the terminal shows it as usual. */
  ask(question: string, signal?: AbortSignal): Promise<Reply>
  /** A line read with the terminal's echo off: nothing of it appears on screen. */
  askSecret(question: string, signal?: AbortSignal): Promise<Reply>
}

// Far more than any answer here (a list number, a 4-digit PIN); a paste of a book is cut short.
const MAX_ANSWER_LENGTH = 200
// An escape sequence (an arrow key, a function key): ESC, then [ or O, parameters, a final byte.
// eslint-disable-next-line no-control-regex
const ESCAPE_SEQUENCE = /^\x1b(?:[[O][0-9;?]*[\x40-\x7e]?)?/

export function createTerminalPrompt(
  input: TerminalInput,
  write: (text: string) => void
): TerminalPrompt {
  const decoder = new StringDecoder('utf8')
  // What was typed (or pasted) past the end of the previous answer: the next answer's start.
  let typedAhead = ''
  let busy = false

  function read(question: string, secret: boolean, signal?: AbortSignal): Promise<Reply> {
    if (busy) throw new Error('one question at a time')
    busy = true
    write(stripControls(question))
    return new Promise((resolve) => {
      let text = ''
      const finish = (reply: Reply): void => {
        input.off('data', onData)
        input.off('end', onEnd)
        signal?.removeEventListener('abort', onAbort)
        input.pause()
        if (secret) {
          input.setRawMode?.(false)
          write('\n') // Enter was not echoed either
        }
        busy = false
        resolve(reply)
      }
      // True once the answer is complete.
      const take = (chunk: string): boolean => {
        for (let i = 0; i < chunk.length; i++) {
          const char = chunk[i]!
          if (char === '\r' || char === '\n') {
            const next = char === '\r' && chunk[i + 1] === '\n' ? i + 2 : i + 1
            typedAhead = chunk.slice(next)
            finish({ ok: true, text })
            return true
          }
          if (char === '\x03') {
            // Ctrl-C: with echo off the terminal sends it as a character, not as SIGINT.
            typedAhead = ''
            finish({ ok: false, reason: 'interrupted' })
            return true
          }
          if (char === '\x04' && text === '') {
            typedAhead = ''
            finish({ ok: false, reason: 'closed' })
            return true
          }
          if (char === '\x7f' || char === '\b') text = text.slice(0, -1)
          else if (char === '\x15') text = ''
          else if (char === '\x1b') i += (ESCAPE_SEQUENCE.exec(chunk.slice(i))?.[0].length ?? 1) - 1
          else if (char >= ' ' && text.length < MAX_ANSWER_LENGTH) text += char
        }
        return false
      }
      const onData = (chunk: Buffer | string): void => {
        take(typeof chunk === 'string' ? chunk : decoder.write(chunk))
      }
      const onEnd = (): void => finish({ ok: false, reason: 'closed' })
      const onAbort = (): void => finish({ ok: false, reason: 'interrupted' })

      if (signal?.aborted) return onAbort()
      if (secret) input.setRawMode?.(true)
      const ahead = typedAhead
      typedAhead = ''
      if (take(ahead)) return
      input.on('data', onData)
      input.on('end', onEnd)
      signal?.addEventListener('abort', onAbort, { once: true })
      input.resume()
    })
  }

  return {
    ask: (question, signal) => read(question, false, signal),
    askSecret: (question, signal) => read(question, true, signal)
  }
}

export interface Choice {
  label: string // cleaned already: it is shown as it is
  unavailable?: string // why it cannot be chosen (shown, and refused when typed)
}

/**
 * Shows `choices` numbered from 1 and asks until a choosable number is typed; resolves with its
 * index, or the reason no answer came (end of input, Ctrl-C, the run being stopped).
 */
export async function chooseByNumber(
  prompt: TerminalPrompt,
  write: (text: string) => void,
  title: string,
  choices: readonly Choice[],
  signal?: AbortSignal,
  t: Translator['t'] = translatorFor(FALLBACK_LANGUAGE).t
): Promise<{ ok: true; index: number } | (Reply & { ok: false })> {
  const lines = choices.map((choice, index) => {
    const note = choice.unavailable === undefined ? '' : ` (${choice.unavailable})`
    return `  ${index + 1}. ${choice.label}${note}`
  })
  write(`${[title, ...lines].map(stripControls).join('\n')}\n`)
  const count = choices.length
  const question = `${count === 1 ? t('cli.ask.typeOne') : t('cli.ask.choose', { count })} `
  for (;;) {
    const reply = await prompt.ask(question, signal)
    if (!reply.ok) return reply
    const typed = reply.text.trim()
    const number = /^[0-9]{1,4}$/.test(typed) ? Number(typed) : NaN
    const choice = choices[number - 1]
    if (!choice) write(`${t('cli.ask.range', { count })}\n`)
    else if (choice.unavailable !== undefined) {
      const reason = stripControls(choice.unavailable)
      write(`${t('cli.ask.unavailable', { number, reason })}\n`)
    } else return { ok: true, index: number - 1 }
  }
}
