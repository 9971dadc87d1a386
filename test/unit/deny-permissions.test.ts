import type { Session } from 'electron'
import { describe, expect, it, vi } from 'vitest'
import { denyAllPermissions } from '../../src/main/security/deny-permissions'

type RequestHandler = (contents: unknown, permission: string, grant: (ok: boolean) => void) => void
type CheckHandler = (contents: unknown, permission: string) => boolean
type DeviceHandler = (details: unknown) => boolean

/** A session that keeps the handlers it is given. */
function fakeSession() {
  const handlers: {
    request?: RequestHandler
    check?: CheckHandler
    device?: DeviceHandler
  } = {}
  const session = {
    setPermissionRequestHandler: (handler: RequestHandler) => void (handlers.request = handler),
    setPermissionCheckHandler: (handler: CheckHandler) => void (handlers.check = handler),
    setDevicePermissionHandler: (handler: DeviceHandler) => void (handlers.device = handler)
  }
  return { session: session as unknown as Session, handlers }
}

const PERMISSIONS = [
  'media',
  'notifications',
  'clipboard-read',
  'clipboard-sanitized-write',
  'geolocation',
  'fullscreen',
  'openExternal',
  'pointerLock',
  'midiSysex',
  'hid',
  'serial',
  'usb',
  'unknown'
]

describe('denyAllPermissions', () => {
  it('installs all three handlers', () => {
    const { session, handlers } = fakeSession()
    denyAllPermissions(session)
    expect(handlers.request).toBeTypeOf('function')
    expect(handlers.check).toBeTypeOf('function')
    expect(handlers.device).toBeTypeOf('function')
  })

  it.each(PERMISSIONS)('refuses a request for %s, once and at once', (permission) => {
    const { session, handlers } = fakeSession()
    denyAllPermissions(session)
    const grant = vi.fn()
    handlers.request?.({}, permission, grant)
    expect(grant).toHaveBeenCalledTimes(1)
    expect(grant).toHaveBeenCalledWith(false)
  })

  it.each(PERMISSIONS)('answers no to a check for %s', (permission) => {
    const { session, handlers } = fakeSession()
    denyAllPermissions(session)
    expect(handlers.check?.({}, permission)).toBe(false)
    expect(handlers.check?.(null, permission)).toBe(false)
  })

  it('refuses every device', () => {
    const { session, handlers } = fakeSession()
    denyAllPermissions(session)
    for (const deviceType of ['hid', 'serial', 'usb']) {
      expect(handlers.device?.({ deviceType, origin: 'app://renderer', device: {} })).toBe(false)
    }
  })
})
