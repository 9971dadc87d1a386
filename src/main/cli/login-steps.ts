// `login --profile/--server` in the command: runs the steps after sign-in and answers their
// questions from the environment (PLEX_LOGIN_PROFILE_PIN) and the terminal. The stored sign-in
// stays the account's: a profile's token is only handed over in the answer.

import type { PlexAccount } from '../plex/plex-client'
import { chosenProfileJson } from '../profiles/profile-json'
import { serverJson } from '../servers/server-json'
import type { ProbedServer } from '../servers/probe-servers'
import {
  chooseServer,
  switchToProfile,
  type PinQuestion,
  type StepAnswer,
  type StepFailure,
  type StepQuestions,
  type StepsOptions
} from '../login/after-sign-in'
import type { AfterSignInJson } from '../login/sign-in-result'
import type { HomeProfile } from '../profiles/home-users'
import { chooseByNumber, type Reply, type TerminalPrompt } from './ask-on-terminal'
import type { HumanOutput } from './human-output'

export const PROFILE_PIN_ENV = 'PLEX_LOGIN_PROFILE_PIN'

export interface LoginStepsOptions extends Omit<StepsOptions, 'questions' | 'onProbing'> {
  profile?: string // --profile
  server?: string // --server
  pinFromEnv?: string // PLEX_LOGIN_PROFILE_PIN
  terminal?: TerminalPrompt // present when stdin and stderr are both terminals
  write: (text: string) => void // stderr, for the lists
  out: HumanOutput
}

export type LoginStepsOutcome =
  { ok: true; token: string; account: PlexAccount; json: AfterSignInJson } | StepFailure

/** `ask` needs a person at a terminal: found out before anyone signs in. */
export function askWithoutTerminal(
  options: { profile?: string; server?: string },
  hasTerminal: boolean
): string | undefined {
  if (hasTerminal) return undefined
  const asking =
    options.profile === 'ask' ? '--profile' : options.server === 'ask' ? '--server' : ''
  if (!asking) return undefined
  return `${asking} ask needs a terminal to ask on (stdin and stderr); name one instead`
}

export async function runLoginSteps(
  token: string,
  account: PlexAccount,
  options: LoginStepsOptions
): Promise<LoginStepsOutcome> {
  const steps: StepsOptions = {
    ...options,
    questions: terminalQuestions(options),
    onProbing: (count) =>
      options.out.line(`Testing the addresses of ${count} ${count === 1 ? 'server' : 'servers'}`)
  }
  const json: AfterSignInJson = {}
  if (options.profile !== undefined) {
    const result = await switchToProfile(token, options.profile, steps)
    if (!result.ok) return result
    if (result.switched) {
      ;({ token, account } = result.switched)
      json.profile = chosenProfileJson(result.switched.profile)
      options.out.line(`Switched to the profile ${result.switched.profile.title}`)
    } else {
      options.out.line('This Plex account has no Home profiles to choose from')
    }
  }
  if (options.server !== undefined) {
    const result = await chooseServer(token, options.server, steps)
    if (!result.ok) return result
    json.server = serverJson(result.server)
    options.out.line(`Server: ${serverLine(result.server)}`)
  }
  return { ok: true, token, account, json }
}

function terminalQuestions(options: LoginStepsOptions): StepQuestions {
  const { terminal, write, signal } = options
  let envPin = options.pinFromEnv
  const noAnswer = (reply: Reply & { ok: false }, code: 'profile' | 'server', what: string) =>
    reply.reason === 'interrupted'
      ? ({ ok: false, code: 'interrupted', message: 'Interrupted' } as const)
      : ({ ok: false, code, message: `No ${what} was chosen` } as const)

  return {
    async chooseProfile(profiles: readonly HomeProfile[]): Promise<StepAnswer> {
      if (!terminal) return { ok: false, code: 'usage', message: '--profile ask needs a terminal' }
      const choices = profiles.map((profile) => ({ label: profileLabel(profile) }))
      const reply = await chooseByNumber(terminal, write, 'Plex Home profiles:', choices, signal)
      if (!reply.ok) return noAnswer(reply, 'profile', 'profile')
      return { ok: true, value: profiles[reply.index]!.uuid }
    },
    async profilePin(why: PinQuestion): Promise<StepAnswer> {
      // The environment's PIN is tried once: the same wrong PIN again would only count down.
      if (envPin !== undefined) {
        const pin = envPin
        envPin = undefined
        return { ok: true, value: pin }
      }
      const { title } = why.profile
      if (!terminal) {
        const message =
          why.kind === 'wrong-pin'
            ? `${PROFILE_PIN_ENV} is not the PIN of ${title}`
            : options.pinFromEnv !== undefined
              ? `${PROFILE_PIN_ENV}: ${why.message}`
              : `${why.message}: set ${PROFILE_PIN_ENV}, or run this on a terminal to type it`
        return { ok: false, code: 'profile', message }
      }
      options.out.line(why.message)
      const reply = await terminal.askSecret(`PIN for ${title}: `, signal)
      if (!reply.ok) return noAnswer(reply, 'profile', 'PIN')
      return { ok: true, value: reply.text.trim() }
    },
    async chooseServer(servers: readonly ProbedServer[]): Promise<StepAnswer> {
      if (!terminal) return { ok: false, code: 'usage', message: '--server ask needs a terminal' }
      const choices = servers.map((server) => ({
        label: serverLine(server),
        ...unavailable(server)
      }))
      const reply = await chooseByNumber(terminal, write, 'Plex Media Servers:', choices, signal)
      if (!reply.ok) return noAnswer(reply, 'server', 'server')
      return { ok: true, value: servers[reply.index]!.resource.machineIdentifier }
    }
  }
}

function profileLabel(profile: HomeProfile): string {
  const notes = [
    profile.admin && 'admin',
    profile.restricted && 'managed',
    profile.protected && 'PIN'
  ].filter(Boolean)
  return notes.length > 0 ? `${profile.title} (${notes.join(', ')})` : profile.title
}

/** A server in one line: name, whose, and the address chosen. Names are cleaned by the engine. */
export function serverLine({ resource, choice }: ProbedServer): string {
  const whose = resource.owned ? '' : ` shared by ${resource.owner ?? 'someone else'}`
  const chosen = choice.chosen
  if (!chosen) return `${resource.name}${whose}: no address answered`
  const where = chosen.relay ? 'relay' : chosen.local ? 'local' : 'remote'
  return `${resource.name}${whose} at ${chosen.uri} (${where}, ${chosen.latencyMs ?? 0} ms)`
}

function unavailable({ resource, choice }: ProbedServer): { unavailable?: string } {
  if (!choice.chosen) return { unavailable: 'not reachable from here' }
  if (resource.accessToken === null) return { unavailable: 'plex.tv gives no access token' }
  return {}
}
