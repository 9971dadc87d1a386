// `login --profile/--server` in the command: runs the steps after sign-in and answers their
// questions from the environment (PLEX_LOGIN_PROFILE_PIN) and the terminal. The stored sign-in
// stays the account's: a profile's token is only handed over in the answer.

import type { PlexAccount } from '../plex/plex-client'
import { chosenProfileJson } from '../profiles/profile-json'
import { serverJson } from '../servers/server-json'
import type { ProbedServer } from '../servers/probe-servers'
import {
  chooseServer,
  mediaServerToken,
  switchToProfile,
  type PinQuestion,
  type StepAnswer,
  type StepFailure,
  type StepQuestions,
  type StepsOptions
} from '../login/after-sign-in'
import type { AfterSignInJson } from '../login/sign-in-result'
import type { HomeProfile } from '../profiles/home-users'
import { FALLBACK_LANGUAGE } from '../../shared/i18n/languages'
import { translatorFor, type Translator } from '../../shared/i18n/translator'
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
  t?: Translator['t'] // stderr's language (default English); failures' messages stay English
}

type T = Translator['t']
const ENGLISH = translatorFor(FALLBACK_LANGUAGE).t

export type LoginStepsOutcome =
  { ok: true; token: string; account: PlexAccount; json: AfterSignInJson } | StepFailure

/**
 * `ask` needs a person at a terminal: found out before anyone signs in. The usage error in
 * English (the JSON answer's) and in the person's language (stderr's).
 */
export function askWithoutTerminal(
  options: { profile?: string; server?: string },
  hasTerminal: boolean,
  t: T = ENGLISH
): { message: string; text: string } | undefined {
  if (hasTerminal) return undefined
  const option =
    options.profile === 'ask' ? '--profile' : options.server === 'ask' ? '--server' : ''
  if (!option) return undefined
  return {
    message: ENGLISH('cli.steps.askNoTerminal', { option }),
    text: t('cli.steps.askNoTerminal', { option })
  }
}

export async function runLoginSteps(
  token: string,
  account: PlexAccount,
  options: LoginStepsOptions
): Promise<LoginStepsOutcome> {
  const t = options.t ?? ENGLISH
  const steps: StepsOptions = {
    ...options,
    questions: terminalQuestions(options, t),
    onProbing: (count) => options.out.line(t('cli.steps.testing', { count }))
  }
  const json: AfterSignInJson = {}
  if (options.profile !== undefined) {
    const result = await switchToProfile(token, options.profile, steps)
    if (!result.ok) return result
    if (result.switched) {
      ;({ token, account } = result.switched)
      json.profile = chosenProfileJson(result.switched.profile)
      options.out.line(t('cli.steps.switched', { title: result.switched.profile.title }))
    } else {
      options.out.line(t('cli.steps.noProfilesToChoose'))
    }
  }
  if (options.server !== undefined) {
    const result = await chooseServer(token, options.server, steps)
    if (!result.ok) return result
    json.server = serverJson(result.server)
    options.out.line(t('cli.steps.serverChosen', { server: serverLine(result.server, t) }))
    // A JWT account's own server: its device token, never the account's JWT (after-sign-in.ts).
    const swapped = await mediaServerToken(token, json.server, steps)
    if (!swapped.ok) return swapped
    json.server = { ...json.server, accessToken: swapped.accessToken }
  }
  return { ok: true, token, account, json }
}

function terminalQuestions(options: LoginStepsOptions, t: T): StepQuestions {
  const { terminal, write, signal } = options
  let envPin = options.pinFromEnv
  const noAnswer = (reply: Reply & { ok: false }, code: 'profile' | 'server', what: string) =>
    reply.reason === 'interrupted'
      ? ({ ok: false, code: 'interrupted', message: 'Interrupted' } as const)
      : ({ ok: false, code, message: `No ${what} was chosen` } as const)

  return {
    async chooseProfile(profiles: readonly HomeProfile[]): Promise<StepAnswer> {
      if (!terminal) return { ok: false, code: 'usage', message: '--profile ask needs a terminal' }
      const choices = profiles.map((profile) => ({ label: profileLabel(profile, t) }))
      const title = t('cli.steps.profilesTitle')
      const reply = await chooseByNumber(terminal, write, title, choices, signal, t)
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
      options.out.line(
        why.kind === 'wrong-pin'
          ? t('steps.profile.wrongPin', { title, attemptsLeft: why.attemptsLeft })
          : t('steps.profile.pinNeeded', { title })
      )
      const reply = await terminal.askSecret(`${t('cli.steps.pinFor', { title })} `, signal)
      if (!reply.ok) return noAnswer(reply, 'profile', 'PIN')
      return { ok: true, value: reply.text.trim() }
    },
    async chooseServer(servers: readonly ProbedServer[]): Promise<StepAnswer> {
      if (!terminal) return { ok: false, code: 'usage', message: '--server ask needs a terminal' }
      const choices = servers.map((server) => ({
        label: serverLine(server, t),
        ...unavailable(server, t)
      }))
      const title = t('cli.steps.serversTitle')
      const reply = await chooseByNumber(terminal, write, title, choices, signal, t)
      if (!reply.ok) return noAnswer(reply, 'server', 'server')
      return { ok: true, value: servers[reply.index]!.resource.machineIdentifier }
    }
  }
}

/** A profile's notes, as `profiles` and the question list show them; PIN stays PIN. */
export function profileNotes(profile: HomeProfile, t: T = ENGLISH): string[] {
  return [
    profile.admin && t('cli.profile.admin'),
    profile.restricted && t('cli.profile.managed'),
    profile.protected && 'PIN'
  ].filter((note): note is string => typeof note === 'string')
}

function profileLabel(profile: HomeProfile, t: T): string {
  const notes = profileNotes(profile, t)
  return notes.length > 0 ? `${profile.title} (${notes.join(', ')})` : profile.title
}

/** Where an address is, as the command says it. */
export function whereWords(address: { relay?: boolean; local?: boolean }, t: T = ENGLISH): string {
  return t(
    address.relay ? 'cli.server.relay' : address.local ? 'cli.server.local' : 'cli.server.remote'
  )
}

/** A server in one line: name, whose, and the address chosen. Names are cleaned by the engine. */
export function serverLine({ resource, choice }: ProbedServer, t: T = ENGLISH): string {
  const { name } = resource
  const owner = resource.owner ?? t('cli.server.someoneElse')
  const chosen = choice.chosen
  if (!chosen) {
    return resource.owned
      ? t('cli.server.ownedNone', { name })
      : t('cli.server.sharedNone', { name, owner })
  }
  const address = { uri: chosen.uri, where: whereWords(chosen, t), ms: chosen.latencyMs ?? 0 }
  return resource.owned
    ? t('cli.server.owned', { name, ...address })
    : t('cli.server.shared', { name, owner, ...address })
}

function unavailable({ resource, choice }: ProbedServer, t: T): { unavailable?: string } {
  if (!choice.chosen) return { unavailable: t('cli.server.unreachable') }
  if (resource.accessToken === null) return { unavailable: t('cli.server.noToken') }
  return {}
}
