// Packaging check that runs without the real Electron binary (it comes from GitHub):
//  1. electron-builder.yml still carries exactly the required Electron fuses (and the ad-hoc
//     re-signing a macOS build without a Developer ID needs after they are flipped), and the
//     Linux desktop name that matches the window;
//  2. electron-builder packs an unpacked Linux app (--dir) against a stand-in Electron folder,
//     with the fuses left out for that run only (the stand-in has no fuse sentinel);
//  3. the resulting app.asar holds the built main process, preload and page and nothing else:
//     no node_modules (the main process bundles what it uses), no out/cli, no sources, tests,
//     docs or source maps; the page keeps its strict policy; within budget. It lists what is
//     inside, with sizes.
// Run: npm run check:package   (builds first only when out/ is missing)
import { spawnSync } from 'node:child_process'
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync
} from 'node:fs'
import { builtinModules } from 'node:module'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { extractFile, listPackage, statFile } from '@electron/asar'
import { parse } from 'yaml'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..')

/** Measured 0.16 MB (163,168 B, 6 files) at 0.1.0, everything bundled; the issue set 1 MB. */
const ASAR_BUDGET_BYTES = 1_000_000

/** electron-builder.yml's electronFuses, option for option. */
const REQUIRED_FUSES: Record<string, boolean> = {
  runAsNode: false,
  enableCookieEncryption: true,
  enableNodeOptionsEnvironmentVariable: false,
  enableNodeCliInspectArguments: false,
  enableEmbeddedAsarIntegrityValidation: true,
  onlyLoadAppFromAsar: true,
  loadBrowserProcessSpecificV8Snapshot: false,
  grantFileProtocolExtraPrivileges: false,
  // Not a fuse: re-signs a macOS build ad hoc after the flip, or it would not start unsigned.
  resetAdHocDarwinSignature: true
}

const REQUIRED_FILES = [
  'out/main/index.js',
  'out/preload/index.cjs',
  'out/renderer/index.html',
  'package.json'
]
const FORBIDDEN_TOP_LEVEL = ['src', 'test', 'docs', 'bench', 'build', 'scripts', 'dist']

interface PackageJson {
  name?: string
  main?: string
  desktopName?: string
}

const readJson = <T>(path: string): T => JSON.parse(readFileSync(path, 'utf8')) as T

type Row = { check: string; ok: boolean; detail: string }
const rows: Row[] = []
const record = (check: string, ok: boolean, detail: string): void => {
  rows.push({ check, ok, detail })
}

/** The modules a built file loads: static and dynamic imports, and require() calls. */
function importedModules(code: string): string[] {
  const found = new Set<string>()
  // A module specifier is one word of path characters: prose in the bundled message catalogs
  // ("… to choose from", "next key") is not taken for one.
  const patterns = [
    /\bfrom\s*["']([\w@./:-]+)["']/g,
    /\bimport\s*["']([\w@./:-]+)["']/g,
    /\bimport\(\s*["']([\w@./:-]+)["']\s*\)/g,
    /\brequire\(\s*["']([\w@./:-]+)["']\s*\)/g
  ]
  for (const pattern of patterns) for (const match of code.matchAll(pattern)) found.add(match[1]!)
  return [...found]
}

/** What the packaged main process may load without node_modules: Electron and Node's own. */
const loadableWithoutNodeModules = (name: string): boolean =>
  name === 'electron' ||
  name.startsWith('electron/') ||
  name.startsWith('node:') ||
  builtinModules.includes(name) ||
  name.startsWith('.')

const cspOf = (html: string): string | undefined =>
  /<meta\s+http-equiv="Content-Security-Policy"\s+content="([^"]*)"/i.exec(html)?.[1]

function run(command: string, args: string[], env: NodeJS.ProcessEnv = process.env): string {
  const result = spawnSync(command, args, { cwd: root, env, encoding: 'utf8' })
  const output = `${result.stdout ?? ''}${result.stderr ?? ''}`
  if (result.status !== 0) {
    throw new Error(`${command} ${args.join(' ')} failed (exit ${result.status}):\n${output}`)
  }
  return output
}

const list = (items: string[], max = 5): string =>
  items.length <= max
    ? items.join(', ')
    : `${items.slice(0, max).join(', ')} … (+${items.length - max})`

function checkFuses(config: Record<string, unknown>): void {
  const fuses = (config.electronFuses ?? {}) as Record<string, unknown>
  const problems: string[] = []
  for (const [name, value] of Object.entries(REQUIRED_FUSES)) {
    if (fuses[name] !== value) problems.push(`${name} is ${String(fuses[name])}, must be ${value}`)
  }
  for (const name of Object.keys(fuses)) {
    if (!(name in REQUIRED_FUSES)) problems.push(`unexpected fuse ${name}`)
  }
  record(
    'electron-builder.yml fuses',
    problems.length === 0,
    problems.length === 0
      ? `all ${Object.keys(REQUIRED_FUSES).length} as required`
      : problems.join('; ')
  )
}

/** Linux: the .desktop file's name and StartupWMClass come from the name Electron gives the window. */
function checkDesktopName(config: Record<string, unknown>, pkg: PackageJson): void {
  const expected = `${String(config.appId)}.desktop`
  const linux = (config.linux ?? {}) as Record<string, unknown>
  const problems = [
    pkg.desktopName === expected ? '' : `package.json desktopName is ${pkg.desktopName}`,
    linux.syncDesktopName === true ? '' : 'linux.syncDesktopName is not true'
  ].filter(Boolean)
  record(
    'Linux desktop name',
    problems.length === 0,
    problems.length === 0 ? expected : `${problems.join('; ')} (want ${expected})`
  )
}

function checkAsar(asarPath: string, pkg: PackageJson): void {
  const entries = listPackage(asarPath, { isPack: false }).map((entry) =>
    entry.replace(/\\/g, '/').replace(/^\//, '')
  )
  const has = new Set(entries)
  const files = entries
    .map((entry) => ({ entry, size: statFile(asarPath, entry) as { size?: number } }))
    .filter(({ size }) => typeof size.size === 'number')
    .map(({ entry, size }) => ({ entry, size: size.size! }))

  const missing = REQUIRED_FILES.filter((file) => !has.has(file))
  record(
    'app files present',
    missing.length === 0,
    missing.length ? `missing ${list(missing)}` : list(REQUIRED_FILES, 9)
  )

  const packaged = JSON.parse(extractFile(asarPath, 'package.json').toString('utf8')) as PackageJson
  const main = (packaged.main ?? '').replace(/^\.\//, '')
  record('package.json main in asar', has.has(main), `main=${packaged.main ?? '(none)'}`)
  // Electron reads desktopName from the packaged package.json when it starts.
  record(
    'package.json desktopName in asar',
    packaged.desktopName === pkg.desktopName,
    `desktopName=${packaged.desktopName ?? '(none)'}`
  )

  const forbidden = entries.filter((entry) => {
    if (FORBIDDEN_TOP_LEVEL.includes(entry.split('/')[0]!)) return true
    if (entry.endsWith('.map')) return true
    return /\.(c|m)?tsx?$/.test(entry)
  })
  record(
    'no sources/tests/docs/maps',
    forbidden.length === 0,
    forbidden.length
      ? `found ${list(forbidden)}`
      : `${FORBIDDEN_TOP_LEVEL.join('/, ')}/, *.map, *.ts`
  )

  const outside = entries.filter(
    (entry) =>
      entry === 'node_modules' || entry.startsWith('node_modules/') || entry.startsWith('out/cli')
  )
  record(
    'no node_modules, no out/cli',
    outside.length === 0,
    outside.length ? `found ${list(outside)}` : 'the main process bundles what it uses'
  )

  const unbundled = files
    .filter(({ entry }) => entry.startsWith('out/main/') && /\.(c|m)?js$/.test(entry))
    .flatMap(({ entry }) =>
      importedModules(extractFile(asarPath, entry).toString('utf8'))
        .filter((name) => !loadableWithoutNodeModules(name))
        .map((name) => `${name} (${entry})`)
    )
  record(
    'main process self-contained',
    unbundled.length === 0,
    unbundled.length
      ? `loads ${list(unbundled)}, which is not in the package`
      : 'imports only electron and node: built-ins'
  )

  // The dev server's relaxed policy (scripts/dev-content-security-policy.ts) never ships.
  const sourcePolicy = cspOf(readFileSync(join(root, 'src/renderer/index.html'), 'utf8'))
  const packagedPolicy = has.has('out/renderer/index.html')
    ? cspOf(extractFile(asarPath, 'out/renderer/index.html').toString('utf8'))
    : undefined
  record(
    'page policy as written',
    packagedPolicy !== undefined &&
      packagedPolicy === sourcePolicy &&
      !/ws:|unsafe-/.test(packagedPolicy),
    packagedPolicy === sourcePolicy
      ? 'out/renderer/index.html = src/renderer/index.html'
      : `packaged: ${packagedPolicy}`
  )

  const size = statSync(asarPath).size
  const mb = (bytes: number): string => `${(bytes / 1_000_000).toFixed(2)} MB`
  record(
    'app.asar size',
    size <= ASAR_BUDGET_BYTES,
    `${mb(size)} (${size} B) of ${mb(ASAR_BUDGET_BYTES)} budget, ${entries.length} entries`
  )

  console.log(`app.asar holds ${files.length} files:`)
  const width = Math.max(...files.map(({ size }) => String(size).length))
  for (const { entry, size } of files) console.log(`  ${String(size).padStart(width)} B  ${entry}`)
  console.log('')
}

function main(): number {
  const started = Date.now()
  const pkg = readJson<PackageJson>(join(root, 'package.json'))
  const config = parse(readFileSync(join(root, 'electron-builder.yml'), 'utf8')) as Record<
    string,
    unknown
  >
  checkFuses(config)
  checkDesktopName(config, pkg)

  if (!REQUIRED_FILES.slice(0, 3).every((file) => existsSync(join(root, file)))) {
    console.log('out/ is missing or incomplete: npm run build')
    run('npm', ['run', 'build'])
  }

  const temp = mkdtempSync(join(tmpdir(), 'plex-login-helper-package-'))
  try {
    // Stand-in for node_modules/electron/dist on Linux. electron-builder --dir only copies the
    // folder and renames `electron` to the executableName; the rest mimics the real layout.
    const electronVersion = readJson<{ version: string }>(
      join(root, 'node_modules/electron/package.json')
    ).version
    const standin = join(temp, 'electron-dist')
    mkdirSync(join(standin, 'resources'), { recursive: true })
    mkdirSync(join(standin, 'locales'))
    writeFileSync(join(standin, 'electron'), '#!/bin/sh\necho "stand-in Electron"\n', {
      mode: 0o755
    })
    writeFileSync(join(standin, 'version'), electronVersion)
    writeFileSync(join(standin, 'LICENSE'), 'stand-in\n')
    writeFileSync(join(standin, 'LICENSES.chromium.html'), '<!-- stand-in -->\n')

    // The real config minus the fuses (no sentinel in a shell script), built into the temp dir,
    // with no native rebuild (nothing to download).
    const rest: Record<string, unknown> = { ...config }
    delete rest.electronFuses
    const standinConfig = {
      ...rest,
      directories: { ...(rest.directories as object), output: join(temp, 'dist') },
      electronDist: standin,
      electronVersion,
      npmRebuild: false
    }
    const configPath = join(temp, 'electron-builder.json')
    writeFileSync(configPath, JSON.stringify(standinConfig, null, 2))

    const builder = join(root, 'node_modules/.bin/electron-builder')
    run(builder, ['--linux', '--dir', '--projectDir', root, '--config', configPath], {
      ...process.env,
      CSC_IDENTITY_AUTO_DISCOVERY: 'false'
    })
    const unpacked = join(temp, 'dist', 'linux-unpacked')
    const executable = String(config.executableName ?? pkg.name)
    record('executable', existsSync(join(unpacked, executable)), `linux-unpacked/${executable}`)
    const asarPath = join(unpacked, 'resources', 'app.asar')
    if (!existsSync(asarPath)) {
      record('app.asar', false, 'electron-builder produced no resources/app.asar (is asar: true?)')
    } else {
      checkAsar(asarPath, pkg)
    }
  } catch (error) {
    record(
      'electron-builder --linux --dir',
      false,
      error instanceof Error ? error.message : String(error)
    )
  } finally {
    rmSync(temp, { recursive: true, force: true })
  }

  const width = Math.max(...rows.map((row) => row.check.length))
  for (const row of rows) {
    console.log(`${row.ok ? 'ok  ' : 'FAIL'}  ${row.check.padEnd(width)}  ${row.detail}`)
  }
  const failed = rows.filter((row) => !row.ok)
  const seconds = ((Date.now() - started) / 1000).toFixed(1)
  if (failed.length > 0) {
    console.error(
      `\ncheck:package failed: ${failed.map((row) => row.check).join(', ')} (${seconds} s)`
    )
    return 1
  }
  console.log(`\ncheck:package passed (${seconds} s)`)
  return 0
}

process.exit(main())
