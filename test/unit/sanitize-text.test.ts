import { describe, expect, it } from 'vitest'
import { cleanText, MAX_TEXT_LENGTH, stripControls } from '../../src/shared/sanitize-text'

const OSC52 = '\x1b]52;c;Y3VybCBodHRwczovL2V2aWwuZXhhbXBsZS9zIHwgc2g=\x07'

describe('cleanText', () => {
  it.each([
    ['OSC 52 ended by BEL', `AB${OSC52}CD`, 'ABCD'],
    ['OSC 8 link ended by ST', 'a\x1b]8;;https://evil.example\x1b\\b\x1b]8;;\x1b\\c', 'abc'],
    ['an OSC never ended', `name\x1b]0;title`, 'name'],
    ['CSI colours and cursor moves', '\x1b[31mred\x1b[0m \x1b[2J\x1b[1;1Hhome', 'red home'],
    ['8-bit CSI', 'x\x9b31my', 'xy'],
    ['8-bit OSC ended by 8-bit ST', 'x\x9d52;c;AAAA\x9cy', 'xy'],
    ['DCS', 'x\x1bPq#0;2;0;0;0\x1b\\y', 'xy'],
    ['charset designation (ESC ( B)', 'x\x1b(By', 'xy'],
    ['a lone ESC at the end', 'abc\x1b', 'abc'],
    ['bidi override and isolates', 'evil\u202egnp.exe\u2066x\u2069', 'evil gnp.exe x'],
    ['C0, DEL and C1 controls', 'a\x00b\x07c\x7fd\x85e', 'a b c d e'],
    ['line breaks and tabs', ' one\r\ntwo\tthree\u2028four ', 'one two three four']
  ])('removes %s', (_name, input, expected) => {
    expect(cleanText(input)).toBe(expected)
  })

  it('keeps ordinary text in any script, emoji included', () => {
    const text = 'Zoë 山田 🎬 family 👨‍👩‍👧 (ok)'
    expect(cleanText(text)).toBe(text)
  })

  it(`caps at ${MAX_TEXT_LENGTH} characters by default, or at the length given, ending in …`, () => {
    const long = 'x'.repeat(500)
    expect(cleanText(long)).toBe(`${'x'.repeat(MAX_TEXT_LENGTH - 1)}…`)
    expect(cleanText('abcdefgh', 5)).toBe('abcd…')
    expect(cleanText('abcde', 5)).toBe('abcde')
  })

  it('never cuts a character in half', () => {
    expect(cleanText('😀😀😀😀', 3)).toBe('😀😀…')
  })
})

describe('stripControls', () => {
  it('removes escapes and controls but keeps spacing, for text laid out in columns', () => {
    expect(stripControls(`  code:  AB${OSC52}CD\t`)).toBe('  code:  ABCD ')
  })
})
