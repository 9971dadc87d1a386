// The peer waiting for approval in a process of its own, for the idle-cost run, which bundles
// it with esbuild and runs `node <bundle>.mjs <fake origin> <client id>`.
// Prints "ready <pin id>" on stdout once it has a code and is polling.

import { createPeer } from './peer-plex-oauth'

const [origin, clientId] = process.argv.slice(2)
if (!origin || !clientId) throw new Error('usage: peer-idle-child.ts <fake origin> <client id>')

const peer = createPeer(origin, clientId)
const { pinId } = await peer.requestPin()
const waiting = peer.waitForToken(pinId, 1_000, 100_000)
process.stdout.write(`ready ${pinId}\n`)
await waiting
