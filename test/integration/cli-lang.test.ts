// The command in the person's language (issue 12): --lang, else LC_ALL, LC_MESSAGES, LANG. Only
// the help and stderr change; the JSON answer, error codes and exit codes stay the same.
import { readdirSync, symlinkSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { jsonOut, runPlexLogin, setup, signIn, startPlexLogin, tempDir } from './run-plex-login'

const help = async (args: string[], env?: Record<string, string>): Promise<string> => {
  const result = await runPlexLogin(['--help', ...args], { env })
  expect(result.code).toBe(0)
  return result.stdout
}
const flags = (text: string): string[] => [...new Set(text.match(/--[a-z][a-z-]*/g))].sort()

describe.concurrent('plex-login in other languages', () => {
  it('--help in German and Japanese, by --lang or by the locale; the flags stay as they are', async () => {
    const english = await help([])
    const german = await help(['--lang', 'de'])
    const japanese = await help(['--lang=ja'])

    expect(english).toContain('Sign in to Plex with a short code')
    expect(german).toContain('Bei Plex mit einem kurzen Code anmelden')
    expect(german).toContain('Exit-Codes: 0 angemeldet')
    expect(japanese).toContain('短いコードで Plex にサインインし')
    for (const text of [german, japanese]) {
      expect(text).not.toContain('Sign in to Plex')
      expect(flags(text)).toEqual(flags(english))
    }
    // The environment's language when --lang is not given: LC_ALL, then LC_MESSAGES, then LANG.
    expect(await help([], { LANG: 'de_DE.UTF-8' })).toBe(german)
    expect(await help([], { LANG: 'de_DE.UTF-8', LC_MESSAGES: 'ja_JP.UTF-8' })).toBe(japanese)
    expect(await help([], { LC_ALL: 'ja_JP.UTF-8', LC_MESSAGES: 'de_DE' })).toBe(japanese)
    expect(await help(['--lang', 'de'], { LC_ALL: 'ja_JP.UTF-8' })).toBe(german)
    // By BCP 47 rules: Swiss German is German; a language without a catalog is English.
    expect(await help(['--lang', 'de-CH'])).toBe(german)
    expect(await help([], { LANG: 'fi_FI.UTF-8' })).toBe(english)
  })

  it('a usage error on stderr in German, the same JSON answer and exit code', async (context) => {
    const storeDir = tempDir(context)
    const args = ['signin', '--json', '--store-dir', storeDir]
    const english = await runPlexLogin(args)
    const german = await runPlexLogin([...args, '--lang', 'de'])

    expect(german.code).toBe(2)
    expect(german.stdout).toBe(english.stdout)
    expect(jsonOut(german)).toEqual({
      ok: false,
      error: {
        code: 'usage',
        message: 'unknown command "signin" (use login, status, logout, profiles, servers or token)'
      }
    })
    expect(german.stderr).toBe(
      'plex-login: unbekannter Befehl "signin" (login, status, logout, profiles, servers oder ' +
        'token verwenden)\nSiehe "plex-login --help".\n'
    )
  })

  it('--profile ask with no terminal: the usage error in Japanese, the JSON in English', async (context) => {
    const args = ['login', '--profile', 'ask', '--json', '--store-dir', tempDir(context)]
    const english = await runPlexLogin(args)
    const japanese = await runPlexLogin(args, { env: { LC_MESSAGES: 'ja_JP.UTF-8' } })

    expect(japanese.code).toBe(2)
    expect(japanese.stdout).toBe(english.stdout)
    expect(jsonOut(japanese)).toMatchObject({
      error: { code: 'usage', message: expect.stringMatching(/^--profile ask needs a terminal/) }
    })
    expect(japanese.stderr).toBe(
      'plex-login: --profile ask には尋ねるためのターミナル (stdin と stderr) が必要です。' +
        '代わりに値を指定してください\n"plex-login --help" を参照してください。\n'
    )
  })

  it('a malformed --lang is a usage error, exit 2', async (context) => {
    const storeDir = tempDir(context)
    for (const lang of ['not a tag', 'x'.repeat(100), '']) {
      const result = await runPlexLogin([
        'status',
        '--json',
        '--lang',
        lang,
        '--store-dir',
        storeDir
      ])
      expect(result.code, lang).toBe(2)
      expect(jsonOut(result)).toEqual({
        ok: false,
        error: { code: 'usage', message: '--lang needs a language tag such as de, pt-BR or ar' }
      })
    }
    // Said in the locale's language, as the tag given cannot name one.
    const german = await runPlexLogin(['--lang', '??'], { env: { LANG: 'de_DE.UTF-8' } })
    expect(german.code).toBe(2)
    expect(german.stderr).toContain('--lang braucht ein Sprachkürzel')
  })

  it('signs in with Japanese on stderr and the same JSON keys; status answers byte for byte alike', async (context) => {
    const { fake, base } = await setup(context)
    const run = startPlexLogin(['--json', ...base, '--lang', 'ja'])
    // The code line keeps the code and the link as they are, around Japanese words.
    const [, code] = await run.waitForStderr(
      /https:\/\/plex\.tv\/link でコードを入力してください:\s+(\S+)/
    )
    fake.approve(code!)
    const result = await run.done

    expect(result.code).toBe(0)
    expect(Object.keys(jsonOut(result)).sort()).toEqual(
      Object.keys(jsonOut((await signIn(fake, tempDir(context))).result)).sort()
    )
    expect(result.stderr).toContain(`${fake.user.username} としてサインイン済み`)
    expect(result.stderr).not.toContain('Signed in as')

    const status = async (env: Record<string, string>, args: string[] = []) =>
      runPlexLogin(['status', '--json', ...base, ...args], { env })
    const english = await status({})
    const arabic = await status({ LANG: 'ar_EG.UTF-8' })
    const german = await status({}, ['--lang', 'de'])
    expect(english.code).toBe(0)
    expect(arabic.code).toBe(0)
    expect(german.code).toBe(0)
    expect(arabic.stdout).toBe(english.stdout)
    expect(german.stdout).toBe(english.stdout)
    expect(english.stderr).toBe(`Signed in as ${fake.user.username}\n`)
    expect(german.stderr).toBe(`Angemeldet als ${fake.user.username}\n`)
    // No bidi marks reach the terminal: the name stands as it is in the Arabic sentence.
    expect(arabic.stderr).toBe(`تم تسجيل الدخول باسم ${fake.user.username}\n`)
  })

  it('stopped by --timeout: the JSON message stays English, stderr says it in German', async (context) => {
    const { base } = await setup(context)
    const args = ['--json', ...base, '--timeout', '1']
    const english = await runPlexLogin(args)
    const german = await runPlexLogin([...args, '--lang', 'de'])

    expect(german.code).toBe(3)
    expect(german.stdout).toBe(english.stdout)
    expect(jsonOut(german)).toEqual({
      ok: false,
      error: { code: 'timeout', message: 'Gave up after 1 s (--timeout)' }
    })
    expect(german.stderr).toContain('Um dich bei Plex anzumelden, gehe zu https://plex.tv/link')
    expect(german.stderr).toContain('plex-login: Nach 1 s aufgegeben (--timeout)')
  })

  it.skipIf(process.platform === 'win32')(
    'a refused store in German on stderr, in English in the JSON answer',
    async (context) => {
      const { storeDir, base } = await setup(context)
      const file = join(storeDir, 'plex-login.json')
      symlinkSync(join(tempDir(context), 'elsewhere.json'), file)
      const args = ['status', '--json', ...base]
      const english = await runPlexLogin(args)
      const german = await runPlexLogin([...args, '--lang', 'de'])

      expect(german.code).toBe(1)
      expect(german.stdout).toBe(english.stdout)
      expect(jsonOut(german)).toEqual({
        ok: false,
        error: { code: 'store', message: `${file} is a symbolic link; refusing to use it` }
      })
      expect(german.stderr).toBe(
        `plex-login: ${file} ist ein symbolischer Link und wird deshalb nicht benutzt\n`
      )
    }
  )

  it('a corrupt store set aside and a damaged sign-in, said in Swedish', async (context) => {
    const { storeDir, base } = await setup(context)
    writeFileSync(join(storeDir, 'plex-login.json'), '{"credentials": {"token": "abc')
    const opened = await runPlexLogin(['status', ...base, '--lang', 'sv'])
    const [aside] = readdirSync(storeDir).filter((name) => name.includes('.corrupt-'))
    expect(opened.stderr).toContain(
      `Lagringen ${join(storeDir, 'plex-login.json')} gick inte att läsa; en kopia utan token ` +
        `sparades som ${join(storeDir, aside!)} och en ny lagring påbörjades.`
    )
    expect(opened.stderr).not.toMatch(/unreadable/)

    writeFileSync(join(storeDir, 'plex-login.json'), '{"credentials": "not a sign-in"}')
    const damaged = await runPlexLogin(['status', '--json', ...base, '--lang', 'sv'])
    expect(damaged.code).toBe(1)
    expect(jsonOut(damaged)).toEqual({
      ok: false,
      error: { code: 'store', message: 'The stored sign-in is damaged; sign in again' }
    })
    expect(damaged.stderr).toBe('plex-login: Den sparade inloggningen är skadad; logga in igen\n')
  })
})
