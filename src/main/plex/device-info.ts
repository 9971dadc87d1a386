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

/** The headers every plex.tv and clients.plex.tv request carries; the token where there is one. */
export function plexHeaders(
  device: DeviceInfo,
  clientIdentifier: string,
  token?: string
): Record<string, string> {
  return {
    Accept: 'application/json',
    'X-Plex-Client-Identifier': clientIdentifier,
    'X-Plex-Product': device.product,
    'X-Plex-Version': device.version,
    'X-Plex-Platform': device.platform,
    'X-Plex-Platform-Version': device.platformVersion,
    'X-Plex-Device': device.device,
    'X-Plex-Device-Name': device.deviceName,
    ...(token ? { 'X-Plex-Token': token } : {})
  }
}
