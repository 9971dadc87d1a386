// Why something failed, inside a sentence on stderr ("Could not check the sign-in: {reason}").
// The engine (src/main/plex, jwt, profiles, servers) says why in English made of a few fixed
// phrases, which the JSON answer and the log keep as they are. On stderr each phrase is said by
// the catalog: in English the very same words, in another language that language's. Anything
// else (a server's own words) is shown as it came, quoted where the language is not English.

import type { MessageKey } from '../../shared/i18n/catalogs'
import type { Translator } from '../../shared/i18n/translator'

const MAX_PHRASE_LENGTH = 600

// A name starting with `*` is itself a reason, said the same way.
type Phrase = [pattern: RegExp, key: MessageKey, names: string[]]

// test/unit/cli-reason-words.test.ts feeds these the engine's own messages.
const PHRASES: Phrase[] = [
  // plex.tv, clients.plex.tv and the JWT sign-in
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
  [/^(\S+) sent an answer not understood$/, 'cli.reason.notUnderstoodShort', ['host']],
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
  ],
  [
    /^plex\.tv's answer is not a Plex JWT this app can trust: (.+)$/,
    'cli.reason.untrustedJwt',
    ['detail']
  ],
  [/^There is no JWT sign-in here$/, 'cli.reason.noJwtHere', []],
  [
    /^plex\.tv no longer knows this device's key \((.+)\); the JWT sign-in was forgotten: sign in again with login --jwt$/,
    'cli.reason.keyUnknown',
    ['*reason']
  ],
  [/^The refresh was cancelled$/, 'cli.reason.refreshCancelled', []],
  [
    /^plex\.tv refused the device JWT: its issuer is not the client identifier the device key belongs to \(error 1097\); sign in again with login --jwt$/,
    'cli.reason.issuerMismatch',
    []
  ],
  [/^The plex\.tv address is not an http\(s\) URL$/, 'cli.reason.notHttpUrl', []],
  // The profile step
  [
    /^Several Plex Home profiles are called "(.*)": choose one by its uuid \((.*)\)$/,
    'cli.reason.profileAmbiguous',
    ['name', 'uuids']
  ],
  [/^This Plex account has no Home profiles$/, 'cli.reason.noHome', []],
  [/^No Plex Home profile is called "(.*)"$/, 'cli.reason.noSuchProfile', ['name']],
  [/^(PLEX_LOGIN_PROFILE_PIN) is not the PIN of (.+)$/, 'cli.reason.envPinWrong', ['env', 'title']],
  [/^(PLEX_LOGIN_PROFILE_PIN): (.+)$/, 'cli.reason.envPin', ['env', '*reason']],
  [
    /^(.+): set (PLEX_LOGIN_PROFILE_PIN), or run this on a terminal to type it$/,
    'cli.reason.envPinOrTerminal',
    ['*reason', 'env']
  ],
  [/^(.+) is protected by a PIN$/, 'cli.reason.pinProtected', ['title']],
  [/^A profile PIN is 4 digits$/, 'cli.reason.pinDigits', []],
  [/^Wrong profile PIN (\d+) times; try again later$/, 'cli.reason.wrongPinTooOften', ['times']],
  [/^plex\.tv refused to switch to (.+?): (.+)$/, 'cli.reason.switchRefused', ['title', '*reason']],
  [/^That is not a Plex Home profile id$/, 'cli.reason.notProfileId', []],
  [/^That PIN is not the profile’s PIN$/, 'cli.reason.notProfilePin', []],
  [/^No profile was chosen$/, 'cli.reason.noProfileChosen', []],
  [/^No PIN was chosen$/, 'cli.reason.noPinGiven', []],
  // The server step
  [/^No server was chosen$/, 'cli.reason.noServerChosen', []],
  [
    /^Several servers are called "(.*)": give its machineIdentifier$/,
    'cli.reason.serverAmbiguous',
    ['name']
  ],
  [/^No server of this account has that name or machineIdentifier$/, 'cli.reason.noSuchServer', []],
  [/^This account has no media server$/, 'cli.reason.noServer', []],
  [/^No reachable server gives this account an access token$/, 'cli.reason.noServerWithToken', []],
  [/^No server answered from this computer$/, 'cli.reason.noServerAnswered', []],
  [/^(.+) did not answer from this computer$/, 'cli.reason.serverSilent', ['name']],
  [/^plex\.tv gives no access token for (.+)$/, 'cli.reason.serverNoToken', ['name']],
  [
    /^plex\.tv gives no token (.+) would take \((.+)\)$/,
    'cli.reason.noDeviceToken',
    ['name', '*reason']
  ],
  [/^it is shared$/, 'cli.reason.sharedServer', []],
  [/^plex\.tv lists no device token for it$/, 'cli.reason.noDeviceTokenListed', []],
  [
    /^plex\.tv sent a devices list this app does not understand$/,
    'cli.reason.devicesNotUnderstood',
    []
  ]
]

/** The engine's reason said by the catalog of `t`'s language. */
export function reasonWords(message: string, t: Translator['t']): string {
  // The engine's phrases are short; a long text is a server's, and is never backtracked over.
  if (message.length > MAX_PHRASE_LENGTH) return t('cli.reason.quoted', { words: message })
  for (const [pattern, key, names] of PHRASES) {
    const match = pattern.exec(message)
    if (!match) continue
    const values = names.map((name, index) => {
      const value = match[index + 1]!
      return name.startsWith('*') ? [name.slice(1), reasonWords(value, t)] : [name, value]
    })
    return t(key, Object.fromEntries(values))
  }
  return t('cli.reason.quoted', { words: message })
}
