// Stand-ins for Plex Media Servers on loopback (127.0.0.1 and other 127.0.0.x addresses, which
// Linux routes to lo without setup), each answering `GET /identity` in a chosen way, and
// recording every request with its headers so that tests can prove no token ever arrived.

import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo, Socket } from 'node:net'

export type IdentityBehaviour =
  | { kind: 'identity'; machineIdentifier: string; delayMs?: number } // a real server
  | { kind: 'silent' } // accepts the connection, never answers
  | { kind: 'redirect'; location: string; status?: number }
  | { kind: 'oversized'; machineIdentifier: string; bytes: number } // right id, padded huge
  | { kind: 'status'; status: number }

export interface MediaRequest {
  method: string
  path: string // as sent, query included
  headers: Record<string, string> // lower-case names
  closedEarly: boolean // the client went away before an answer was sent (aborted probe)
  answered: boolean
}

export interface FakeMediaServer {
  readonly url: string // http://127.0.0.x:port
  readonly host: string
  readonly port: number
  readonly requests: MediaRequest[]
  behaviour: IdentityBehaviour // may be changed between requests
  close(): Promise<void>
}

export interface FakeMediaServerOptions {
  host?: string // a loopback address, default 127.0.0.1
  behaviour: IdentityBehaviour
}

const MAX_DELAY_MS = 30_000 // bounded: a forgotten delay never keeps a test run alive

export async function startFakeMediaServer(
  options: FakeMediaServerOptions
): Promise<FakeMediaServer> {
  const host = options.host ?? '127.0.0.1'
  if (!/^127\.\d+\.\d+\.\d+$/.test(host)) throw new Error(`Not a loopback address: ${host}`)
  const requests: MediaRequest[] = []
  const sockets = new Set<Socket>()
  const timers = new Set<ReturnType<typeof setTimeout>>()

  const server = createServer((req, res) => {
    req.resume()
    const record: MediaRequest = {
      method: req.method ?? 'GET',
      path: req.url ?? '/',
      headers: Object.fromEntries(
        Object.entries(req.headers).map(([name, value]) => [name, String(value)])
      ),
      closedEarly: false,
      answered: false
    }
    requests.push(record)
    res.once('finish', () => (record.answered = true))
    res.once('close', () => (record.closedEarly = !record.answered))
    answer(fake.behaviour, req, res)
  })
  server.on('connection', (socket) => {
    sockets.add(socket)
    socket.once('close', () => sockets.delete(socket))
  })

  function answer(behaviour: IdentityBehaviour, req: IncomingMessage, res: ServerResponse): void {
    const path = new URL(req.url ?? '/', 'http://x').pathname
    if (behaviour.kind === 'silent') return
    if (behaviour.kind === 'redirect') {
      res.writeHead(behaviour.status ?? 302, { location: behaviour.location }).end()
      return
    }
    if (behaviour.kind === 'status') {
      res.writeHead(behaviour.status, { 'content-type': 'text/plain' }).end('no')
      return
    }
    if (path !== '/identity') {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('Not found')
      return
    }
    if (behaviour.kind === 'oversized') {
      const body = JSON.stringify({
        MediaContainer: {
          machineIdentifier: behaviour.machineIdentifier,
          padding: 'x'.repeat(behaviour.bytes)
        }
      })
      // Chunked, without a length: the client must count what it reads.
      res.writeHead(200, { 'content-type': 'application/json' })
      res.end(body)
      return
    }
    const { machineIdentifier, delayMs = 0 } = behaviour
    const body = JSON.stringify({
      MediaContainer: { size: 0, claimed: true, machineIdentifier, version: '1.41.0.0000' }
    })
    const send = (): void => {
      if (res.destroyed) return
      res.writeHead(200, { 'content-type': 'application/json' }).end(body)
    }
    if (delayMs <= 0) return send()
    const timer = setTimeout(
      () => {
        timers.delete(timer)
        send()
      },
      Math.min(delayMs, MAX_DELAY_MS)
    )
    timers.add(timer)
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, host, () => {
      server.off('error', reject)
      resolve()
    })
  })
  const { port } = server.address() as AddressInfo
  let closed: Promise<void> | undefined

  const fake: FakeMediaServer = {
    url: `http://${host}:${port}`,
    host,
    port,
    requests,
    behaviour: options.behaviour,
    close() {
      closed ??= new Promise<void>((resolve) => {
        for (const timer of timers) clearTimeout(timer)
        server.close(() => resolve())
        for (const socket of sockets) socket.destroy()
      })
      return closed
    }
  }
  return fake
}

/** A loopback port nothing listens on: connecting to it is refused at once. */
export async function refusedPort(host = '127.0.0.1'): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, host, resolve))
  const { port } = server.address() as AddressInfo
  await new Promise<void>((resolve) => server.close(() => resolve()))
  return port
}

/** Several at once; `closeAll` in afterEach keeps every test bounded. */
export class FakeMediaServers {
  private readonly servers: FakeMediaServer[] = []

  async start(options: FakeMediaServerOptions): Promise<FakeMediaServer> {
    const server = await startFakeMediaServer(options)
    this.servers.push(server)
    return server
  }

  get all(): readonly FakeMediaServer[] {
    return this.servers
  }

  async closeAll(): Promise<void> {
    await Promise.all(this.servers.splice(0).map((server) => server.close()))
  }
}
