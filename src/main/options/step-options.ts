// --profile and --server, which the command's login and the desktop app both take (issue 10).

import { refuse, type Checked } from './option-values'

export interface StepOptions {
  profile?: string // a Home profile's uuid or title, or `ask`
  server?: string // a server's machineIdentifier or name, `auto` or `ask`
}

export function parseStepOptions(values: StepOptions): Checked<StepOptions> {
  const { profile, server } = values
  if (profile !== undefined && !profile.trim()) {
    return refuse('cli.usage.profile')
  }
  if (server !== undefined && !server.trim()) {
    return refuse('cli.usage.server')
  }
  return {
    ok: true,
    value: {
      ...(profile === undefined ? {} : { profile }),
      ...(server === undefined ? {} : { server })
    }
  }
}
