// --profile and --server, which the command's login and the desktop app both take (issue 10).

import type { Checked } from './option-values'

export interface StepOptions {
  profile?: string // a Home profile's uuid or title, or `ask`
  server?: string // a server's machineIdentifier or name, `auto` or `ask`
}

export function parseStepOptions(values: StepOptions): Checked<StepOptions> {
  const { profile, server } = values
  if (profile !== undefined && !profile.trim()) {
    return { ok: false, message: '--profile needs a uuid, a title or ask' }
  }
  if (server !== undefined && !server.trim()) {
    return { ok: false, message: '--server needs a machineIdentifier, a name, auto or ask' }
  }
  return {
    ok: true,
    value: {
      ...(profile === undefined ? {} : { profile }),
      ...(server === undefined ? {} : { server })
    }
  }
}
