// A hostile plex.tv on loopback, talked to with the real fetch: redirects that try to carry the
// token elsewhere, answers that never end or inflate to gigabytes, values no header can carry.

import { execFile } from 'node:child_process'
import type { ServerResponse } from 'node:http'
import { fileURLToPath } from 'node:url'
import { brotliCompressSync, constants, createBrotliCompress } from 'node:zlib'
import { afterEach, describe, expect, it } from 'vitest'
import { fetchAvatarDataUrl } from '../../src/main/plex/avatar'
import { createPlexClient, type PlexClient } from '../../src/main/plex/plex-client'
import {
  startHostileServer,
  writeEndless,
  type Handler,
  type HostileServer,
  type RecordedRequest
} from './hostile-server'

const CLIENT_ID = 'hostile-test-client-id'
const TOKEN = 'hostile-test-token'
const DEVICE = {
  product: 'Hostile Test',
  version: '1.0.0',
  platform: 'Linux',
  platformVersion: '6.1',
  device: 'Linux',
  deviceName: 'test-host'
}
const TOO_LARGE = 'plex.tv sent an answer that is too large'

const servers: HostileServer[] = []
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()))
})

async function serve(name: string, handler: Handler, log?: RecordedRequest[]) {
  const server = await startHostileServer(name, handler, log)
  servers.push(server)
  return server
}

function clientFor(server: HostileServer): PlexClient {
  return createPlexClient({ baseUrl: server.origin, clientIdentifier: CLIENT_ID, device: DEVICE })
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body))
}

const everyCall: [string, (plex: PlexClient) => Promise<{ ok: boolean }>][] = [
  ['GET /api/v2/user', (plex) => plex.getAccount(TOKEN)],
  ['DELETE /api/v2/users/signout', (plex) => plex.signOut(TOKEN)],
  ['POST /api/v2/pins', (plex) => plex.createPin(false)],
  ['GET /api/v2/pins/:id', (plex) => plex.getPin(42)]
]

describe('hostile plex.tv: redirects are never followed', () => {
  it.each(everyCall)('%s answered with 307 elsewhere', async (_label, call) => {
    const log: RecordedRequest[] = []
    const elsewhere = await serve('B', (_req, res) => sendJson(res, 200, {}), log)
    const plex = await serve(
      'A',
      (_req, res) =>
        res.writeHead(307, { location: `${elsewhere.origin}/steal?token=${TOKEN}#x` }).end(),
      log
    )
    const result = await call(clientFor(plex))
    expect(result).toEqual({
      ok: false,
      kind: 'unavailable',
      message: `plex.tv answered with a redirect to ${elsewhere.origin}`
    })
    expect(elsewhere.requests).toEqual([])
    expect(log.map((request) => request.server)).toEqual(['A'])
  })

  it.each([301, 302, 303, 308])(
    '%i is not followed either, and a sign-out is not ok',
    async (status) => {
      const log: RecordedRequest[] = []
      const elsewhere = await serve('B', (_req, res) => res.writeHead(204).end(), log)
      const plex = await serve(
        'A',
        (_req, res) => res.writeHead(status, { location: `${elsewhere.origin}/` }).end(),
        log
      )
      const result = await clientFor(plex).signOut(TOKEN)
      expect(result.ok).toBe(false)
      expect(log).toHaveLength(1)
      const sent = JSON.stringify(log)
      expect(sent.split(TOKEN)).toHaveLength(2) // the token went out once, to A
      expect(sent.split(CLIENT_ID)).toHaveLength(2)
      expect(log[0]!.server).toBe('A')
    }
  )

  it('names an unknown place when Location is missing or not a URL', async () => {
    for (const location of [undefined, 'http://[broken', 'javascript:alert(1)']) {
      const plex = await serve('A', (_req, res) =>
        res.writeHead(302, location === undefined ? {} : { location }).end()
      )
      expect(await clientFor(plex).getAccount(TOKEN)).toEqual({
        ok: false,
        kind: 'unavailable',
        message: 'plex.tv answered with a redirect to an unknown place'
      })
    }
  })

  it('the avatar gives up on a redirect and nothing reaches the other place', async () => {
    const elsewhere = await serve('B', (_req, res) =>
      res.writeHead(200, { 'content-type': 'image/png' }).end(Buffer.alloc(10, 1))
    )
    const avatar = await serve('A', (_req, res) =>
      res.writeHead(302, { location: `${elsewhere.origin}/a.png` }).end()
    )
    expect(await fetchAvatarDataUrl(`${avatar.origin}/a.png`)).toBeUndefined()
    expect(elsewhere.requests).toEqual([])
  })
})

describe('hostile plex.tv: answers are bounded', () => {
  it('a small brotli answer that inflates far past 1 MiB is refused', async () => {
    const bomb = brotliCompressSync(Buffer.alloc(32 * 1024 * 1024, 0x20), {
      params: { [constants.BROTLI_PARAM_QUALITY]: 3 }
    })
    expect(bomb.length).toBeLessThan(16 * 1024)
    const plex = await serve('A', (_req, res) =>
      res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'br' }).end(bomb)
    )
    expect(await clientFor(plex).getAccount(TOKEN)).toEqual({
      ok: false,
      kind: 'unavailable',
      message: TOO_LARGE
    })
  })

  it('an endless answer is cut off: the connection closes long before it would end', async () => {
    const maxChunks = 4096 // 256 MiB: far more than the client reads, and still bounded
    let written: Promise<number> = Promise.resolve(0)
    const plex = await serve('A', (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' })
      written = writeEndless(res, Buffer.alloc(64 * 1024, 0x20), maxChunks)
    })
    expect(await clientFor(plex).getPin(1)).toEqual({
      ok: false,
      kind: 'unavailable',
      message: TOO_LARGE
    })
    expect(await written).toBeLessThan(maxChunks)
  })

  it('a Content-Length above the limit is refused before the body is read', async () => {
    const plex = await serve('A', (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': 2 ** 21 })
      res.write('{') // and never the rest
    })
    expect(await clientFor(plex).getAccount(TOKEN)).toEqual({
      ok: false,
      kind: 'unavailable',
      message: TOO_LARGE
    })
  })

  it('an avatar past 512 KiB without Content-Length is refused while it is read', async () => {
    // 600 KiB, then the answer stays open: only a reader that counts can give up here.
    const avatar = await serve('A', (_req, res) => {
      res.writeHead(200, { 'content-type': 'image/png' })
      res.write(Buffer.alloc(600 * 1024, 1))
    })
    expect(await fetchAvatarDataUrl(`${avatar.origin}/a.png`, fetch, 600_000)).toBeUndefined()
  })

  it('an avatar whose Content-Length is above the cap is refused before reading', async () => {
    const avatar = await serve('A', (_req, res) => {
      res.writeHead(200, { 'content-type': 'image/png', 'content-length': 600 * 1024 })
      res.write(Buffer.alloc(16, 1))
    })
    expect(await fetchAvatarDataUrl(`${avatar.origin}/a.png`, fetch, 600_000)).toBeUndefined()
  })

  it('a small avatar still arrives', async () => {
    const avatar = await serve('A', (_req, res) =>
      res.writeHead(200, { 'content-type': 'image/png' }).end(Buffer.from([1, 2, 3]))
    )
    expect(await fetchAvatarDataUrl(`${avatar.origin}/a.png`)).toBe('data:image/png;base64,AQID')
  })

  it(
    'a brotli bomb of 0.9 GB decoded is refused by a process with a 64 MB heap',
    { timeout: 120_000 },
    async () => {
      const bomb = await brotliBomb(900 * 1024 * 1024)
      const plex = await serve('A', (_req, res) =>
        res
          .writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'br' })
          .end(bomb)
      )
      const child = fileURLToPath(new URL('./answer-bomb-child.ts', import.meta.url))
      const stdout = await new Promise<string>((resolve, reject) =>
        execFile(
          process.execPath,
          ['--max-old-space-size=64', '--import', 'tsx', child, plex.origin],
          { timeout: 110_000 },
          (error, out) => (error ? reject(error) : resolve(out))
        )
      )
      const { result, maxRssBytes } = JSON.parse(stdout) as {
        result: unknown
        maxRssBytes: number
      }
      expect(result).toEqual({ ok: false, kind: 'unavailable', message: TOO_LARGE })
      // Node and tsx alone take ~100 MB; the decoded answer alone would be 900.
      expect(maxRssBytes).toBeLessThan(400 * 1024 * 1024)
    }
  )
})

describe('hostile store values: nothing a header cannot carry is sent', () => {
  it.each([
    ['a control character', 'client\u0007id'],
    ['a line break', 'client\r\nX-Evil: 1'],
    ['non-Latin-1', 'клиент-1'],
    ['a space', 'client id'],
    ['nothing', '']
  ])('a client identifier with %s is refused with a clear error', async (_label, id) => {
    const plex = await serve('A', (_req, res) => sendJson(res, 200, {}))
    expect(() =>
      createPlexClient({ baseUrl: plex.origin, clientIdentifier: id, device: DEVICE })
    ).toThrow('The client identifier has characters a header cannot carry')
    expect(plex.requests).toEqual([])
  })

  it.each([
    ['a control character', 'token\u001b]52;c;Y3VybA==\u0007'],
    ['a line break', 'token\r\nX-Evil: 1'],
    ['non-Latin-1', 'токен']
  ])('a token with %s is not sent, and is not called dead', async (_label, token) => {
    const plex = await serve('A', (_req, res) => sendJson(res, 200, {}))
    const client = clientFor(plex)
    const refused = {
      ok: false,
      kind: 'rejected',
      status: 0,
      message: 'The stored token has characters a header cannot carry'
    }
    expect(await client.getAccount(token)).toEqual(refused)
    expect(await client.signOut(token)).toEqual(refused)
    expect(plex.requests).toEqual([])
  })
})

/** `size` decoded bytes as brotli, compressed in pieces so that the test never holds them all. */
async function brotliBomb(size: number): Promise<Buffer> {
  const compress = createBrotliCompress({
    params: { [constants.BROTLI_PARAM_QUALITY]: 1, [constants.BROTLI_PARAM_SIZE_HINT]: size }
  })
  const chunks: Buffer[] = []
  compress.on('data', (chunk: Buffer) => chunks.push(chunk))
  const ended = new Promise((resolve, reject) => {
    compress.once('end', resolve)
    compress.once('error', reject)
  })
  const piece = Buffer.alloc(16 * 1024 * 1024, 0x20)
  for (let left = size; left > 0; left -= piece.length) {
    const ok = compress.write(left >= piece.length ? piece : piece.subarray(0, left))
    if (!ok) await new Promise((resolve) => compress.once('drain', resolve))
  }
  compress.end()
  await ended
  return Buffer.concat(chunks)
}
