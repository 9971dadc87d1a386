import { hostname, release } from 'node:os'
import type { DeviceInfo } from './plex-client'

const PLATFORM_NAMES: Partial<Record<NodeJS.Platform, string>> = {
  linux: 'Linux',
  darwin: 'macOS',
  win32: 'Windows'
}

/** What plex.tv shows beside this device under Authorized Devices. */
export function deviceInfo(product: string, version: string): DeviceInfo {
  const platform = PLATFORM_NAMES[process.platform] ?? process.platform
  return {
    product,
    version,
    platform,
    platformVersion: release(),
    device: platform,
    deviceName: hostname() || product
  }
}
