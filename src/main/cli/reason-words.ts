// Why something failed, inside a sentence on stderr ("Could not check the sign-in: {reason}").
// The engine (src/main/plex, jwt, profiles, servers) says why in English made of a few fixed
// phrases, which the JSON answer and the log keep as they are. On stderr each phrase is said by
// the catalog: in English the very same words, in another language that language's. Anything
// else (a server's own words) is shown as it came, quoted where the language is not English.

import type { MessageKey } from '../../shared/i18n/catalogs'
import type { Translator } from '../../shared/i18n/translator'

type Phrase = [pattern: RegExp, key: MessageKey, names: string[]]

// test/unit/cli-reason-words.test.ts feeds these the engine's own messages.
const PHRASES: Phrase[] = [
  [/^Could not reach (\S+)$/, 'cli.reason.unreachable', ['host']],
  [/^(\S+) did not answer in time$/, 'cli.reason.timeout', ['host']],
  [/^(\S+) is limiting requests$/, 'cli.reason.limiting', ['host']],
  [
    /^(\S+) is not answering properly \(HTTP (\d+)\)$/,
    'cli.reason.notAnswering',
    ['host', 'status']
  ],
  [/^(\S+) refused the request \(HTTP (\d+)\)$/, 'cli.reason.refused', ['host', 'status']],
  [/^(\S+) sent an answer this app does not understand$/, 'cli.reason.notUnderstood', ['host']],
  [/^(\S+) sent an answer that is too large$/, 'cli.reason.tooLarge', ['host']],
  [/^(\S+) answered with a redirect to an unknown place$/, 'cli.reason.redirectUnknown', ['host']],
  [/^(\S+) answered with a redirect to (\S+)$/, 'cli.reason.redirect', ['host', 'target']],
  [/^The stored token has characters a header cannot carry$/, 'cli.reason.badToken', []],
  [/^The stored sign-in has characters a header cannot carry$/, 'cli.reason.badSignIn', []],
  [/^the stored sign-in was damaged$/, 'cli.reason.damaged', []],
  [/^the stored JWT sign-in was damaged$/, 'cli.reason.jwtDamaged', []],
  [/^the stored token could not be read back$/, 'cli.reason.unreadable', []],
  [
    /^plex\.tv is limiting refreshes; try again in (\d+) s$/,
    'cli.reason.limitingRefresh',
    ['seconds']
  ],
  [/^plex\.tv published no usable signing key$/, 'cli.reason.noSigningKey', []],
  [
    /^plex\.tv issued a JWT valid until (\S+), not as long as asked$/,
    'cli.reason.shortJwt',
    ['until']
  ]
]

/** The engine's reason said by the catalog of `t`'s language. */
export function reasonWords(message: string, t: Translator['t']): string {
  for (const [pattern, key, names] of PHRASES) {
    const match = pattern.exec(message)
    if (!match) continue
    return t(key, Object.fromEntries(names.map((name, index) => [name, match[index + 1]!])))
  }
  return t('cli.reason.quoted', { words: message })
}
