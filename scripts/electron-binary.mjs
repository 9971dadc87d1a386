// Where the Electron binary is, without triggering `require('electron')`, which tries to
// download it on first use (Electron >= 42) and throws where GitHub cannot be reached.
import { existsSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'

const require = createRequire(import.meta.url)

/** The Electron executable's path, or undefined when it has not been downloaded. */
export function findElectronBinary() {
  let electronDir
  try {
    electronDir = dirname(require.resolve('electron/package.json'))
  } catch {
    return undefined
  }
  const pathFile = join(electronDir, 'path.txt')
  const relative = existsSync(pathFile) ? readFileSync(pathFile, 'utf8') : undefined
  const override = process.env.ELECTRON_OVERRIDE_DIST_PATH
  if (override) {
    const candidate = join(override, relative ?? 'electron')
    return existsSync(candidate) ? candidate : undefined
  }
  if (!relative) return undefined
  const candidate = join(electronDir, 'dist', relative)
  return existsSync(candidate) ? candidate : undefined
}

export function electronInstallScript() {
  return join(dirname(require.resolve('electron/package.json')), 'install.js')
}
