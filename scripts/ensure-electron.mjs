// `npm install` (postinstall): fetch the Electron binary where the network allows; warn once and
// succeed where it does not. `npm start` / `npm run dev`: say in one line how to get it.
import { spawnSync } from 'node:child_process'
import { electronInstallScript, findElectronBinary } from './electron-binary.mjs'

const HOW_TO =
  'run "npx install-electron" where GitHub is reachable, or set ELECTRON_OVERRIDE_DIST_PATH ' +
  'to a folder holding an Electron build'

if (findElectronBinary()) process.exit(0)

if (process.argv.includes('--postinstall')) {
  const result = spawnSync(process.execPath, [electronInstallScript()], {
    stdio: 'ignore',
    timeout: 120_000
  })
  if (result.status !== 0 || !findElectronBinary()) {
    console.warn(
      'plex-login-helper: the Electron binary could not be downloaded; the CLI, build and ' +
        `browser tests work without it. To run the desktop app, ${HOW_TO}.`
    )
  }
  process.exit(0)
}

console.error(`The Electron binary is not installed: to run the desktop app, ${HOW_TO}.`)
process.exit(1)
