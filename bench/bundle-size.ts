// Section 4, size: what the build ships, raw and gzip (node:zlib, level 9), and beside it what
// Node loads for the peer (every file in require.cache after `require('plex-oauth')`).

import { execFileSync } from 'node:child_process'
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { extname, join, relative } from 'node:path'
import { gzipSync } from 'node:zlib'
import { ROOT } from './child-processes'

export interface SizeRow {
  what: string
  files: string[] // relative to the project root
  raw: number // bytes
  gzip: number // bytes, each file gzipped on its own, summed
}

function filesUnder(dir: string, extensions: string[]): string[] {
  const out: string[] = []
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name)
    if (entry.isDirectory()) out.push(...filesUnder(path, extensions))
    else if (extensions.includes(extname(entry.name))) out.push(path)
  }
  return out.sort()
}

function row(what: string, files: string[]): SizeRow {
  let raw = 0
  let gzip = 0
  for (const file of files) {
    const body = readFileSync(file)
    raw += statSync(file).size
    gzip += gzipSync(body, { level: 9 }).length
  }
  return { what, files: files.map((f) => relative(ROOT, f)), raw, gzip }
}

function peerLoadedFiles(): string[] {
  const source =
    "require('plex-oauth');" +
    'process.stdout.write(JSON.stringify(Object.keys(require.cache).filter((f) => f.includes("node_modules"))))'
  const json = execFileSync(process.execPath, ['-e', source], { cwd: ROOT, encoding: 'utf8' })
  return (JSON.parse(json) as string[]).sort()
}

export function measureBundleSizes(): SizeRow[] {
  const out = join(ROOT, 'out')
  const rows = [
    row('renderer JS', filesUnder(join(out, 'renderer'), ['.js'])),
    row('renderer CSS', filesUnder(join(out, 'renderer'), ['.css'])),
    row('renderer HTML', filesUnder(join(out, 'renderer'), ['.html'])),
    row('main bundle', filesUnder(join(out, 'main'), ['.js', '.cjs', '.mjs'])),
    row('preload bundle', filesUnder(join(out, 'preload'), ['.js', '.cjs', '.mjs'])),
    row('CLI bundle (plex-login.js, dependencies included)', [join(out, 'cli/plex-login.js')])
  ]
  const peer = peerLoadedFiles()
  rows.push(row(`peer: plex-oauth as Node loads it (${peer.length} files, axios included)`, peer))
  return rows
}
