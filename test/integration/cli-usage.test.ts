// Bad arguments (exit 2, "usage"), --help and --version.
import { describe, expect, it } from 'vitest'
import { version } from '../../package.json'
import { jsonOut, runPlexLogin, STACK_TRACE, tempDir } from './run-plex-login'

const cases: [string, string[], Record<string, string>?][] = [
  ['an unknown option', ['--bogus']],
  ['a --timeout that is not a number', ['--timeout', 'soon']],
  ['a --timeout of zero', ['--timeout', '0']],
  ['a negative --timeout', ['--timeout', '-1']],
  ['a --timeout without a value', ['--timeout']],
  ['http:// --plex-url off the loopback host', ['--plex-url', 'http://plex.example.com']],
  ['a --plex-url with a path', ['--plex-url', 'https://plex.tv/api']],
  ['an http:// PLEX_LOGIN_PLEX_URL off loopback', [], { PLEX_LOGIN_PLEX_URL: 'http://10.0.0.1' }],
  ['an unknown command', ['signin']],
  ['two commands', ['status', 'logout']],
  ['a login-only option on status', ['status', '--strong']]
]

describe.concurrent('plex-login usage errors', () => {
  it.for(cases)('%s: exit 2 "usage", a clear line on stderr', async ([, args, env], context) => {
    const storeDir = tempDir(context)
    const result = await runPlexLogin([...args, '--json', '--store-dir', storeDir], { env })

    expect(result.code).toBe(2)
    const json = jsonOut(result)
    expect(json).toEqual({ ok: false, error: { code: 'usage', message: expect.any(String) } })
    const { message } = json.error as { message: string }
    expect(message).toMatch(/\S/)
    expect(message).not.toContain('\n')
    const [first] = result.stderr.split('\n')
    expect(first).toBe(`plex-login: ${message}`)
    expect(result.stderr).toContain('plex-login --help')
    expect(result.stderr).not.toMatch(STACK_TRACE)
  })

  it('without --json a usage error leaves stdout empty', async (context) => {
    const result = await runPlexLogin(['--bogus', '--store-dir', tempDir(context)])
    expect(result.code).toBe(2)
    expect(result.stdout).toBe('')
    expect(result.stderr).toMatch(/^plex-login: .*--bogus/)
  })
})

describe.concurrent('plex-login help and version', () => {
  it.for(['-h', '--help'])('%s prints the usage on stdout, exit 0', async (flag) => {
    const result = await runPlexLogin([flag])
    expect(result.code).toBe(0)
    expect(result.stdout).toMatch(/^Usage: plex-login \[login\|status\|logout\] \[options\]/)
    for (const option of [
      '--json',
      '--store-dir',
      '--plex-url',
      '--product',
      '--client-id',
      '--strong',
      '--no-renew',
      '--timeout',
      '--open',
      '--reuse',
      '--version'
    ]) {
      expect(result.stdout).toContain(option)
    }
    expect(result.stderr).toBe('')
  })

  it.for(['-V', '--version'])('%s prints the version on stdout, exit 0', async (flag) => {
    const result = await runPlexLogin([flag])
    expect(result.code).toBe(0)
    expect(result.stdout).toBe(`${version}\n`)
    expect(result.stderr).toBe('')
  })
})
