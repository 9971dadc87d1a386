// --lang on the app: any well-formed BCP 47 tag, in its canonical form; anything else is a
// usage error (exit 2, through the same path as every other bad option).

import { describe, expect, it } from 'vitest'
import { parseAppArgs } from '../../src/main/app/app-args'

const parse = (argv: string[]) => parseAppArgs(argv, {}, '/work')

describe('--lang', () => {
  it('takes a well-formed tag, canonical, whether or not the app has that language', () => {
    for (const [given, canonical] of [
      ['de', 'de'],
      ['PT-pt', 'pt-PT'],
      ['zh-hant', 'zh-Hant'],
      ['ar-EG', 'ar-EG']
    ]) {
      expect(parse(['--lang', given!]), given).toMatchObject({
        kind: 'run',
        options: { language: canonical }
      })
    }
    expect(parse(['--lang=fi'])).toMatchObject({ kind: 'run', options: { language: 'fi' } })
  })

  it('is absent when not given: the OS decides', () => {
    const parsed = parse(['--json'])
    expect(parsed.kind === 'run' && parsed.options).not.toHaveProperty('language')
  })

  it('refuses a malformed tag, an empty one, and no value, with --json kept for the answer', () => {
    for (const argv of [
      ['--json', '--lang', 'de_DE'],
      ['--json', '--lang', 'C'],
      ['--json', '--lang='],
      ['--json', '--lang', 'x'.repeat(100)],
      ['--json', '--lang']
    ]) {
      expect(parse(argv), argv.join(' ')).toMatchObject({
        kind: 'usage-error',
        json: true,
        message: expect.stringMatching(/^--lang needs a/)
      })
    }
  })
})
