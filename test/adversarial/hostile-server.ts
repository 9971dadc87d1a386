// A scriptable HTTP server on loopback that plays a hostile plex.tv (or the place it redirects
// to). Each test hands it a handler; every request is recorded, with the name of the server that
// got it, so a test can prove that a token never reached anything but the server it was meant
// for. close() ends every connection, so a test never waits on a half-sent answer.
//
//   const log: RecordedRequest[] = []
//   const other = await startHostileServer('B', (req, res) => res.end(), log)
//   const plex = await startHostileServer('A', (req, res) => redirect(res, other.origin), log)
//   …
//   await Promise.all([plex.close(), other.close()])

import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo, Socket } from 'node:net'

export interface RecordedRequest {
  server: string // the name given to startHostileServer
  method: string
  url: string // path and query, as sent
  headers: Record<string, string | string[] | undefined>
}

export type Handler = (req: IncomingMessage, res: ServerResponse) => void

export interface HostileServer {
  readonly origin: string // http://127.0.0.1:<port>
  readonly requests: RecordedRequest[] // this server's requests only
  close(): Promise<void>
}

export async function startHostileServer(
  name: string,
  handler: Handler,
  log: RecordedRequest[] = []
): Promise<HostileServer> {
  const requests: RecordedRequest[] = []
  const sockets = new Set<Socket>()
  const server = createServer((req, res) => {
    const record = {
      server: name,
      method: req.method ?? '',
      url: req.url ?? '',
      headers: req.headers
    }
    requests.push(record)
    log.push(record)
    handler(req, res)
  })
  server.on('connection', (socket) => {
    sockets.add(socket)
    socket.once('close', () => sockets.delete(socket))
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', resolve)
  })
  const { port } = server.address() as AddressInfo
  return {
    origin: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy()
        server.close(() => resolve())
      })
  }
}

/**
 * Writes `chunk` again and again, as fast as the client takes it, until the client goes away or
 * `maxChunks` were sent (then the answer ends). Resolves with how many chunks went out.
 */
export function writeEndless(
  res: ServerResponse,
  chunk: Buffer,
  maxChunks: number
): Promise<number> {
  return new Promise((resolve) => {
    let sent = 0
    let gone = false
    res.once('close', () => {
      gone = true
      resolve(sent)
    })
    const pump = (): void => {
      while (!gone && sent < maxChunks) {
        sent += 1
        if (!res.write(chunk)) {
          res.once('drain', pump)
          return
        }
      }
      if (!gone) {
        res.end()
        resolve(sent)
      }
    }
    pump()
  })
}
