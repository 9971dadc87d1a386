// The window's page is served from app://renderer/ rather than file://, so it has a real origin
// to check IPC senders against, file:// keeps no extra privileges, and the CSP goes out as a
// response header as well as in the page.

import { extname, join, relative, resolve, sep, isAbsolute } from 'node:path'

export const APP_SCHEME = 'app'
export const APP_ORIGIN = `${APP_SCHEME}://renderer`
export const APP_ENTRY_URL = `${APP_ORIGIN}/index.html`

export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
  "object-src 'none'"
].join('; ')

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2'
}

/**
 * Maps an app:// URL to a file under `root`, or undefined when it is not one: another host,
 * or a path that would step outside the renderer folder (../, encoded or not).
 */
export function resolveAppFile(root: string, requestUrl: string): string | undefined {
  let url: URL
  try {
    url = new URL(requestUrl)
  } catch {
    return undefined
  }
  if (url.protocol !== `${APP_SCHEME}:` || url.host !== 'renderer') return undefined
  let pathname: string
  try {
    pathname = decodeURIComponent(url.pathname)
  } catch {
    return undefined
  }
  if (pathname.includes('\0')) return undefined
  const base = resolve(root)
  const file = resolve(join(base, pathname === '/' ? 'index.html' : pathname))
  const inside = relative(base, file)
  if (!inside || inside.startsWith('..') || isAbsolute(inside) || inside.split(sep).includes('..'))
    return undefined
  return file
}

export function contentTypeOf(file: string): string {
  return CONTENT_TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream'
}
