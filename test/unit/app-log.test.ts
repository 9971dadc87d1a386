import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { createAppLog } from '../../src/main/log/app-log'
import { redact } from '../../src/main/log/redact'

const TOKEN = 'Zx9-secret-token-Qw'
const dirs: string[] = []
const tempDir = (): string => {
  const dir = mkdtempSync(join(tmpdir(), 'app-log-'))
  dirs.push(dir)
  return dir
}

afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true })
})

describe('redact', () => {
  it('blanks known secrets wherever they appear', () => {
    expect(redact(`token ${TOKEN} and again${TOKEN}`, [TOKEN])).toBe(
      'token [redacted] and again[redacted]'
    )
  })

  it.each([
    ['a header', 'X-Plex-Token: abcDEF123', 'X-Plex-Token: [redacted]'],
    [
      'a query parameter',
      'GET /api?X-Plex-Token=abc123&x=1',
      'GET /api?X-Plex-Token=[redacted]&x=1'
    ],
    ['a JSON field', '{"authToken":"abc123","id":1}', '{"authToken":"[redacted]","id":1}'],
    ['a JSON header', '{"X-Plex-Token":"abc123"}', '{"X-Plex-Token":"[redacted]"}'],
    ['a JWT', 'token eyJhbGciOiJFZERTQSJ9.eyJzdWIiOiIxIn0.c2ln-_x end', 'token [redacted] end'],
    [
      'a private JWK',
      '{"kty":"OKP","d":"nWGxne_9Wm","x":"11qY"}',
      '{"kty":"OKP","d":"[redacted]","x":"11qY"}'
    ]
  ])('blanks token-shaped values in %s, even unknown ones', (_name, input, output) => {
    expect(redact(input, [])).toBe(output)
  })

  it('leaves ordinary text alone', () => {
    expect(redact('code K7QZ expires in 15:00', [TOKEN])).toBe('code K7QZ expires in 15:00')
  })
})

describe('the app log', () => {
  it('writes timestamped lines to a 0600 file, without any secret', () => {
    const directory = tempDir()
    const log = createAppLog({ directory, now: () => new Date('2030-01-01T00:00:00Z') })
    log.addSecret(TOKEN)
    log.info(`signed in with ${TOKEN}`)
    log.warn('multi\nline')
    const text = readFileSync(log.file, 'utf8')
    expect(text).toBe(
      '2030-01-01T00:00:00.000Z info signed in with [redacted]\n' +
        '2030-01-01T00:00:00.000Z warn multi line\n'
    )
    expect(statSync(log.file).mode & 0o777).toBe(0o600)
  })

  it('writes a message with escapes and controls as one clean line, tokens still redacted', () => {
    const directory = tempDir()
    const log = createAppLog({ directory, now: () => new Date('2030-01-01T00:00:00Z') })
    log.addSecret(TOKEN)
    log.info('signed in as \x1b]52;c;Y3VybCBldmlsIHwgc2g=\x07al\u202eice\x9b2J \x1b[31mred\x1b[0m')
    log.error(`failed: X-Plex-Token=abc\x1b[1mDEF and ${TOKEN.slice(0, 5)}\x1b[0m${TOKEN.slice(5)}`)
    expect(readFileSync(log.file, 'utf8')).toBe(
      '2030-01-01T00:00:00.000Z info signed in as al ice red\n' +
        '2030-01-01T00:00:00.000Z error failed: X-Plex-Token=[redacted] and [redacted]\n'
    )
  })

  it('caps a long message without ever leaving part of a token', () => {
    const directory = tempDir()
    const log = createAppLog({ directory })
    log.addSecret(TOKEN)
    for (let pad = 980; pad < 1_000; pad++)
      log.info(`${'x'.repeat(pad)} ${TOKEN} ${'y'.repeat(200)}`)
    const lines = readFileSync(log.file, 'utf8').trimEnd().split('\n')
    expect(lines).toHaveLength(20)
    for (const line of lines) {
      expect(line.length).toBeLessThanOrEqual(1_030) // time, level and 1 000 characters
      expect(line).not.toContain(TOKEN.slice(0, 4))
    }
  })

  it('rotates by size and keeps only so many old files', () => {
    const directory = tempDir()
    const log = createAppLog({ directory, maxBytes: 200, keep: 2 })
    for (let index = 0; index < 40; index++) log.info(`line ${index} ${'x'.repeat(40)}`)
    expect(readdirSync(directory).sort()).toEqual([
      'plex-login-helper.log',
      'plex-login-helper.log.1',
      'plex-login-helper.log.2'
    ])
    for (const name of readdirSync(directory)) {
      expect(statSync(join(directory, name)).size).toBeLessThanOrEqual(200)
    }
    expect(readFileSync(log.file, 'utf8')).toContain('line 39')
  })

  it('never throws when the folder cannot be written', () => {
    const directory = tempDir()
    writeFileSync(join(directory, 'a-file'), '')
    const log = createAppLog({ directory: join(directory, 'a-file', 'logs') })
    expect(() => log.error('nowhere to go')).not.toThrow()
    expect(readdirSync(directory)).toEqual(['a-file'])
  })
})
