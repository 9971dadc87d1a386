// The JWT device's private key is found nowhere but the store: not on stdout or stderr of any
// command, not in anything sent to plex.tv, not in any other file, not in the copy kept of a
// corrupt store. The Plex JWT only on stdout where it is the answer. Run against the BUILT command.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { createFakeJwt } from '../fake-plex/fake-plex-jwt'
import {
  approveShownCode,
  jsonOut,
  runPlexLogin,
  setup,
  startPlexLogin,
  type PlexLoginResult
} from '../integration/run-plex-login'

const STORE_FILE = 'plex-login.json'

/** The private key in every form it could leak in: base64url (as stored), base64, hex. */
function forms(d: string): string[] {
  const raw = Buffer.from(d, 'base64url')
  return [d, raw.toString('base64').replace(/=+$/, ''), raw.toString('hex')]
}

function filesBut(dir: string, except: string): Record<string, string> {
  const files: Record<string, string> = {}
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue
    const path = join(entry.parentPath, entry.name)
    if (path !== join(dir, except)) files[path] = readFileSync(path, 'latin1')
  }
  return files
}

describe('the JWT device key stays in the store', () => {
  it('through login --jwt, status, token (with a refresh and a 498), logout', async (context) => {
    const jwt = createFakeJwt()
    const { fake, base, storeDir } = await setup(context, { jwt })
    const runs: PlexLoginResult[] = []

    const login = startPlexLogin(['login', '--jwt', '--json', ...base])
    await approveShownCode(login, fake)
    runs.push(await login.done)
    expect(runs[0]!.code).toBe(0)

    const store = JSON.parse(readFileSync(join(storeDir, STORE_FILE), 'utf8'))
    const d = JSON.parse(store.jwtDeviceKey).d as string
    expect(d).toMatch(/^[\w-]{43}$/)

    jwt.expire(jsonOut(runs[0]!).authToken as string)
    for (const args of [
      ['status', '--jwt', '--json'],
      ['status', '--jwt'],
      ['token'],
      ['token', '--json', '--min-validity', '604800'],
      ['login', '--jwt', '--reuse'],
      ['logout', '--jwt']
    ]) {
      runs.push(await runPlexLogin([...args, ...base]))
    }
    expect(runs.map((run) => run.code)).toEqual([0, 0, 0, 0, 0, 0, 0])

    const leaks = forms(d)
    for (const run of runs) {
      for (const form of leaks) {
        expect(run.stdout).not.toContain(form)
        expect(run.stderr).not.toContain(form)
      }
      // No JWT on stderr, ever: neither the ones issued nor any shape of one.
      for (const token of jwt.issued) expect(run.stderr).not.toContain(token)
      expect(run.stderr).not.toMatch(/eyJ[\w-]+\.eyJ[\w-]+\.[\w-]+/)
    }
    const sent = JSON.stringify(fake.requests)
    for (const form of leaks) expect(sent).not.toContain(form)
    // What was registered is the public key alone.
    expect(fake.requests.find((r) => r.route === 'create')!.body).toMatch(/"jwk":\{"kty":"OKP"/)
    for (const [path, text] of Object.entries(filesBut(storeDir, STORE_FILE))) {
      for (const form of leaks) expect(text, path).not.toContain(form)
    }
    // logout forgot it: now not even the store holds it.
    expect(readFileSync(join(storeDir, STORE_FILE), 'utf8')).not.toContain(d)
  })

  it('a corrupt store holding the key is set aside without it', async (context) => {
    const jwt = createFakeJwt()
    const { fake, base, storeDir } = await setup(context, { jwt })
    const login = startPlexLogin(['login', '--jwt', '--json', ...base])
    await approveShownCode(login, fake)
    const answer = jsonOut(await login.done)
    const file = join(storeDir, STORE_FILE)
    const text = readFileSync(file, 'utf8')
    const d = JSON.parse(JSON.parse(text).jwtDeviceKey).d as string
    // Cut short right after the key: not JSON any more.
    writeFileSync(file, text.slice(0, text.indexOf(d) + d.length + 10))

    const result = await runPlexLogin(['token', ...base])
    expect(result.code).toBe(4) // a fresh store: no JWT sign-in any more
    const copies = readdirSync(storeDir).filter((name) => name.includes('.corrupt-'))
    expect(copies).toHaveLength(1)
    const copy = readFileSync(join(storeDir, copies[0]!), 'utf8')
    for (const form of forms(d)) expect(copy).not.toContain(form)
    expect(copy).not.toContain(answer.authToken as string)
    expect(copy).toContain('[redacted]')
  })
})
