/** The Electron executable's path, or undefined when it has not been downloaded. */
export function findElectronBinary(): string | undefined

/** Electron's own install script (downloads the binary). */
export function electronInstallScript(): string
