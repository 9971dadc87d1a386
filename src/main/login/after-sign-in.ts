// The steps after a sign-in (issue 10): act as a Plex Home profile, then pick the media server to
// hand over. Shared by the command and the window: what only a person can answer (which one,
// the PIN) is asked through `StepQuestions`, which the command answers from the terminal and the
// window from its own screens; nothing here knows of either.

import {
  DEFAULT_PLEX_URL,
  type DeviceInfo,
  type PlexAccount,
  type PlexClient
} from '../plex/plex-client'
import type { ClientsOptions } from '../profiles/clients-request'
import { listProfiles, type HomeProfile } from '../profiles/home-users'
import { createProfileStep, type ProfileChoice } from '../profiles/profile-step'
import { autoPickSettled, findServer, pickServer } from '../servers/pick-server'
import { DEFAULT_CLIENTS_URL, listServers } from '../servers/plex-resources'
import { probeServers, type ProbedServer } from '../servers/probe-servers'
import { isJwt, serverDeviceToken } from '../servers/device-tokens'
import type { ServerJson } from '../servers/server-json'
import type { ErrorCode } from './sign-in-result'

export type StepFailure = { ok: false; code: ErrorCode; message: string }
/** A person's answer, or why there is none (no terminal, interrupted, gave up). */
export type StepAnswer = { ok: true; value: string } | StepFailure
/** A PIN; the window may instead name another profile (`profile`) the person picked. */
export type PinAnswer = StepAnswer & { profile?: string }

export interface StepQuestions {
  /** `--profile ask`: the uuid of one of these. */
  chooseProfile(profiles: readonly HomeProfile[]): Promise<StepAnswer>
  /** A protected profile's PIN: asked first, or again after a wrong one (attemptsLeft). */
  profilePin(why: PinQuestion): Promise<PinAnswer>
  /** `--server ask`: the machineIdentifier of one of these (probed, best first). */
  chooseServer(servers: readonly ProbedServer[]): Promise<StepAnswer>
  /** The window: a server the person picked while the list was still being tested. */
  serverPickedEarly?(): string | undefined
}

export type PinQuestion = Extract<ProfileChoice, { kind: 'pin-needed' | 'wrong-pin' }>

export interface StepsOptions {
  fetch: typeof fetch
  clientsUrl: string // https://clients.plex.tv, or the fake plex.tv (--plex-url)
  clientIdentifier: string // the device the sign-in's token was issued to
  device: DeviceInfo
  getAccount: PlexClient['getAccount'] // plex.tv's /api/v2/user, for a profile's account
  questions: StepQuestions
  signal?: AbortSignal
  onProbing?: (servers: number) => void // the server step starts testing addresses
  // The list as probes answer (best first), and once more when testing is over.
  onServers?: (servers: readonly ProbedServer[], searching: boolean) => void
  stopProbing?: AbortSignal // the person picked a server: the rest need not finish testing
}

/** plex.tv's other origin for Home and resources; a test's --plex-url stands in for both. */
export function clientsUrlFor(plexUrl: string): string {
  return new URL(plexUrl).origin === DEFAULT_PLEX_URL ? DEFAULT_CLIENTS_URL : plexUrl
}

export interface Switched {
  token: string // the profile's own plex.tv token
  account: PlexAccount
  profile: HomeProfile
}

/**
 * `wanted`: a uuid, a title or `ask`. A switch is `undefined` only for `ask` on an account
 * without a Home: there is nobody to choose.
 */
export async function switchToProfile(
  token: string,
  wanted: string,
  options: StepsOptions
): Promise<{ ok: true; switched?: Switched } | StepFailure> {
  const clients = clientsOptions(token, options)
  const listed = await listProfiles(clients)
  if (!listed.ok) {
    const message = `Could not read the Plex Home profiles: ${listed.message}`
    return { ok: false, code: listed.kind, message }
  }
  const { profiles } = listed
  if (wanted === 'ask' && profiles.length === 0) return { ok: true }
  let ref = wanted
  if (wanted === 'ask') {
    const answer = await options.questions.chooseProfile(profiles)
    if (!answer.ok) return answer
    ref = answer.value
  }
  const step = createProfileStep(profiles, clients)
  let choice = await step.choose(ref)
  // The step counts wrong PINs and ends after five; a PIN that is not 4 digits is not counted.
  while (choice.kind === 'pin-needed' || choice.kind === 'wrong-pin') {
    const pin = await options.questions.profilePin(choice)
    if (!pin.ok) return pin
    choice = await step.choose(pin.profile ?? choice.profile.uuid, pin.value)
  }
  if (choice.kind === 'failed') return { ok: false, code: choice.code, message: choice.message }
  let account = choice.account
  if (!account) {
    const read = await options.getAccount(choice.token, options.signal)
    if (!read.ok) {
      const message = `Could not read the account of ${choice.profile.title}: ${read.message}`
      return { ok: false, code: read.kind === 'expired' ? 'unavailable' : read.kind, message }
    }
    account = read.account
  }
  return { ok: true, switched: { token: choice.token, account, profile: choice.profile } }
}

/**
 * `wanted`: a machineIdentifier, a name, `auto` (the best reachable, owned first) or `ask`.
 * Only a server an address proved to be, and that plex.tv gave a token for, is handed over.
 */
export async function chooseServer(
  token: string,
  wanted: string,
  options: StepsOptions
): Promise<{ ok: true; server: ProbedServer } | StepFailure> {
  const { fetch, clientsUrl, clientIdentifier, device } = options
  const listed = await listServers({ fetch, clientsUrl, token, clientIdentifier, device })
  if (!listed.ok) {
    const message = `Could not read this account's servers: ${listed.message}`
    return { ok: false, code: listed.kind, message }
  }
  let resources = listed.servers
  if (wanted !== 'auto' && wanted !== 'ask') {
    // Named: only that server is probed, and an unknown name fails before any probe.
    const found = findServer(resources, wanted)
    if (!found.ok) return { ok: false, code: 'server', message: found.message }
    resources = [found.server]
  }
  options.onProbing?.(resources.length)
  // `auto` hands over as soon as no server still testing could beat the best one so far: a dead
  // address of another server must not hold back one that already answered.
  const settled = new AbortController()
  const stops = [options.signal, options.stopProbing, settled.signal].filter(
    (signal) => signal !== undefined
  )
  const probed = await probeServers(resources, {
    fetch,
    clientIdentifier,
    product: device.product,
    signal: AbortSignal.any(stops),
    onProgress: (servers) => {
      options.onServers?.(servers, true)
      if (wanted === 'auto' && !settled.signal.aborted && autoPickSettled(servers)) settled.abort()
    }
  })
  options.onServers?.(probed, false)
  let ref = options.questions.serverPickedEarly?.() ?? wanted
  if (ref === 'ask') {
    // Nothing to ask when nothing can be chosen: say why, as `auto` would.
    const usable = pickServer(probed, 'auto')
    if (!usable.ok) return { ok: false, code: 'server', message: usable.message }
    const answer = await options.questions.chooseServer(probed)
    if (!answer.ok) return answer
    ref = answer.value
  }
  const picked = pickServer(probed, ref)
  if (!picked.ok) return { ok: false, code: 'server', message: picked.message }
  return { ok: true, server: picked.server }
}

function clientsOptions(token: string, options: StepsOptions): ClientsOptions {
  return {
    fetch: options.fetch,
    clientsUrl: options.clientsUrl,
    token,
    clientIdentifier: options.clientIdentifier,
    device: options.device,
    ...(options.signal ? { signal: options.signal } : {})
  }
}

/**
 * A JWT account's own servers are listed with the account's Plex JWT as their accessToken, which
 * media servers refuse: the server's own device token (from clients.plex.tv's devices list) is
 * handed over instead. A JWT is never handed over as a server's token: without a device token
 * the step fails, as for a server without a token.
 */
export async function mediaServerToken(
  token: string,
  server: ServerJson,
  options: StepsOptions
): Promise<{ ok: true; accessToken: string | null } | StepFailure> {
  const { accessToken } = server
  if (accessToken === null || !isJwt(accessToken)) return { ok: true, accessToken }
  const found = server.owned
    ? await serverDeviceToken(clientsOptions(token, options), server.machineIdentifier)
    : undefined
  if (found?.ok && found.token !== null) return { ok: true, accessToken: found.token }
  const why = !found
    ? 'it is shared'
    : found.ok
      ? 'plex.tv lists no device token for it'
      : found.message
  const message = `plex.tv gives no token ${server.name} would take (${why})`
  return { ok: false, code: 'server', message }
}
