import { describe, expect, it } from 'vitest'
import { fetchWithoutCredentials } from '../../src/main/security/fetch-without-credentials'

function recordingFetch() {
  const calls: Array<{ input: unknown; init: RequestInit | undefined }> = []
  const fetchImpl = (async (input: unknown, init?: RequestInit) => {
    calls.push({ input, init })
    return new Response('{}')
  }) as typeof fetch
  return { calls, fetchImpl }
}

describe('fetchWithoutCredentials', () => {
  it('sends every request with credentials "omit", keeping what the caller asked', async () => {
    const { calls, fetchImpl } = recordingFetch()
    const signal = new AbortController().signal
    const wrapped = fetchWithoutCredentials(fetchImpl)
    await wrapped('https://plex.tv/api/v2/user', {
      headers: { 'X-Plex-Token': 't' },
      redirect: 'manual',
      signal
    })
    await wrapped('https://plex.tv/api/v2/pins')
    expect(calls).toEqual([
      {
        input: 'https://plex.tv/api/v2/user',
        init: { headers: { 'X-Plex-Token': 't' }, redirect: 'manual', signal, credentials: 'omit' }
      },
      { input: 'https://plex.tv/api/v2/pins', init: { credentials: 'omit' } }
    ])
  })

  it('overrides a caller that asks for cookies', async () => {
    const { calls, fetchImpl } = recordingFetch()
    await fetchWithoutCredentials(fetchImpl)('https://plex.tv/', { credentials: 'include' })
    expect(calls[0]?.init?.credentials).toBe('omit')
  })
})
