import { spawn } from 'node:child_process'

/** Opens a URL in the default browser with the platform's own opener. */
export function openInBrowser(
  url: string,
  platform: NodeJS.Platform = process.platform
): Promise<void> {
  const [command, args] =
    platform === 'darwin'
      ? ['open', [url]]
      : platform === 'win32'
        ? // `start` treats its first quoted argument as a window title, hence the empty one.
          ['cmd', ['/c', 'start', '""', url.replaceAll('&', '^&')]]
        : ['xdg-open', [url]]
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: 'ignore', detached: true, windowsHide: true })
    child.once('error', reject)
    child.once('spawn', () => {
      child.unref()
      resolve()
    })
  })
}
