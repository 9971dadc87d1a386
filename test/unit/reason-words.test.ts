// The engine's reasons inside stderr's sentences (issue 12): English stays word for word what the
// engine said (the JSON answer's words); another language says the same phrase in its own words.
// The reasons come from the engine itself, so a reworded engine phrase fails here.
import { describe, expect, it } from 'vitest'
import { failureText } from '../../src/main/cli/failure-text'
import { PROFILE_PIN_ENV } from '../../src/main/cli/login-steps'
import { reasonWords } from '../../src/shared/reason-words'
import type { HomeProfile } from '../../src/main/profiles/home-users'
import { findProfile } from '../../src/main/profiles/profile-step'
import { findServer, pickServer } from '../../src/main/servers/pick-server'
import type { ProbedServer } from '../../src/main/servers/probe-servers'
import { deviceInfo } from '../../src/main/plex/device-info'
import { createPlexClient } from '../../src/main/plex/plex-client'
import { listServers } from '../../src/main/servers/plex-resources'
import { LANGUAGES } from '../../src/shared/i18n/languages'
import { translatorFor } from '../../src/shared/i18n/translator'

const DEVICE = deviceInfo('Reason Test', '1.0.0')
const english = translatorFor('en', { isolateValues: false }).t

type Answer = Response | (() => never)
const answers: [label: string, answer: Answer][] = [
  [
    'no connection',
    () => {
      throw new TypeError('fetch failed')
    }
  ],
  [
    'a timeout',
    () => {
      throw new DOMException('timed out', 'TimeoutError')
    }
  ],
  ['HTTP 503', new Response('busy', { status: 503 })],
  ['HTTP 429 without words', new Response('', { status: 429 })],
  ['HTTP 403 without words', new Response('', { status: 403 })],
  ['not JSON', new Response('<html>', { status: 200 })],
  ['a redirect', new Response(null, { status: 302, headers: { location: 'https://evil.test/x' } })],
  ['a redirect to nowhere', new Response(null, { status: 302 })]
]

const fetchAnswering = (answer: Answer) =>
  (async () => (typeof answer === 'function' ? answer() : answer.clone())) as typeof fetch

async function engineReasons(answer: Answer): Promise<string[]> {
  const client = createPlexClient({
    clientIdentifier: 'reason-test',
    device: DEVICE,
    fetch: fetchAnswering(answer)
  })
  const account = await client.getAccount('token')
  const servers = await listServers({
    fetch: fetchAnswering(answer),
    token: 'token',
    clientIdentifier: 'reason-test',
    device: DEVICE
  })
  return [account, servers].map((result) => (result.ok ? 'ok' : result.message))
}

describe('reasons said on stderr', () => {
  it.each(answers)(
    '%s: English as the engine said it; every language in its own words',
    async (_label, answer) => {
      for (const reason of await engineReasons(answer)) {
        expect(reasonWords(reason, english)).toBe(reason)
        for (const language of LANGUAGES.filter((tag) => tag !== 'en')) {
          const { t } = translatorFor(language, { isolateValues: false })
          const said = reasonWords(reason, t)
          // Said in a phrase of that language, not quoted as it came.
          expect(said).not.toContain(reason)
          const host = /(?:plex\.tv|clients\.plex\.tv|evil\.test)/.exec(reason)?.[0]
          if (host) expect(said).toContain(host)
        }
      }
    }
  )

  it.each([
    "plex.tv no longer knows this device's key (plex.tv refused the request (HTTP 401)); the JWT sign-in was forgotten: sign in again with login --jwt",
    'There is no JWT sign-in here',
    'The refresh was cancelled',
    'plex.tv refused the device JWT: its issuer is not the client identifier the device key belongs to (error 1097); sign in again with login --jwt',
    'The plex.tv address is not an http(s) URL',
    'clients.plex.tv sent an answer not understood',
    'plex.tv published no usable signing key',
    'plex.tv issued a JWT valid until 2026-12-08T00:00:00.000Z, not as long as asked'
  ])(
    'the JWT sign-in’s and clients.plex.tv’s reason %j: English as it is, no English in German',
    (reason) => {
      expect(reasonWords(reason, english)).toBe(reason)
      const said = reasonWords(reason, translatorFor('de', { isolateValues: false }).t)
      expect(said).not.toMatch(
        /\b(?:the|refused|answer|sign-in|cancelled|address|published|issued)\b/
      )
    }
  )

  it('keeps the stored sign-in’s own reasons apart from the JWT one', () => {
    const { t } = translatorFor('de', { isolateValues: false })
    expect(reasonWords('the stored sign-in was damaged', t)).toBe(
      'die gespeicherte Anmeldung war beschädigt'
    )
    expect(reasonWords('the stored JWT sign-in was damaged', t)).toBe(
      'die gespeicherte JWT-Anmeldung war beschädigt'
    )
    expect(reasonWords('plex.tv is limiting refreshes; try again in 30 s', t)).toBe(
      'plex.tv begrenzt das Erneuern; versuche es in 30 s noch einmal'
    )
  })

  it('quotes a server’s own words as they came, in the language’s quotation marks', () => {
    const words = 'Token is not valid for this resource'
    expect(reasonWords(words, english)).toBe(words)
    expect(reasonWords(words, translatorFor('de').t)).toBe(`„${words}“`)
    expect(reasonWords(words, translatorFor('ja').t)).toBe(`「${words}」`)
    // Too long to be one of the engine's phrases: quoted, never matched (nor backtracked over).
    const long = `${'x'.repeat(700)} is protected by a PIN`
    expect(reasonWords(long, translatorFor('de').t)).toBe(`„${long}“`)
  })
})

const profile = (title: string, uuid: string): HomeProfile => ({
  uuid,
  title,
  admin: false,
  restricted: false,
  protected: true
})
const server = (name: string, reachable: boolean, accessToken: string | null): ProbedServer => {
  const test = {
    uri: `https://${name}.test:32400`,
    local: false,
    relay: false,
    https: true,
    rank: 2,
    state: reachable ? ('reachable' as const) : ('failed' as const),
    latencyMs: reachable ? 10 : null
  }
  return {
    resource: {
      name,
      machineIdentifier: `id-${name}`,
      owned: true,
      owner: null,
      accessToken,
      httpsRequired: false,
      publicAddressMatches: true,
      connections: []
    },
    choice: { chosen: reachable ? test : null, tests: [test], searching: false }
  }
}
const failed = (result: { ok: boolean; message?: string }): string => {
  if (result.ok || result.message === undefined) throw new Error('expected a failure')
  return result.message
}

// What the profile and server steps stop with, from the engine itself where it can be called.
const stepReasons = (): string[] => {
  const twins = [profile('Kids', 'u-1'), profile('kids', 'u-2')]
  return [
    failed(findProfile(twins, 'KIDS')),
    failed(findProfile([], 'Alex')),
    failed(findProfile(twins, 'Alex')),
    failed(findServer([server('Den', true, 't'), server('den', true, 't')], 'DEN')),
    failed(findServer([server('Den', true, 't')], 'Attic')),
    failed(pickServer([], 'auto')),
    failed(pickServer([server('Den', false, 't')], 'auto')),
    failed(pickServer([server('Den', true, null)], 'auto')),
    failed(pickServer([server('Den', false, 't')], 'Den')),
    failed(pickServer([server('Den', true, null)], 'Den')),
    // Worded in profile-step.ts, switch-profile.ts, login-steps.ts and after-sign-in.ts
    'Alex is protected by a PIN',
    'Wrong profile PIN 5 times; try again later',
    'plex.tv refused to switch to Alex: plex.tv is limiting requests',
    `${PROFILE_PIN_ENV} is not the PIN of Alex`,
    `${PROFILE_PIN_ENV}: A profile PIN is 4 digits`,
    `Alex is protected by a PIN: set ${PROFILE_PIN_ENV}, or run this on a terminal to type it`,
    'No profile was chosen',
    'No PIN was chosen',
    'No server was chosen',
    'plex.tv gives no token Den would take (it is shared)',
    'plex.tv gives no token Den would take (plex.tv lists no device token for it)'
  ]
}

describe('a failed step on stderr', () => {
  it('is said word for word in English, and in every language without English words', () => {
    const reasons = stepReasons()
    for (const reason of reasons) expect(reasonWords(reason, english)).toBe(reason)
    for (const language of LANGUAGES.filter((tag) => tag !== 'en')) {
      const { t } = translatorFor(language, { isolateValues: false })
      for (const reason of reasons) {
        const said = reasonWords(reason, t)
        // Not quoted as it came: neither the whole nor a part (a nested reason) was left English.
        expect(said, `${language}: ${reason}`).not.toMatch(/[“„«「”‘](?:[A-Z][a-z]+ ){2}/)
        expect(said, `${language}: ${reason}`).not.toContain(reason)
        for (const name of ['Alex', 'KIDS', 'Den', 'u-1, u-2', PROFILE_PIN_ENV])
          if (reason.includes(name)) expect(said).toContain(name)
      }
    }
  })

  it('names what failed and why, after the window’s sentence and before its advice', () => {
    const de = translatorFor('de', { isolateValues: false })
    expect(
      failureText('server', 'No server of this account has that name or machineIdentifier', de)
    ).toBe(
      'Angemeldet, aber es konnte kein Server ausgewählt werden. ' +
        'Kein Server dieses Kontos hat diesen Namen oder machineIdentifier.'
    )
    expect(failureText('profile', `${PROFILE_PIN_ENV} is not the PIN of Alex`, de)).toContain(
      `${PROFILE_PIN_ENV} ist nicht die PIN von Alex.`
    )
  })
})
