// Run in a child process with a small heap (node --max-old-space-size=64 --import tsx): reads
// /api/v2/user from the server named in argv[2] through the real client and prints the result
// with the peak memory of the process, as one JSON line.

import { createPlexClient } from '../../src/main/plex/plex-client'

const client = createPlexClient({
  baseUrl: process.argv[2],
  clientIdentifier: 'bomb-test-client',
  device: {
    product: 'Bomb Test',
    version: '1',
    platform: 'Linux',
    platformVersion: '1',
    device: 'Linux',
    deviceName: 'bomb-test'
  },
  timeoutMs: 120_000
})

const result = await client.getAccount('bomb-test-token')
const maxRssBytes = process.resourceUsage().maxRSS * 1024
process.stdout.write(`${JSON.stringify({ result, maxRssBytes })}\n`)
