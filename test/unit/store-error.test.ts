// Store problems are data, said in English for the JSON answer and the log, and in the person's
// language on the command's stderr (issue 12).
import { describe, expect, it } from 'vitest'
import {
  StoreError,
  storeProblem,
  storeProblemText,
  type StoreProblem
} from '../../src/main/store/store-error'
import { LANGUAGES } from '../../src/shared/i18n/languages'
import { translatorFor } from '../../src/shared/i18n/translator'

const PROBLEMS: StoreProblem[] = [
  { kind: 'folder', directory: '/s', reason: 'symlink' },
  { kind: 'folder', directory: '/s', reason: 'otherUser' },
  { kind: 'folder', directory: '/s', reason: 'inTheWay' },
  { kind: 'folder', directory: '/s', reason: 'permission' },
  { kind: 'folder', directory: '/s', reason: 'readOnly' },
  { kind: 'folder', directory: '/s', reason: 'noSpace' },
  { kind: 'folder', directory: '/s', reason: { system: 'EIO: i/o error' } },
  { kind: 'symlink', path: '/s/f' },
  { kind: 'notRegular', path: '/s/f' },
  { kind: 'otherUser', path: '/s/f' },
  { kind: 'notValid', path: '/s/f' },
  { kind: 'tooLarge', path: '/s/f' },
  { kind: 'inUse', lockPath: '/s/f.lock' },
  { kind: 'clientIdDamaged' },
  { kind: 'signInDamaged' },
  { kind: 'jwtDamaged' },
  { kind: 'jwtDeviceElsewhere', origin: 'https://plex.tv' },
  { kind: 'jwtKeyUnreadable' },
  { kind: 'jwtDeviceReplaced' },
  { kind: 'setAside', path: '/s/f', aside: '/s/f.corrupt-1' }
]

// The files and origins a problem names, which every language names as they are.
const paths = (problem: StoreProblem): string[] =>
  Object.values(problem).filter((value): value is string => /^(\/|https:)/.test(String(value)))

describe('store problems', () => {
  it('read in English as the messages programs and the log have always had', () => {
    expect(PROBLEMS.map((problem) => storeProblemText(problem))).toEqual([
      'Cannot use the store in /s: it is a symbolic link; refusing to use it',
      'Cannot use the store in /s: it belongs to another user; refusing to use it',
      'Cannot use the store in /s: a file is in the way',
      'Cannot use the store in /s: permission denied',
      'Cannot use the store in /s: read-only file system',
      'Cannot use the store in /s: no space left on the device',
      'Cannot use the store in /s: EIO: i/o error',
      '/s/f is a symbolic link; refusing to use it',
      '/s/f is not a regular file; refusing to use it',
      '/s/f belongs to another user; refusing to use it',
      '/s/f is not a valid store',
      '/s/f is too large to be a store',
      'The store is in use by another process (/s/f.lock); try again',
      'The stored client identifier is damaged; remove the store (or pass --store-dir) to start afresh',
      'The stored sign-in is damaged; sign in again',
      'The stored JWT sign-in is damaged; sign in again with login --jwt',
      'A JWT device is kept here for https://plex.tv; sign out there first (logout --jwt --plex-url https://plex.tv)',
      'The JWT device key cannot be read now (the keyring refused, or it was encrypted on another computer); try again, or start over with logout --jwt',
      'The JWT device was replaced while signing in; sign in again',
      'The store at /s/f was unreadable; a copy without its token was kept as /s/f.corrupt-1 and a new store started.'
    ])
  })

  it.each(LANGUAGES.filter((language) => language !== 'en'))(
    'are all said in %s, naming the same files',
    (language) => {
      const translator = translatorFor(language, { isolateValues: false })
      for (const problem of PROBLEMS) {
        const text = storeProblemText(problem, translator)
        expect(text).not.toBe(storeProblemText(problem))
        for (const path of paths(problem)) expect(text).toContain(path)
      }
    }
  )

  it('are what a StoreError carries, and what an OS error becomes', () => {
    const error = new StoreError({ kind: 'inUse', lockPath: '/l' })
    expect(error.message).toBe(storeProblemText(error.problem))
    expect(storeProblem('/d', error)).toBe(error.problem)
    const errno = (code: string) => Object.assign(new Error(`${code}: oops`), { code })
    expect(storeProblem('/d', errno('EROFS'))).toEqual({
      kind: 'folder',
      directory: '/d',
      reason: 'readOnly'
    })
    // An unknown code, even one that names an Object property, keeps the OS's own words.
    expect(storeProblem('/d', errno('constructor'))).toEqual({
      kind: 'folder',
      directory: '/d',
      reason: { system: 'constructor: oops' }
    })
  })
})
