// The account and device the unit tests sign in with.

import type { DeviceInfo, PlexAccount } from '../../src/main/plex/plex-client'

export const TEST_ACCOUNT: PlexAccount = {
  id: 7,
  uuid: 'uuid-7',
  username: 'alice',
  title: 'Alice',
  email: 'alice@example.com',
  thumb: 'https://plex.tv/users/7/avatar'
}

export const TEST_DEVICE: DeviceInfo = {
  product: 'Unit Test',
  version: '0.0.1',
  platform: 'Linux',
  platformVersion: '6',
  device: 'Linux',
  deviceName: 'host'
}
