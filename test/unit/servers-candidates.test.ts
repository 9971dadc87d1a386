import { describe, expect, it } from 'vitest'
import { connectionCandidates } from '../../src/main/servers/connection-candidates'
import type { ResourceConnection, ServerResource } from '../../src/main/servers/plex-resources'

const PLEX_DIRECT = 'https://192-168-1-10.0123456789abcdef.plex.direct:32400'
const REMOTE_DIRECT = 'https://203-0-113-7.0123456789abcdef.plex.direct:32400'

function conn(
  uri: string,
  address: string | null,
  flags: { local?: boolean; relay?: boolean } = {}
): ResourceConnection {
  const url = new URL(uri)
  return {
    uri,
    protocol: url.protocol === 'https:' ? 'https' : 'http',
    address,
    port: Number(url.port),
    local: flags.local ?? false,
    relay: flags.relay ?? false
  }
}

function server(
  connections: ResourceConnection[],
  extra: Partial<ServerResource> = {}
): ServerResource {
  return {
    name: 'Home',
    machineIdentifier: 'id-1',
    owned: true,
    owner: null,
    accessToken: 'tok',
    httpsRequired: false,
    publicAddressMatches: true,
    connections,
    ...extra
  }
}

const uris = (s: ServerResource) => connectionCandidates(s).map((c) => c.uri)

describe('connectionCandidates', () => {
  it('an https plex.direct connection also gets plain http on its raw address', () => {
    const candidates = connectionCandidates(
      server([conn(PLEX_DIRECT, '192.168.1.10', { local: true })])
    )
    expect(candidates).toEqual([
      { uri: PLEX_DIRECT, local: true, relay: false, https: true, rank: 0 },
      { uri: 'http://192.168.1.10:32400', local: true, relay: false, https: false, rank: 1 }
    ])
  })

  it('the raw-address fallback brackets an IPv6 address', () => {
    const uri = 'https://2001-db8--1.0123456789abcdef.plex.direct:32400'
    expect(uris(server([conn(uri, '2001:db8::1')]))).toEqual([uri, 'http://[2001:db8::1]:32400'])
  })

  it('no fallback for an https address that is not plex.direct, or without a raw address', () => {
    expect(uris(server([conn('https://media.example.com:32400', '203.0.113.7')]))).toEqual([
      'https://media.example.com:32400'
    ])
    expect(uris(server([conn(PLEX_DIRECT, null, { local: true })]))).toEqual([PLEX_DIRECT])
  })

  it('httpsRequired drops http candidates and the http fallback', () => {
    const connections = [
      conn(PLEX_DIRECT, '192.168.1.10', { local: true }),
      conn('http://192.168.1.10:32400', '192.168.1.10', { local: true })
    ]
    expect(uris(server(connections, { httpsRequired: true }))).toEqual([PLEX_DIRECT])
  })

  it('ranks local > remote > relay, https before http, whatever order plex.tv lists them', () => {
    const ranked = connectionCandidates(
      server([
        conn('https://198.51.100.9:8443', '198.51.100.9', { relay: true }),
        conn('http://203.0.113.7:32400', '203.0.113.7'),
        conn(REMOTE_DIRECT, '203.0.113.7'),
        conn(PLEX_DIRECT, '192.168.1.10', { local: true })
      ])
    )
    expect(ranked.map((c) => [c.uri, c.rank])).toEqual([
      [PLEX_DIRECT, 0],
      ['http://192.168.1.10:32400', 1],
      [REMOTE_DIRECT, 2],
      ['http://203.0.113.7:32400', 3],
      ['https://198.51.100.9:8443', 4]
    ])
  })

  it('de-duplicates, keeping the best-ranked copy', () => {
    const candidates = connectionCandidates(
      server([
        conn('http://192.168.1.10:32400', '192.168.1.10'),
        conn(PLEX_DIRECT, '192.168.1.10', { local: true })
      ])
    )
    expect(candidates.map((c) => [c.uri, c.local])).toEqual([
      [PLEX_DIRECT, true],
      ['http://192.168.1.10:32400', true]
    ])
  })

  it("a shared server's local connections only when publicAddressMatches", () => {
    const connections = [
      conn('http://192.168.1.10:32400', '192.168.1.10', { local: true }),
      conn('http://203.0.113.7:32400', '203.0.113.7')
    ]
    expect(uris(server(connections, { owned: false, publicAddressMatches: false }))).toEqual([
      'http://203.0.113.7:32400'
    ])
    expect(uris(server(connections, { owned: false, publicAddressMatches: true }))).toEqual([
      'http://192.168.1.10:32400',
      'http://203.0.113.7:32400'
    ])
    // The account's own server: its LAN addresses are always worth a try.
    expect(uris(server(connections, { owned: true, publicAddressMatches: false }))).toHaveLength(2)
  })
})
