// Why something failed, as a person reads it: inside a sentence on the command's stderr ("Could
// not check the sign-in: {reason}"), or under a failed step in the window. The engine (src/main:
// plex, jwt, profiles, servers, login) says why in English made of a few fixed phrases, which the
// JSON answer and the log keep as they are. Here each phrase is said by the catalog: in English
// the very same words, in another language that language's. Anything else (a server's own
// words) is shown as it came, quoted where the language is not English.

import type { MessageKey } from './i18n/catalogs'
import type { Translator } from './i18n/translator'

const MAX_PHRASE_LENGTH = 600

// A name starting with `*` is itself a reason, said the same way.
type Phrase = [pattern: RegExp, key: MessageKey, names: string[]]

// test/unit/reason-words.test.ts feeds these the engine's own messages.
const PHRASES: Phrase[] = [
  // plex.tv, clients.plex.tv and the JWT sign-in
  [/^Could not reach (\S+)$/, 'reason.unreachable', ['host']],
  [/^(\S+) did not answer in time$/, 'reason.timeout', ['host']],
  [/^(\S+) is limiting requests$/, 'reason.limiting', ['host']],
  [/^(\S+) is not answering properly \(HTTP (\d+)\)$/, 'reason.notAnswering', ['host', 'status']],
  [/^(\S+) refused the request \(HTTP (\d+)\)$/, 'reason.refused', ['host', 'status']],
  [/^(\S+) sent an answer this app does not understand$/, 'reason.notUnderstood', ['host']],
  [/^(\S+) sent an answer not understood$/, 'reason.notUnderstoodShort', ['host']],
  [/^(\S+) sent an answer that is too large$/, 'reason.tooLarge', ['host']],
  [/^(\S+) answered with a redirect to an unknown place$/, 'reason.redirectUnknown', ['host']],
  [/^(\S+) answered with a redirect to (\S+)$/, 'reason.redirect', ['host', 'target']],
  [/^The stored token has characters a header cannot carry$/, 'reason.badToken', []],
  [/^The stored sign-in has characters a header cannot carry$/, 'reason.badSignIn', []],
  [/^the stored sign-in was damaged$/, 'reason.damaged', []],
  [/^the stored JWT sign-in was damaged$/, 'reason.jwtDamaged', []],
  [/^the stored token could not be read back$/, 'reason.unreadable', []],
  [/^plex\.tv is limiting refreshes; try again in (\d+) s$/, 'reason.limitingRefresh', ['seconds']],
  [/^plex\.tv published no usable signing key$/, 'reason.noSigningKey', []],
  [/^plex\.tv issued a JWT valid until (\S+), not as long as asked$/, 'reason.shortJwt', ['until']],
  [
    /^plex\.tv's answer is not a Plex JWT this app can trust: (.+)$/,
    'reason.untrustedJwt',
    ['detail']
  ],
  [/^There is no JWT sign-in here$/, 'reason.noJwtHere', []],
  [
    /^plex\.tv no longer knows this device's key \((.+)\); the JWT sign-in was forgotten: sign in again with login --jwt$/,
    'reason.keyUnknown',
    ['*reason']
  ],
  [/^The refresh was cancelled$/, 'reason.refreshCancelled', []],
  [
    /^plex\.tv refused the device JWT: its issuer is not the client identifier the device key belongs to \(error 1097\); sign in again with login --jwt$/,
    'reason.issuerMismatch',
    []
  ],
  [/^The plex\.tv address is not an http\(s\) URL$/, 'reason.notHttpUrl', []],
  // The profile step
  [
    /^Several Plex Home profiles are called "(.*)": choose one by its uuid \((.*)\)$/,
    'reason.profileAmbiguous',
    ['name', 'uuids']
  ],
  [/^This Plex account has no Home profiles$/, 'reason.noHome', []],
  [/^No Plex Home profile is called "(.*)"$/, 'reason.noSuchProfile', ['name']],
  [/^(PLEX_LOGIN_PROFILE_PIN) is not the PIN of (.+)$/, 'reason.envPinWrong', ['env', 'title']],
  [/^(PLEX_LOGIN_PROFILE_PIN): (.+)$/, 'reason.envPin', ['env', '*reason']],
  [
    /^(.+): set (PLEX_LOGIN_PROFILE_PIN), or run this on a terminal to type it$/,
    'reason.envPinOrTerminal',
    ['*reason', 'env']
  ],
  [/^(.+) is protected by a PIN$/, 'reason.pinProtected', ['title']],
  [/^A profile PIN is 4 digits$/, 'reason.pinDigits', []],
  [/^Wrong profile PIN (\d+) times; try again later$/, 'reason.wrongPinTooOften', ['times']],
  [/^plex\.tv refused to switch to (.+?): (.+)$/, 'reason.switchRefused', ['title', '*reason']],
  [/^That is not a Plex Home profile id$/, 'reason.notProfileId', []],
  [/^That PIN is not the profile’s PIN$/, 'reason.notProfilePin', []],
  [/^No profile was chosen$/, 'reason.noProfileChosen', []],
  [/^No PIN was chosen$/, 'reason.noPinGiven', []],
  // Reading what the steps choose from
  [/^Could not read the Plex Home profiles: (.+)$/, 'cli.profiles.readFailed', ['*reason']],
  [/^Could not read this account's servers: (.+)$/, 'cli.servers.readFailed', ['*reason']],
  [/^Could not read the account of (.+?): (.+)$/, 'reason.accountOfFailed', ['title', '*reason']],
  // The server step
  [/^No server was chosen$/, 'reason.noServerChosen', []],
  [
    /^Several servers are called "(.*)": give its machineIdentifier$/,
    'reason.serverAmbiguous',
    ['name']
  ],
  [/^No server of this account has that name or machineIdentifier$/, 'reason.noSuchServer', []],
  [/^This account has no media server$/, 'reason.noServer', []],
  [/^No reachable server gives this account an access token$/, 'reason.noServerWithToken', []],
  [/^No server answered from this computer$/, 'reason.noServerAnswered', []],
  [/^(.+) did not answer from this computer$/, 'reason.serverSilent', ['name']],
  [/^plex\.tv gives no access token for (.+)$/, 'reason.serverNoToken', ['name']],
  [
    /^plex\.tv gives no token (.+) would take \((.+)\)$/,
    'reason.noDeviceToken',
    ['name', '*reason']
  ],
  [/^it is shared$/, 'reason.sharedServer', []],
  [/^plex\.tv lists no device token for it$/, 'reason.noDeviceTokenListed', []],
  [/^plex\.tv sent a devices list this app does not understand$/, 'reason.devicesNotUnderstood', []]
]

/** The engine's reason said by the catalog of `t`'s language. */
export function reasonWords(message: string, t: Translator['t']): string {
  // The engine's phrases are short; a long text is a server's, and is never backtracked over.
  if (message.length > MAX_PHRASE_LENGTH) return t('reason.quoted', { words: message })
  for (const [pattern, key, names] of PHRASES) {
    const match = pattern.exec(message)
    if (!match) continue
    const values = names.map((name, index) => {
      const value = match[index + 1]!
      return name.startsWith('*') ? [name.slice(1), reasonWords(value, t)] : [name, value]
    })
    return t(key, Object.fromEntries(values))
  }
  return t('reason.quoted', { words: message })
}
