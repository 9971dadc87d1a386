import { readFileSync } from 'node:fs'
import { join, sep } from 'node:path'
import { describe, expect, it } from 'vitest'
import { BrowserWindow, protocol } from './electron-mock'
import {
  contentTypeOf,
  resolveAppFile,
  APP_SCHEME,
  CONTENT_SECURITY_POLICY
} from '../../src/main/security/app-protocol'
import { registerAppScheme, serveRenderer } from '../../src/main/security/register-app-protocol'

const ROOT = join(import.meta.dirname, 'fixtures', 'renderer')

describe('app:// file resolution', () => {
  it('maps app://renderer paths into the renderer folder', () => {
    expect(resolveAppFile(ROOT, 'app://renderer/index.html')).toBe(join(ROOT, 'index.html'))
    expect(resolveAppFile(ROOT, 'app://renderer/')).toBe(join(ROOT, 'index.html'))
    expect(resolveAppFile(ROOT, 'app://renderer/assets/a.js?v=1')).toBe(
      join(ROOT, 'assets', 'a.js')
    )
  })

  it.each([
    'app://renderer/../secret.txt',
    'app://renderer/%2e%2e/secret.txt',
    'app://renderer/assets/%2e%2e%2f%2e%2e/secret.txt',
    'app://renderer/..%2fsecret.txt',
    'app://renderer/..%5csecret.txt'
  ])('never leaves the renderer folder for %s', (url) => {
    const file = resolveAppFile(ROOT, url)
    if (file !== undefined) expect(file.startsWith(join(ROOT, sep))).toBe(true)
    expect(file).not.toBe(join(ROOT, '..', 'secret.txt'))
  })

  it.each([
    'app://renderer/assets/%2e%2e%2f%2e%2e/secret.txt',
    'app://renderer/..%5csecret.txt',
    'app://renderer/%00index.html',
    'app://renderer/%E0%A4%A',
    'app://other/index.html',
    'https://renderer/index.html',
    'nonsense'
  ])('refuses %s', (url) => {
    expect(resolveAppFile(ROOT, url)).toBeUndefined()
  })

  it('knows the types it serves', () => {
    expect(contentTypeOf('a/index.html')).toMatch(/^text\/html/)
    expect(contentTypeOf('a/x.js')).toMatch(/^text\/javascript/)
    expect(contentTypeOf('a/x.bin')).toBe('application/octet-stream')
  })

  it('serves files with the CSP header, and 404s outside the folder', async () => {
    registerAppScheme()
    expect(protocol.privileged).toContainEqual(expect.objectContaining({ scheme: APP_SCHEME }))
    serveRenderer(ROOT)
    const handler = protocol.handlers.get(APP_SCHEME)!
    const ok = await handler(new Request('app://renderer/index.html'))
    expect(ok.status).toBe(200)
    expect(ok.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY)
    expect(await ok.text()).toContain('fixture page')
    expect((await handler(new Request('app://renderer/..%2fsecret.txt'))).status).toBe(404)
    expect((await handler(new Request('app://renderer/missing.js'))).status).toBe(404)
    expect(BrowserWindow.created).toEqual([])
  })

  it('sends the same CSP as the page declares, plus what only a header can say', () => {
    const html = readFileSync(join(import.meta.dirname, '../../src/renderer/index.html'), 'utf8')
    const meta = /http-equiv="Content-Security-Policy"\s+content="([^"]+)"/.exec(html)?.[1]
    const directives = (csp: string): string[] =>
      csp
        .split(';')
        .map((part) => part.trim())
        .sort()
    expect(directives(CONTENT_SECURITY_POLICY)).toEqual(
      // frame-ancestors is ignored in a <meta> policy, so only the header carries it.
      directives(`${meta}; frame-ancestors 'none'`)
    )
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/unsafe-inline|unsafe-eval|https?:/)
  })
})
