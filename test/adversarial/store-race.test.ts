// Five first runs of the BUILT command started together agree on one client identifier: it is
// made under the store's lock, and every run re-reads the store once it holds the lock.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { jsonOut, runPlexLogin, setup, tempDir } from '../integration/run-plex-login'

const RUNS = 5
const ROUNDS = 3
// Fifteen Node start-ups on two busy cores: a budget, not a speed being measured.
const BUDGET = { timeout: 180_000 }

describe('five racing first runs', () => {
  it(`use one client identifier (${ROUNDS} rounds of ${RUNS} runs)`, BUDGET, async (context) => {
    const { fake } = await setup(context)
    for (let round = 0; round < ROUNDS; round += 1) {
      // A store from an older version: a sign-in but no client identifier yet, so that every
      // run makes or reads one and then shows plex.tv which one it uses.
      const storeDir = tempDir(context)
      const token = `race-token-${round}-abcdefgh`
      fake.addToken(token)
      const credentials = { token, account: { ...fake.user }, origin: fake.url }
      writeFileSync(join(storeDir, 'plex-login.json'), JSON.stringify({ credentials }))
      const before = fake.requests.length

      const results = await Promise.all(
        Array.from({ length: RUNS }, () =>
          runPlexLogin(['status', '--json', '--store-dir', storeDir, '--plex-url', fake.url])
        )
      )
      for (const result of results) {
        expect(result.code).toBe(0)
        expect(jsonOut(result)).toMatchObject({ ok: true, signedIn: true })
      }
      const stored = JSON.parse(readFileSync(join(storeDir, 'plex-login.json'), 'utf8')) as {
        clientIdentifier: string
      }
      const used = fake.requests.slice(before).map((r) => r.headers['x-plex-client-identifier'])
      expect(used).toHaveLength(RUNS)
      expect(new Set(used)).toEqual(new Set([stored.clientIdentifier]))
      expect(readdirSync(storeDir)).toEqual(['plex-login.json']) // no lock or temp left behind
    }
  })

  it(
    'on a fresh store folder: one identifier in the file, no lock left',
    BUDGET,
    async (context) => {
      const { fake } = await setup(context)
      const storeDir = join(tempDir(context), 'fresh')
      const results = await Promise.all(
        Array.from({ length: RUNS }, () =>
          runPlexLogin(['status', '--json', '--store-dir', storeDir, '--plex-url', fake.url])
        )
      )
      for (const result of results) expect(result.code).toBe(4)
      const stored = JSON.parse(readFileSync(join(storeDir, 'plex-login.json'), 'utf8')) as object
      expect(Object.keys(stored)).toEqual(['clientIdentifier'])
      expect(readdirSync(storeDir)).toEqual(['plex-login.json'])
    }
  )
})
