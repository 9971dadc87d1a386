// The engine's reasons inside stderr's sentences (issue 12): English stays word for word what the
// engine said (the JSON answer's words); another language says the same phrase in its own words.
// The reasons come from the engine itself, so a reworded engine phrase fails here.
import { describe, expect, it } from 'vitest'
import { reasonWords } from '../../src/main/cli/reason-words'
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
  })
})
