// What the renderer sends along with a command, checked as untrusted input before any handler
// sees it: a compromised page could send anything, of any size or type.

import type { IpcArguments, IpcCommand } from '../../shared/ipc-channels'
import { isHeaderToken } from '../plex/header-value'
import { isProfileUuid } from '../profiles/home-users'

export type CheckedArguments<K extends IpcCommand> =
  { ok: true; args: IpcArguments[K] } | { ok: false; message: string }

const PROFILE_PIN = /^\d{4}$/
// plex-resources.ts lists no server whose identifier is longer or could not go into a header.
const MAX_MACHINE_IDENTIFIER_LENGTH = 200

export function checkIpcArguments<K extends IpcCommand>(
  command: K,
  args: readonly unknown[]
): CheckedArguments<K> {
  const refuse = (why: string): CheckedArguments<K> => ({
    ok: false,
    message: `Refused: ${command} ${why}`
  })
  switch (command) {
    case 'chooseProfile': {
      const [uuid, pin] = args
      if (args.length < 1 || args.length > 2) return refuse('takes a uuid and maybe a PIN')
      if (typeof uuid !== 'string' || !isProfileUuid(uuid)) return refuse('needs a profile uuid')
      if (args.length === 2 && (typeof pin !== 'string' || !PROFILE_PIN.test(pin)))
        return refuse('takes a PIN of 4 digits')
      return { ok: true, args: (pin === undefined ? [uuid] : [uuid, pin]) as IpcArguments[K] }
    }
    case 'chooseServer': {
      const [id] = args
      if (args.length !== 1) return refuse('takes one machineIdentifier')
      if (typeof id !== 'string' || !isHeaderToken(id, MAX_MACHINE_IDENTIFIER_LENGTH))
        return refuse('needs a machineIdentifier')
      return { ok: true, args: [id] as IpcArguments[K] }
    }
    default:
      // The other commands take nothing: anything sent along is a renderer misbehaving.
      return args.length === 0
        ? { ok: true, args: [] as IpcArguments[K] }
        : refuse('takes no arguments')
  }
}
