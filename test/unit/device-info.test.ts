import { describe, expect, it } from 'vitest'
import { deviceInfo, headerSafe } from '../../src/main/plex/device-info'

describe('device info sent to plex.tv', () => {
  it('keeps a plain computer name', () => {
    expect(deviceInfo('App', '1.0', 'living-room-pc').deviceName).toBe('living-room-pc')
  })

  it('turns any computer name into something a header can carry', () => {
    expect(headerSafe('Café-Zoë', 'App')).toBe('Cafe-Zoe')
    expect(deviceInfo('App', '1.0', 'ПК-Иван').deviceName).toBe('App')
    expect(deviceInfo('App', '1.0', '家のPC').deviceName).toBe('PC')
    expect(deviceInfo('My App', '1.0', '家').deviceName).toBe('My App')
  })

  it('gives values fetch accepts as headers', () => {
    const info = deviceInfo('App', '1.0', 'ПК-Иван 家')
    expect(() => new Headers(Object.entries(info))).not.toThrow()
  })
})
