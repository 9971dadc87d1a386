// `npm run dev` serves the renderer from Vite's dev server, whose live reload talks to it over a
// WebSocket: the page's policy (connect-src 'none') would block it. This Vite plugin opens
// connect-src to the dev server in the dev server's copy of index.html only; `vite build`
// never runs it, so the packaged page keeps the strict policy (npm run check:package checks).

import type { Plugin } from 'vite'

const CSP_META = /(<meta\s+http-equiv="Content-Security-Policy"\s+content=")([^"]*)(")/

/** Where Vite's HMR client connects: the dev server itself, on loopback. */
const DEV_CONNECT_SOURCES = ["'self'", 'ws://localhost:*', 'ws://127.0.0.1:*']

/** `policy` with connect-src widened for the dev server, every other directive as it was. */
export function devContentSecurityPolicy(policy: string): string {
  const directives = policy
    .split(';')
    .map((directive) => directive.trim())
    .filter(Boolean)
  const connect = directives.findIndex((directive) => /^connect-src(\s|$)/.test(directive))
  const sources = (connect >= 0 ? directives[connect]!.split(/\s+/).slice(1) : []).filter(
    (source) => source !== "'none'"
  )
  const widened = `connect-src ${[...new Set([...sources, ...DEV_CONNECT_SOURCES])].join(' ')}`
  if (connect >= 0) directives[connect] = widened
  else directives.push(widened)
  return directives.join('; ')
}

export function devContentSecurityPolicyPlugin(): Plugin {
  return {
    name: 'dev-content-security-policy',
    apply: 'serve',
    transformIndexHtml: (html) => {
      if (!CSP_META.test(html)) throw new Error('index.html has no Content-Security-Policy meta')
      return html.replace(
        CSP_META,
        (_match, open: string, policy: string, close: string) =>
          `${open}${devContentSecurityPolicy(policy)}${close}`
      )
    }
  }
}
