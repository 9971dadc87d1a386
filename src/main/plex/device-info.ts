import { hostname, release } from 'node:os'
import type { DeviceInfo } from './plex-client'

const PLATFORM_NAMES: Partial<Record<NodeJS.Platform, string>> = {
  linux: 'Linux',
  darwin: 'macOS',
  win32: 'Windows'
}

/**
 * Header values are Latin-1 only, and fetch refuses anything else before sending: a computer
 * named "ПК-Иван" would make every request fail. Accents are dropped, other characters go.
 */
export function headerSafe(value: string, fallback: string): string {
  const ascii = value
    .normalize('NFKD')
    .replace(/[^\x20-\x7e]/g, '')
    .trim()
  return /[a-z0-9]/i.test(ascii) ? ascii : fallback
}

/** What plex.tv shows beside this device under Authorized Devices. */
export function deviceInfo(
  product: string,
  version: string,
  computerName = hostname()
): DeviceInfo {
  const platform = PLATFORM_NAMES[process.platform] ?? process.platform
  return {
    product,
    version,
    platform,
    platformVersion: headerSafe(release(), 'unknown'),
    device: platform,
    deviceName: headerSafe(computerName, product)
  }
}
