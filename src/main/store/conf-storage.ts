// The headless command's storage: `conf` (electron-store's own base, without Electron) in the
// store directory, as one JSON file readable by its owner only.

import Conf from 'conf'
import type { KeyValueStorage } from './credential-store'
import { openStorageSafely } from './open-storage'

const STORE_NAME = 'plex-login'
export const STORE_FILE_NAME = `${STORE_NAME}.json`

export function openConfStorage(
  directory: string,
  warn: (message: string) => void
): KeyValueStorage {
  return openStorageSafely(
    directory,
    STORE_NAME,
    () =>
      new Conf<Record<string, unknown>>({
        cwd: directory,
        configName: STORE_NAME,
        configFileMode: 0o600,
        projectName: 'plex-login-helper',
        clearInvalidConfig: false
      }),
    warn
  )
}
