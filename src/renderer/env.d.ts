import type { PlexLoginBridge } from '../shared/login-state'

declare global {
  interface Window {
    plexLogin: PlexLoginBridge
  }
}
