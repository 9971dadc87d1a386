import { describe, expect, it } from 'vitest'
import { LoginFlow } from '../../src/main/login/login-flow'
import {
  createPlexClient,
  type PlexAccount,
  type PlexClient,
  type PlexResult
} from '../../src/main/plex/plex-client'
import {
  errorWording,
  failureKind,
  formatWait,
  stepFailedMessage
} from '../../src/shared/error-wording'
import { translatorFor } from '../../src/shared/i18n/translator'

const NOW = 1_000_000

const DEVICE = {
  product: 'Test',
  version: '1',
  platform: 'Linux',
  platformVersion: '6',
  device: 'Linux',
  deviceName: 'host'
}

// The engine's real messages, from the real client answering `reply`: the wording must keep
// recognising them if their text changes.
async function clientMessage(reply: () => Response | Promise<Response>): Promise<string> {
  const client = createPlexClient({
    clientIdentifier: 'client-1',
    device: DEVICE,
    baseUrl: 'https://plex.tv',
    fetch: (async () => reply()) as unknown as typeof fetch
  })
  const result = await client.createPin(false)
  if (result.ok) throw new Error('expected a failure')
  return result.message
}

const ACCOUNT: PlexAccount = {
  id: 1,
  uuid: 'u',
  username: 'alice',
  title: 'Alice',
  email: 'a@example.com',
  thumb: ''
}

// The flow's own messages once a code is approved: the account read or the save failing.
async function flowMessage(
  getAccount: () => PlexResult<{ account: PlexAccount }>,
  save: () => void = () => {}
): Promise<string> {
  const pin = { id: 1, code: 'K7QZ', expiresIn: 900, authToken: null }
  const client: PlexClient = {
    clientIdentifier: 'client-1',
    device: DEVICE,
    createPin: async () => ({ ok: true, pin }),
    getPin: async () => ({ ok: true, pin: { ...pin, authToken: 'token-1' } }),
    getAccount: async () => getAccount(),
    signOut: async () => ({ ok: true })
  }
  const flow = new LoginFlow({ client, pollIntervalMs: 1, saveCredentials: save })
  const outcome = await flow.start()
  if (outcome.ok) throw new Error('expected a failure')
  return outcome.message
}

describe('error wording', () => {
  it('recognises each kind of failure from the engine’s own messages', async () => {
    const json = (status: number, body: unknown): Response =>
      new Response(JSON.stringify(body), {
        status,
        headers: { 'content-type': 'application/json' }
      })
    expect(
      failureKind(await clientMessage(() => Promise.reject(new TypeError('fetch failed'))))
    ).toBe('offline')
    const timeout = new DOMException('timed out', 'TimeoutError')
    expect(failureKind(await clientMessage(() => Promise.reject(timeout)))).toBe('offline')
    expect(failureKind(await clientMessage(() => json(503, {})))).toBe('busy')
    expect(failureKind(await clientMessage(() => json(429, {})))).toBe('busy')
    expect(failureKind(await clientMessage(() => json(201, { not: 'a pin' })))).toBe('busy')
    expect(
      failureKind(await clientMessage(() => json(400, { errors: [{ message: 'Nope' }] })))
    ).toBe('stopped')
    expect(failureKind(await clientMessage(() => json(403, {})))).toBe('stopped')
    // plex.tv's own words on a 429 could be anything: only the footnote says what they were.
    const limited = { errors: [{ code: 1003, message: 'API rate limit exceeded' }] }
    expect(failureKind(await clientMessage(() => json(429, limited)))).toBe('stopped')

    const forbidden = { ok: false, kind: 'rejected', status: 403, message: 'Forbidden' } as const
    expect(failureKind(await flowMessage(() => forbidden))).toBe('account')
    const unsaved = await flowMessage(
      () => ({ ok: true, account: ACCOUNT }),
      () => {
        throw new Error('EACCES')
      }
    )
    expect(failureKind(unsaved)).toBe('store')
  })

  it('while retrying: says when the next try is, and offers nothing to press', () => {
    expect(
      errorWording(
        { phase: 'error', message: 'plex.tv is limiting requests', retryAt: NOW + 30_000 },
        NOW
      )
    ).toEqual({
      sentence: 'plex.tv is busy; trying again in 30\u00a0s.',
      advice: 'Your code shows here as soon as plex.tv sends one.'
    })
    expect(
      errorWording(
        { phase: 'error', message: 'Could not reach plex.tv', retryAt: NOW + 1_500 },
        NOW
      )
    ).toEqual({
      sentence: 'plex.tv cannot be reached; trying again in 2\u00a0s.',
      advice: 'Check that this computer is online.'
    })
  })

  it('once it gives up: a sentence and what to do, never the raw text as the sentence', () => {
    const final = (message: string) => errorWording({ phase: 'error', message }, NOW)
    expect(final('plex.tv is not answering properly (HTTP 503)').sentence).toBe(
      'plex.tv is too busy to answer right now.'
    )
    expect(final('Approved, but the account could not be read: Forbidden').sentence).not.toContain(
      'Forbidden'
    )
    const refused = final('Bad Request')
    expect(refused.sentence).toBe('plex.tv stopped the sign-in.')
    expect(refused.advice).toBe('Wait a moment, then try again.')
    expect(refused.plexSaid).toBe('Bad Request')
    expect(final('Could not reach plex.tv').plexSaid).toBeUndefined()
  })

  it('keeps plex.tv’s own words to one short, clean line', () => {
    const hostile = `\u001b]52;c;ZXZpbA==\u0007Denied\u202e${'x'.repeat(300)}`
    const said = errorWording({ phase: 'error', message: hostile }, NOW).plexSaid ?? ''
    expect(said.startsWith('Denied x')).toBe(true)
    expect([...said].every((c) => c >= ' ' && c !== '\u202e')).toBe(true)
    expect([...said].length).toBeLessThanOrEqual(120)
  })

  it('words a failed profile or server step as that, after a sign-in that worked', () => {
    const failed = (code: string, message: string) =>
      errorWording({ phase: 'error', message: stepFailedMessage(code, message) }, NOW)
    expect(failed('server', 'No server answered from this computer')).toEqual({
      sentence: 'Signed in, but no server could be chosen.',
      advice: 'Try again.',
      reason: 'No server answered from this computer'
    })
    expect(failed('profile', 'Wrong profile PIN 5 times; try again later')).toEqual({
      sentence: 'Signed in, but the profile could not be switched to.',
      advice: 'Try again.',
      reason: 'Wrong profile PIN 5 times; try again later'
    })
    // Reading the Home or the servers failed: plex.tv's words are the engine's, not a refusal.
    expect(failureKind(stepFailedMessage('unavailable', 'Could not reach plex.tv'))).toBe('steps')
    const german = errorWording(
      { phase: 'error', message: stepFailedMessage('server', 'No server') },
      NOW,
      translatorFor('de')
    )
    expect(german.sentence).toBe('Angemeldet, aber es konnte kein Server ausgewählt werden.')
    // Which, and why, in the same language; a name from plex.tv comes cleaned.
    const home = errorWording(
      {
        phase: 'error',
        message: stepFailedMessage(
          'unavailable',
          'Could not read the account of Al\u202eex: Could not reach clients.plex.tv'
        )
      },
      NOW,
      translatorFor('de', { isolateValues: false })
    )
    expect(home.reason).toBe(
      'Das Konto von Al ex konnte nicht gelesen werden: clients.plex.tv ist nicht erreichbar'
    )
  })

  it('counts the wait in seconds, then in minutes, never below 1 s', () => {
    expect(formatWait(0)).toBe('1\u00a0s')
    expect(formatWait(29_001)).toBe('30\u00a0s')
    expect(formatWait(90_000)).toBe('90\u00a0s')
    expect(formatWait(90_001)).toBe('2\u00a0min')
    expect(formatWait(30 * 60_000)).toBe('30\u00a0min')
  })
})
