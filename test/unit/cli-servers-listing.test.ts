// The `servers` listing on stderr (issue 12): why an address failed is worded by the catalogs
// from the engine's code, so German reads German and English reads as it always has.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { serversCommand, serverListing } from '../../src/main/cli/servers-command'
import { createPlexClient } from '../../src/main/plex/plex-client'
import type { ConnectionFailure, ConnectionTest } from '../../src/main/servers/choose-connection'
import type { ProbedServer } from '../../src/main/servers/probe-servers'
import { CredentialStore } from '../../src/main/store/credential-store'
import { openJsonFileStorage } from '../../src/main/store/json-file-storage'
import { translatorFor } from '../../src/shared/i18n/translator'
import { FakeMediaServers, refusedPort } from '../fake-media-server/fake-media-server'
import { fakePlexResources, loopbackConnection } from '../fake-plex/fake-plex-resources'
import { startFakePlex, type FakePlex } from '../fake-plex/fake-plex-server'
import { TEST_ACCOUNT, TEST_DEVICE } from './fixtures'

const ID = 'aaaa0000000000000000000000000000000000own'
const TOKEN = 'listing-account-token'

const english = translatorFor('en', { isolateValues: false }).t
const german = translatorFor('de', { isolateValues: false }).t

// What the engine said in English before it gave codes: English output must not change.
const OLD_WORDS: [ConnectionFailure, string, string][] = [
  [{ code: 'unsendable-client-id' }, 'the client identifier cannot be sent', 'die Client-Kennung'],
  [{ code: 'stopped' }, 'stopped', 'gestoppt'],
  [{ code: 'redirect' }, 'answered with a redirect', 'antwortete mit einer Weiterleitung'],
  [{ code: 'too-large' }, 'answered with something too large', 'antwortete mit etwas zu Großem'],
  [{ code: 'timeout' }, 'did not answer in time', 'antwortete nicht rechtzeitig'],
  [{ code: 'no-connection' }, 'could not connect', 'keine Verbindung möglich'],
  [{ code: 'http', status: 503 }, 'answered HTTP 503', 'antwortete mit HTTP 503'],
  [{ code: 'not-plex' }, 'is not a Plex Media Server', 'ist kein Plex Media Server'],
  [{ code: 'other-server' }, 'is a different server', 'ist ein anderer Server'],
  [{ code: 'cancelled' }, 'cancelled', 'abgebrochen'],
  [
    { code: 'not-needed' },
    'not needed: a better connection answered',
    'nicht nötig: eine bessere Verbindung hat geantwortet'
  ]
]

function failedTest(n: number, failure?: ConnectionFailure): ConnectionTest {
  return {
    uri: `http://10.0.0.${n}:32400`,
    local: true,
    relay: false,
    https: false,
    rank: 1,
    state: failure ? 'failed' : 'probing',
    latencyMs: null,
    ...(failure ? { failure } : {})
  }
}

function serverWith(tests: ConnectionTest[]): ProbedServer {
  const resource = {
    name: 'Own',
    machineIdentifier: ID,
    owned: true,
    owner: null,
    accessToken: 'server-token',
    httpsRequired: false,
    publicAddressMatches: true,
    connections: []
  }
  return { resource, choice: { chosen: null, tests, searching: false } }
}

describe('servers listing: why an address failed', () => {
  const server = serverWith(OLD_WORDS.map(([failure], i) => failedTest(i, failure)))
  const addressLines = (text: string) => text.split('\n').slice(1)

  it('in English, word for word what the engine used to say', () => {
    expect(addressLines(serverListing(server, english))).toEqual(
      OLD_WORDS.map(([, words], i) => `  - http://10.0.0.${i}:32400  local  ${words}`)
    )
  })

  it('in German, from the catalog, with no English reason left', () => {
    const lines = addressLines(serverListing(server, german))
    expect(lines).toHaveLength(OLD_WORDS.length)
    OLD_WORDS.forEach(([, words, deutsch], i) => {
      expect(lines[i]).toMatch(new RegExp(`^  - http://10\\.0\\.0\\.${i}:32400  lokal  `))
      expect(lines[i]).toContain(deutsch)
      expect(lines[i]).not.toContain(words)
    })
  })

  it('a status is a code, never grouped like a number', () => {
    const server = serverWith([failedTest(1, { code: 'http', status: 12345 })])
    expect(serverListing(server, german)).toContain('HTTP 12345')
    expect(serverListing(server, english)).toContain('HTTP 12345')
  })

  it('an address without a result says so from the catalog, not the engine’s state', () => {
    expect(serverListing(serverWith([failedTest(1)]), german)).toContain('kein Ergebnis')
    expect(serverListing(serverWith([failedTest(1)]), english)).toContain('no result')
    expect(serverListing(serverWith([failedTest(1)]), english)).not.toContain('probing')
  })
})

describe('plex-login servers on stderr', () => {
  const media = new FakeMediaServers()
  let cleanup: (() => Promise<void>) | undefined
  afterEach(async () => {
    await media.closeAll()
    await cleanup?.()
  })

  async function listIn(t: typeof english, plex: FakePlex, dir: string): Promise<string[]> {
    const client = createPlexClient({
      baseUrl: plex.url,
      clientIdentifier: 'listing-client',
      device: TEST_DEVICE
    })
    const store = new CredentialStore(
      openJsonFileStorage(dir, () => {}),
      { origin: plex.url }
    )
    await store.save(TOKEN, TEST_ACCOUNT)
    const said: string[] = []
    const outcome = await serversCommand({
      client,
      store,
      fetch,
      clientsUrl: plex.url,
      device: TEST_DEVICE,
      say: (line) => said.push(line),
      t,
      signal: new AbortController().signal
    })
    expect(outcome.ok).toBe(true)
    return said.join('\n').split('\n')
  }

  it('lists each failed address in the person’s language', async () => {
    const redirect = await media.start({
      host: '127.0.0.41',
      behaviour: { kind: 'redirect', location: 'http://127.0.0.1/' }
    })
    const busy = await media.start({
      host: '127.0.0.42',
      behaviour: { kind: 'status', status: 503 }
    })
    const other = await media.start({
      host: '127.0.0.43',
      behaviour: { kind: 'identity', machineIdentifier: 'someone-else' }
    })
    const refused = `http://127.0.0.44:${await refusedPort('127.0.0.44')}`
    const plex = await startFakePlex({
      routes: [
        fakePlexResources(() => [
          {
            name: 'Own',
            clientIdentifier: ID,
            accessToken: 'server-token',
            owned: true,
            connections: [redirect.url, busy.url, other.url, refused].map((url) =>
              loopbackConnection(url)
            )
          }
        ])
      ]
    })
    plex.addToken(TOKEN)
    const root = mkdtempSync(join(tmpdir(), 'plex-login-listing-'))
    cleanup = async () => {
      await plex.close()
      rmSync(root, { recursive: true, force: true })
    }

    const deutsch = await listIn(german, plex, join(root, 'de'))
    expect(deutsch).toEqual(
      expect.arrayContaining([
        `  - ${redirect.url}  lokal  antwortete mit einer Weiterleitung`,
        `  - ${busy.url}  lokal  antwortete mit HTTP 503`,
        `  - ${other.url}  lokal  ist ein anderer Server`,
        `  - ${refused}  lokal  keine Verbindung möglich`
      ])
    )
    const englishLines = await listIn(english, plex, join(root, 'en'))
    expect(englishLines).toEqual(
      expect.arrayContaining([
        `  - ${redirect.url}  local  answered with a redirect`,
        `  - ${busy.url}  local  answered HTTP 503`,
        `  - ${other.url}  local  is a different server`,
        `  - ${refused}  local  could not connect`
      ])
    )
  })
})
