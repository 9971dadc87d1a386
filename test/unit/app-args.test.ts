import { resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { parseAppArgs, type AppOptions, type ParsedAppArgs } from '../../src/main/app/app-args'

const CWD = resolve('/installer/work')
const ENV: NodeJS.ProcessEnv = {}

function run(argv: string[], env = ENV): Extract<ParsedAppArgs, { kind: 'run' }> {
  const parsed = parseAppArgs(argv, env, CWD)
  if (parsed.kind !== 'run') throw new Error(`expected run, got ${JSON.stringify(parsed)}`)
  return parsed
}

function options(argv: string[], env = ENV): AppOptions {
  return run(argv, env).options
}

function usageError(argv: string[], env = ENV): Extract<ParsedAppArgs, { kind: 'usage-error' }> {
  const parsed = parseAppArgs(argv, env, CWD)
  if (parsed.kind !== 'usage-error')
    throw new Error(`expected usage error, got ${JSON.stringify(parsed)}`)
  return parsed
}

describe('parseAppArgs: options', () => {
  it('has the defaults of plex-login when given nothing', () => {
    expect(parseAppArgs([], ENV, CWD)).toEqual<ParsedAppArgs>({
      kind: 'run',
      options: {
        json: false,
        plexUrl: 'https://plex.tv',
        product: 'Plex Login Helper',
        strong: false,
        renew: true
      },
      ignored: []
    })
  })

  it('reads every option', () => {
    expect(
      options([
        '--json',
        '--output',
        'answer.json',
        '--product',
        'My Media App',
        '--client-id',
        'my-client-1',
        '--strong',
        '--no-renew',
        '--timeout',
        '1.5',
        '--plex-url',
        'http://127.0.0.1:5155'
      ])
    ).toEqual<AppOptions>({
      json: true,
      output: resolve(CWD, 'answer.json'),
      plexUrl: 'http://127.0.0.1:5155',
      product: 'My Media App',
      clientId: 'my-client-1',
      strong: true,
      renew: false,
      timeoutMs: 1500
    })
  })

  it('takes values after = as well', () => {
    expect(
      options(['--output=/abs/answer.json', '--product=App', '--timeout=600', '--client-id=x'])
    ).toMatchObject({ output: resolve('/abs/answer.json'), product: 'App', timeoutMs: 600_000 })
  })

  it('resolves --output against the working directory it is given', () => {
    expect(options(['--output', 'out/plex.json']).output).toBe(resolve(CWD, 'out/plex.json'))
    expect(options(['--output', '../plex.json']).output).toBe(resolve(CWD, '../plex.json'))
    expect(options([])).not.toHaveProperty('output')
  })

  it('leaves out --client-id and --timeout when not given', () => {
    const defaults = options(['--json'])
    expect(defaults).not.toHaveProperty('clientId')
    expect(defaults).not.toHaveProperty('timeoutMs')
  })
})

describe('parseAppArgs: --plex-url and PLEX_LOGIN_PLEX_URL', () => {
  it.each(['http://127.0.0.1:5155', 'http://localhost:1', 'https://[::1]:2', 'http://127.9.8.7'])(
    'takes the loopback origin %s',
    (url) => {
      expect(options(['--plex-url', url]).plexUrl).toBe(url)
      expect(options([], { PLEX_LOGIN_PLEX_URL: url }).plexUrl).toBe(url)
    }
  )

  it('normalizes an origin with a trailing slash', () => {
    expect(options(['--plex-url', 'http://localhost:1/']).plexUrl).toBe('http://localhost:1')
  })

  it('takes the real plex.tv, named explicitly, as the default it is', () => {
    expect(options(['--plex-url', 'https://plex.tv']).plexUrl).toBe('https://plex.tv')
    expect(options([], { PLEX_LOGIN_PLEX_URL: 'https://plex.tv' }).plexUrl).toBe('https://plex.tv')
  })

  it.each(['https://plex.tv.example', 'https://example.com', 'http://10.0.0.1'])(
    'refuses the non-loopback host %s, from the option or the environment',
    (url) => {
      expect(usageError(['--plex-url', url]).message).toMatch(/loopback/)
      expect(usageError([], { PLEX_LOGIN_PLEX_URL: url }).message).toMatch(/loopback/)
    }
  )

  it('refuses what is not an origin', () => {
    expect(usageError(['--plex-url', 'not a url']).message).toMatch(/not a URL/)
    expect(usageError(['--plex-url', 'http://localhost:1/path']).message).toMatch(/origin/)
  })

  it('prefers --plex-url to the environment', () => {
    const env = { PLEX_LOGIN_PLEX_URL: 'https://example.com' }
    expect(options(['--plex-url', 'http://localhost:9'], env).plexUrl).toBe('http://localhost:9')
  })

  it('uses https://plex.tv when neither is given, and takes an empty variable as unset', () => {
    expect(options([]).plexUrl).toBe('https://plex.tv')
    expect(options([], { PLEX_LOGIN_PLEX_URL: '' }).plexUrl).toBe('https://plex.tv')
  })
})

describe('parseAppArgs: Electron and Chromium switches', () => {
  it('passes over switches and positionals it does not know, naming the switches', () => {
    const parsed = run([
      'out/main/index.js',
      '--no-sandbox',
      '--user-data-dir=/tmp/x',
      '--inspect=0',
      '--json'
    ])
    expect(parsed.options.json).toBe(true)
    expect(parsed.ignored).toEqual(['--no-sandbox', '--user-data-dir', '--inspect'])
  })

  it('names switches that share a name with an object property too', () => {
    expect(run(['--constructor', '--toString', '--__proto__']).ignored).toEqual([
      '--constructor',
      '--toString',
      '--__proto__'
    ])
  })

  it('ignores nothing when there is nothing to ignore', () => {
    expect(run(['.', '--json', '--strong']).ignored).toEqual([])
  })
})

describe('parseAppArgs: usage errors', () => {
  it.each([
    [['--timeout', '0'], /--timeout must be a positive number of seconds, got "0"/],
    [['--timeout', 'abc'], /--timeout must be a positive number of seconds, got "abc"/],
    [['--timeout', '-5'], /--timeout needs a value/],
    [['--json', '--timeout'], /--timeout needs a value/],
    [['--output'], /--output needs a value/],
    [['--output='], /--output needs a file name/],
    [['--plex-url'], /--plex-url needs a value/],
    [['--json=yes'], /--json takes no value/],
    [['--strong=1'], /--strong takes no value/],
    [['--product', ''], /--product must be 1–100 printable ASCII characters/],
    [['--product', 'x'.repeat(101)], /--product must be 1–100 printable ASCII characters/],
    [['--product', 'Café'], /--product must be 1–100 printable ASCII characters/],
    [['--client-id', 'has space'], /--client-id must be 1–128 printable ASCII characters/],
    [['--client-id', 'x'.repeat(129)], /--client-id must be 1–128 printable ASCII characters/]
  ])('refuses %j', (argv, message) => {
    expect(usageError(argv).message).toMatch(message)
  })

  it('keeps --json and --output so the error can be reported as asked', () => {
    expect(usageError(['--json', '--output', 'a.json', '--timeout', '0'])).toEqual({
      kind: 'usage-error',
      message: '--timeout must be a positive number of seconds, got "0"',
      json: true,
      output: resolve(CWD, 'a.json')
    })
    expect(usageError(['--plex-url', 'https://example.com', '--json'])).toMatchObject({
      json: true
    })
    const plain = usageError(['--timeout', 'abc'])
    expect(plain.json).toBe(false)
    expect(plain).not.toHaveProperty('output')
    expect(usageError(['--json', '--output'])).toMatchObject({ json: true })
  })

  it('does not take the next option for the value of one that needs a value', () => {
    // strict parsing would refuse these; without it --json would become a file name.
    expect(usageError(['--output', '--json'])).toEqual({
      kind: 'usage-error',
      message: '--output needs a value',
      json: true
    })
    expect(usageError(['--timeout', '--json', '--output', 'a.json'])).toEqual({
      kind: 'usage-error',
      message: '--timeout needs a value',
      json: true,
      output: resolve(CWD, 'a.json')
    })
    expect(usageError(['--product', '--strong']).message).toBe('--product needs a value')
    // Given with =, a value may start with a dash.
    expect(options(['--output=-answer.json']).output).toBe(resolve(CWD, '-answer.json'))
  })
})
