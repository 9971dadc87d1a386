// The built renderer (out/renderer) over plain HTTP on 127.0.0.1, standing in for the app://
// protocol: same files, and the page's Content-Security-Policy sent as a header as well.

import { existsSync, readFileSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { createServer, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { join, relative, resolve } from 'node:path'
import { contentTypeOf } from '../../../src/main/security/app-protocol'

export const RENDERER_DIR = resolve(import.meta.dirname, '../../../out/renderer')

export interface RendererServer {
  readonly url: string // http://127.0.0.1:<port>, also the origin IPC is trusted from
  readonly pageUrl: string // the window's page
  readonly csp: string
  close(): Promise<void>
}

export interface ExtraRoute {
  contentType: string
  body: Buffer
}

/** The CSP from the built page's meta tag, so the header can never drift from it. */
export function builtPageCsp(html: string): string {
  const meta = /<meta\s+http-equiv="Content-Security-Policy"\s+content="([^"]+)"/i.exec(html)
  if (!meta?.[1]) throw new Error('out/renderer/index.html has no Content-Security-Policy meta tag')
  return meta[1]
}

export function assertRendererBuilt(): void {
  if (!existsSync(join(RENDERER_DIR, 'index.html'))) {
    throw new Error('out/renderer is missing: run `npx electron-vite build` before the e2e tests')
  }
}

export async function startRendererServer(
  extraRoutes: Record<string, ExtraRoute> = {}
): Promise<RendererServer> {
  assertRendererBuilt()
  const csp = builtPageCsp(readFileSync(join(RENDERER_DIR, 'index.html'), 'utf8'))

  const notFound = (res: ServerResponse): void => {
    res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('Not found')
  }

  const server = createServer((req, res) => {
    const { pathname } = new URL(req.url ?? '/', 'http://127.0.0.1')
    const extra = extraRoutes[pathname]
    if (req.method !== 'GET' && req.method !== 'HEAD') return notFound(res)
    if (extra) {
      res.writeHead(200, { 'content-type': extra.contentType, 'cache-control': 'no-store' })
      res.end(extra.body)
      return
    }
    let file: string
    try {
      file = resolve(
        RENDERER_DIR,
        `.${decodeURIComponent(pathname === '/' ? '/index.html' : pathname)}`
      )
    } catch {
      return notFound(res)
    }
    const inside = relative(RENDERER_DIR, file)
    if (!inside || inside.startsWith('..')) return notFound(res)
    readFile(file).then(
      (body) => {
        res.writeHead(200, {
          'content-type': contentTypeOf(file),
          'content-security-policy': csp,
          'x-content-type-options': 'nosniff',
          'cache-control': 'no-store'
        })
        res.end(body)
      },
      () => notFound(res)
    )
  })

  await new Promise<void>((done, fail) => {
    server.once('error', fail)
    server.listen(0, '127.0.0.1', () => done())
  })
  const { port } = server.address() as AddressInfo
  const url = `http://127.0.0.1:${port}`
  return {
    url,
    pageUrl: `${url}/index.html`,
    csp,
    close: () =>
      new Promise<void>((done) => {
        server.close(() => done())
        server.closeAllConnections()
      })
  }
}
