import { resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import {
  helpText,
  parseCliArgs,
  type CliOptions,
  type ParsedCli
} from '../../src/main/cli/cli-args'
import {
  parseClientId,
  parsePlexUrl,
  parseProduct,
  parseTimeout
} from '../../src/main/options/option-values'

const ENV = { XDG_CONFIG_HOME: '/xdg', APPDATA: 'C:\\AppData' }
const DEFAULT_STORE = resolve(
  process.platform === 'win32'
    ? 'C:\\AppData\\Plex Login Helper\\cli'
    : process.platform === 'darwin'
      ? `${process.env.HOME}/Library/Application Support/Plex Login Helper/cli`
      : '/xdg/Plex Login Helper/cli'
)

function options(argv: string[], env: NodeJS.ProcessEnv = ENV): CliOptions {
  const parsed = parseCliArgs(argv, env)
  if (parsed.kind !== 'run') throw new Error(`expected run, got ${JSON.stringify(parsed)}`)
  return parsed.options
}

function usageError(argv: string[], env: NodeJS.ProcessEnv = ENV): string {
  const parsed = parseCliArgs(argv, env)
  if (parsed.kind !== 'usage-error')
    throw new Error(`expected usage error, got ${JSON.stringify(parsed)}`)
  return parsed.message
}

describe('parseCliArgs: commands and defaults', () => {
  it('defaults to login with every default', () => {
    expect(parseCliArgs([], ENV)).toEqual<ParsedCli>({
      kind: 'run',
      options: {
        command: 'login',
        json: false,
        storeDir: DEFAULT_STORE,
        plexUrl: 'https://plex.tv',
        product: 'Plex Login Helper',
        strong: false,
        renew: true,
        open: false,
        reuse: false
      }
    })
    const defaults = options([])
    expect(defaults).not.toHaveProperty('clientId')
    expect(defaults).not.toHaveProperty('timeoutMs')
  })

  it.each(['login', 'status', 'logout'] as const)('takes the %s command', (command) => {
    expect(options([command]).command).toBe(command)
    expect(options(['--json', command]).command).toBe(command)
  })

  it('reads every option of the contract', () => {
    expect(
      options([
        'login',
        '--json',
        '--store-dir',
        '/tmp/plex-store',
        '--plex-url',
        'http://127.0.0.1:32401',
        '--product',
        'My Installer',
        '--client-id',
        'my-client-id',
        '--strong',
        '--no-renew',
        '--timeout',
        '90',
        '--open',
        '--reuse'
      ])
    ).toEqual({
      command: 'login',
      json: true,
      storeDir: resolve('/tmp/plex-store'),
      plexUrl: 'http://127.0.0.1:32401',
      product: 'My Installer',
      clientId: 'my-client-id',
      strong: true,
      renew: false,
      timeoutMs: 90_000,
      open: true,
      reuse: true
    })
  })

  it('accepts --option=value forms', () => {
    expect(options(['--timeout=1.5', '--store-dir=/s', '--product=P'])).toMatchObject({
      timeoutMs: 1_500,
      storeDir: resolve('/s'),
      product: 'P'
    })
  })

  it('resolves a relative --store-dir', () => {
    expect(options(['--store-dir', 'rel/dir']).storeDir).toBe(resolve('rel/dir'))
  })

  it('takes the plex.tv URL from PLEX_LOGIN_PLEX_URL, and --plex-url over it', () => {
    const env = { ...ENV, PLEX_LOGIN_PLEX_URL: 'http://localhost:5000' }
    expect(options([], env).plexUrl).toBe('http://localhost:5000')
    expect(options(['--plex-url', 'https://plex.example.com'], env).plexUrl).toBe(
      'https://plex.example.com'
    )
    expect(usageError([], { ...ENV, PLEX_LOGIN_PLEX_URL: 'http://evil.example.com' })).toMatch(
      /https/
    )
  })

  it('allows --timeout and --json on status and logout', () => {
    expect(options(['status', '--timeout', '2', '--json'])).toMatchObject({
      command: 'status',
      timeoutMs: 2_000,
      json: true
    })
    expect(options(['logout', '--store-dir', '/x']).storeDir).toBe(resolve('/x'))
  })

  it('-h / --help and -V / --version', () => {
    expect(parseCliArgs(['-h'], ENV)).toEqual({ kind: 'help' })
    expect(parseCliArgs(['--help'], ENV)).toEqual({ kind: 'help' })
    expect(parseCliArgs(['status', '--help'], ENV)).toEqual({ kind: 'help' })
    expect(parseCliArgs(['-V'], ENV)).toEqual({ kind: 'version' })
    expect(parseCliArgs(['--version'], ENV)).toEqual({ kind: 'version' })
  })

  it('the help text names every option and the exit codes', () => {
    for (const option of [
      '--json',
      '--store-dir',
      '--plex-url',
      'PLEX_LOGIN_PLEX_URL',
      '--product',
      '--client-id',
      '--strong',
      '--no-renew',
      '--timeout',
      '--open',
      '--reuse',
      '--help',
      '--version'
    ]) {
      expect(helpText()).toContain(option)
    }
    expect(helpText()).toMatch(/130 interrupted/)
  })
})

describe('parseCliArgs: usage errors', () => {
  it('unknown options', () => {
    expect(usageError(['--bogus'])).toBe("Unknown option '--bogus'")
    expect(usageError(['-x'])).toBe("Unknown option '-x'")
    expect(usageError(['--renew'])).toBe("Unknown option '--renew'")
  })

  it('an option without its value', () => {
    expect(usageError(['--store-dir'])).toMatch(/--store-dir/)
    expect(usageError(['--timeout'])).toMatch(/--timeout/)
  })

  it('a bad command, or two commands', () => {
    expect(usageError(['signin'])).toMatch(/unknown command "signin"/)
    expect(usageError(['login', 'status'])).toMatch(/one command/)
    expect(usageError(['status', 'status'])).toMatch(/one command/)
  })

  it.each([['0'], ['-1'], ['abc'], [''], ['  '], ['Infinity'], ['NaN'], ['-0.5']])(
    '--timeout %j',
    (value) => {
      const message = usageError([`--timeout=${value}`])
      expect(message).toContain('--timeout')
      expect(message).not.toContain('\n')
    }
  )

  it('--timeout -1 as a separate argument is a one-line usage error', () => {
    const message = usageError(['--timeout', '-1'])
    expect(message).toContain('--timeout')
    expect(message).not.toContain('\n')
  })

  it.each([
    ['http on a remote host', 'http://plex.tv'],
    ['http on a host that only starts like localhost', 'http://localhost.evil.com'],
    ['another scheme', 'ftp://plex.tv'],
    ['a path', 'https://plex.tv/api'],
    ['a loopback URL with a path', 'http://127.0.0.1:32401/api/v2'],
    ['a query', 'https://plex.tv/?x=1'],
    ['a fragment', 'https://plex.tv/#x'],
    ['credentials', 'https://user:pw@plex.tv'],
    ['not a URL', 'plex.tv'],
    ['empty', '']
  ])('--plex-url with %s', (_label, url) => {
    expect(usageError(['--plex-url', url])).toMatch(/--plex-url/)
  })

  it.each(['--strong', '--no-renew', '--open', '--reuse'])(
    '%s is a usage error on status and logout',
    (option) => {
      expect(usageError(['status', option])).toBe(`${option} only applies to login`)
      expect(usageError(['logout', option])).toBe(`${option} only applies to login`)
      expect(options(['login', option]).command).toBe('login')
    }
  )

  it('a bad --product, --client-id or --store-dir', () => {
    expect(usageError(['--product', ''])).toMatch(/--product/)
    expect(usageError(['--product', 'x'.repeat(101)])).toMatch(/--product/)
    expect(usageError(['--product', 'tab\there'])).toMatch(/--product/)
    expect(usageError(['--client-id', 'has space'])).toMatch(/--client-id/)
    expect(usageError(['--client-id', ''])).toMatch(/--client-id/)
    expect(usageError(['--client-id', 'x'.repeat(129)])).toMatch(/--client-id/)
    expect(usageError(['--store-dir', ' '])).toMatch(/--store-dir/)
  })

  it('says whether --json was asked for, even when parsing fails', () => {
    expect(parseCliArgs(['--json', '--bogus'], ENV)).toMatchObject({
      kind: 'usage-error',
      json: true
    })
    expect(parseCliArgs(['status', '--strong', '--json'], ENV)).toMatchObject({
      kind: 'usage-error',
      json: true
    })
    expect(parseCliArgs(['--bogus'], ENV)).toMatchObject({ kind: 'usage-error', json: false })
    // --json given a value is itself the usage error, still answered in JSON
    expect(parseCliArgs(['--json=false'], ENV)).toMatchObject({ kind: 'usage-error', json: true })
  })
})

describe('argument checkers', () => {
  it('parsePlexUrl keeps the origin only', () => {
    expect(parsePlexUrl('https://plex.tv')).toEqual({ ok: true, value: 'https://plex.tv' })
    expect(parsePlexUrl('https://plex.tv/')).toEqual({ ok: true, value: 'https://plex.tv' })
    expect(parsePlexUrl('https://plex.tv:443')).toEqual({ ok: true, value: 'https://plex.tv' })
    expect(parsePlexUrl('HTTP://LOCALHOST:8080')).toEqual({
      ok: true,
      value: 'http://localhost:8080'
    })
    expect(parsePlexUrl('http://127.0.0.1:32401')).toEqual({
      ok: true,
      value: 'http://127.0.0.1:32401'
    })
    expect(parsePlexUrl('http://127.8.9.10')).toEqual({ ok: true, value: 'http://127.8.9.10' })
    expect(parsePlexUrl('http://[::1]:9000')).toEqual({ ok: true, value: 'http://[::1]:9000' })
    expect(parsePlexUrl('http://10.0.0.1').ok).toBe(false)
  })

  it('parseTimeout gives milliseconds, rounded up', () => {
    expect(parseTimeout('1')).toEqual({ ok: true, value: 1_000 })
    expect(parseTimeout('0.2')).toEqual({ ok: true, value: 200 })
    expect(parseTimeout('0.0001')).toEqual({ ok: true, value: 1 })
    expect(parseTimeout(' 5 ')).toEqual({ ok: true, value: 5_000 })
    expect(parseTimeout('0').ok).toBe(false)
  })

  it('parseProduct trims, parseClientId does not', () => {
    expect(parseProduct('  My App  ')).toEqual({ ok: true, value: 'My App' })
    expect(parseProduct('Ünicode').ok).toBe(false)
    expect(parseClientId('abc-123_XYZ')).toEqual({ ok: true, value: 'abc-123_XYZ' })
    expect(parseClientId(' abc').ok).toBe(false)
  })
})
