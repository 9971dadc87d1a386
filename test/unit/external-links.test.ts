import { describe, expect, it } from 'vitest'
import { isAllowedExternalUrl } from '../../src/main/security/external-links'

describe('the openExternal allow-list', () => {
  it.each([
    'https://plex.tv/link',
    'https://plex.tv/link/?pin=K7QZ',
    'https://app.plex.tv/auth#?clientID=abc&code=xyz'
  ])('allows %s', (url) => {
    expect(isAllowedExternalUrl(url)).toBe(true)
  })

  it.each([
    'http://plex.tv/link',
    'https://plex.tv/',
    'https://plex.tv.evil.example/link',
    'https://evil.example/https://plex.tv/link',
    'https://user:pass@plex.tv/link',
    'https://app.plex.tv/desktop',
    'file:///etc/passwd',
    'javascript:alert(1)',
    'not a url',
    ''
  ])('refuses %s', (url) => {
    expect(isAllowedExternalUrl(url)).toBe(false)
  })
})
