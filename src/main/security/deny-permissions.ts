import type { Session } from 'electron'

/** The page needs no permission at all (camera, notifications, clipboard-read, …): refuse all. */
export function denyAllPermissions(session: Session): void {
  session.setPermissionRequestHandler((_contents, _permission, grant) => grant(false))
  session.setPermissionCheckHandler(() => false)
  session.setDevicePermissionHandler(() => false)
}
