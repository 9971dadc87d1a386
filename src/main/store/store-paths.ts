import { createHash } from 'node:crypto'
import { homedir } from 'node:os'
import { isAbsolute, join } from 'node:path'

export const PRODUCT_NAME = 'Plex Login Helper'

/** The desktop app's per-user data folder, computed as Electron's app.getPath('userData') does. */
export function appDataFolder(
  env: NodeJS.ProcessEnv = process.env,
  platform = process.platform
): string {
  const home = homedir()
  // An empty or relative setting is ignored, as the XDG spec says, rather than landing the
  // store in whatever folder the command happens to run from.
  const absolute = (value: string | undefined): string | undefined =>
    value && isAbsolute(value) ? value : undefined
  const base =
    platform === 'win32'
      ? (absolute(env.APPDATA) ?? join(home, 'AppData', 'Roaming'))
      : platform === 'darwin'
        ? join(home, 'Library', 'Application Support')
        : (absolute(env.XDG_CONFIG_HOME) ?? join(home, '.config'))
  return join(base, PRODUCT_NAME)
}

/** Where `plex-login` keeps its client identifier and token unless --store-dir says otherwise. */
export function defaultCliStoreDir(
  env: NodeJS.ProcessEnv = process.env,
  platform = process.platform
): string {
  return join(appDataFolder(env, platform), 'cli')
}

/**
 * The store folder for `product` under an app's default folder `base`: the default product keeps
 * `base` (where earlier versions kept it), any other product its own subfolder, so that one
 * installer's --reuse never returns, and its logout never revokes, another app's sign-in. The
 * name is readable and safe as a path; the hash keeps names that slug alike apart.
 */
export function productStoreDir(base: string, product: string): string {
  if (product === PRODUCT_NAME) return base
  const slug =
    product
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .slice(0, 40)
      .replace(/^-+|-+$/g, '') || 'product'
  const hash = createHash('sha256').update(product).digest('hex').slice(0, 8)
  return join(base, 'products', `${slug}-${hash}`)
}
