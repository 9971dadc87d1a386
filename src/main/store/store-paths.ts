import { homedir } from 'node:os'
import { join } from 'node:path'

export const PRODUCT_NAME = 'Plex Login Helper'

/** The desktop app's per-user data folder, computed as Electron's app.getPath('userData') does. */
export function appDataFolder(
  env: NodeJS.ProcessEnv = process.env,
  platform = process.platform
): string {
  const home = homedir()
  const base =
    platform === 'win32'
      ? (env.APPDATA ?? join(home, 'AppData', 'Roaming'))
      : platform === 'darwin'
        ? join(home, 'Library', 'Application Support')
        : (env.XDG_CONFIG_HOME ?? join(home, '.config'))
  return join(base, PRODUCT_NAME)
}

/** Where `plex-login` keeps its client identifier and token unless --store-dir says otherwise. */
export function defaultCliStoreDir(
  env: NodeJS.ProcessEnv = process.env,
  platform = process.platform
): string {
  return join(appDataFolder(env, platform), 'cli')
}
