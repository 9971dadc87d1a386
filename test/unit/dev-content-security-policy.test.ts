import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import {
  devContentSecurityPolicy,
  devContentSecurityPolicyPlugin
} from '../../scripts/dev-content-security-policy'

const SOURCE_HTML = readFileSync('src/renderer/index.html', 'utf8')
const cspOf = (html: string): string =>
  /<meta\s+http-equiv="Content-Security-Policy"\s+content="([^"]*)"/.exec(html)?.[1] ?? ''
const directives = (policy: string): Map<string, string> =>
  new Map(
    policy
      .split(';')
      .map((directive) => directive.trim())
      .filter(Boolean)
      .map((directive) => [directive.split(/\s+/)[0]!, directive] as const)
  )

describe('the page policy under npm run dev', () => {
  it("opens connect-src to the dev server's live-reload socket and changes nothing else", () => {
    const strict = cspOf(SOURCE_HTML)
    expect(strict).toContain("connect-src 'none'")
    const dev = directives(devContentSecurityPolicy(strict))
    expect(dev.get('connect-src')).toBe("connect-src 'self' ws://localhost:* ws://127.0.0.1:*")
    const before = directives(strict)
    before.delete('connect-src')
    dev.delete('connect-src')
    expect(dev).toEqual(before)
  })

  it('adds connect-src when the policy has none, and keeps sources it had', () => {
    expect(devContentSecurityPolicy("default-src 'none'")).toBe(
      "default-src 'none'; connect-src 'self' ws://localhost:* ws://127.0.0.1:*"
    )
    expect(devContentSecurityPolicy("connect-src https://plex.tv; img-src 'self'")).toBe(
      "connect-src https://plex.tv 'self' ws://localhost:* ws://127.0.0.1:*; img-src 'self'"
    )
  })

  it("rewrites the dev server's index.html only: the plugin is for `serve`, never `build`", () => {
    const plugin = devContentSecurityPolicyPlugin()
    expect(plugin.apply).toBe('serve')
    const transform = plugin.transformIndexHtml as (html: string) => string
    const served = transform(SOURCE_HTML)
    expect(cspOf(served)).toBe(devContentSecurityPolicy(cspOf(SOURCE_HTML)))
    // Everything but the policy is the page as written.
    expect(served.replace(cspOf(served), '')).toBe(SOURCE_HTML.replace(cspOf(SOURCE_HTML), ''))
  })

  it('refuses a page without a policy rather than serving it silently unprotected', () => {
    const transform = devContentSecurityPolicyPlugin().transformIndexHtml as (h: string) => string
    expect(() => transform('<html><head></head></html>')).toThrow(/Content-Security-Policy/)
  })
})
