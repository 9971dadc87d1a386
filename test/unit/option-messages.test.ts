// The options both the command and the app take are refused in English for the JSON answer and
// the log, and in the person's language on stderr.
import { describe, expect, it } from 'vitest'
import { parseCliArgs } from '../../src/main/cli/cli-args'
import { parsePlexUrl, parseTimeout } from '../../src/main/options/option-values'
import { translatorFor } from '../../src/shared/i18n/translator'

const de = translatorFor('de', { isolateValues: false })

describe('option messages', () => {
  it('keep their English wording for the JSON answer', () => {
    expect(parseTimeout('soon')).toMatchObject({
      ok: false,
      message: '--timeout must be a positive number of seconds, got "soon"'
    })
    expect(parsePlexUrl('ftp://plex.tv')).toMatchObject({
      ok: false,
      message: '--plex-url must be https://, or http:// on a loopback host'
    })
  })

  it('are told on stderr in the person’s language, the JSON message staying English', () => {
    const parsed = parseCliArgs(['--timeout', 'soon'], {}, de)
    expect(parsed).toMatchObject({
      kind: 'usage-error',
      message: '--timeout must be a positive number of seconds, got "soon"',
      text: de.t('options.timeoutPositive', { input: 'soon' })
    })
    expect(parsed.kind === 'usage-error' && parsed.text).toContain('soon')
    expect(parsed.kind === 'usage-error' && parsed.text).not.toBe(
      parsed.kind === 'usage-error' && parsed.message
    )
  })
})
