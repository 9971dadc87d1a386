// The steps after a sign-in as the window runs them (issue 10 §3): the questions of
// after-sign-in.ts become the `choose-profile` and `choose-server` states, and the person's
// answers come back through chooseProfile/chooseServer. Only names, flags and pictures go to the
// window: no token, no address.

import { FALLBACK_LANGUAGE } from '../../shared/i18n/languages'
import { translatorFor, type Translator } from '../../shared/i18n/translator'
import type { LoginState, ProfileOption, ServerOption } from '../../shared/login-state'
import { cleanText } from '../../shared/sanitize-text'
import type { PlexAccount } from '../plex/plex-client'
import type { HomeProfile } from '../profiles/home-users'
import { chosenProfileJson } from '../profiles/profile-json'
import type { ProbedServer } from '../servers/probe-servers'
import { serverJson } from '../servers/server-json'
import {
  chooseServer,
  mediaServerToken,
  switchToProfile,
  type PinAnswer,
  type PinQuestion,
  type StepFailure,
  type StepQuestions,
  type StepsOptions
} from './after-sign-in'
import type { AfterSignInJson } from './sign-in-result'

export interface WindowStepsOptions {
  profile?: string // --profile: a uuid, a title or ask
  server?: string // --server: a machineIdentifier, a name, auto or ask
  steps: Omit<
    StepsOptions,
    'questions' | 'signal' | 'clientIdentifier' | 'onProbing' | 'onServers' | 'stopProbing'
  >
  fetchAvatar?: (url: string) => Promise<string | undefined>
  translator?: Translator // the window's language, for the errors it shows (default English)
}

/** What the signed-in view names besides the account. */
export interface StepsShown {
  profile?: { title: string }
  server?: { name: string }
}

export type WindowStepsOutcome =
  | { ok: true; token: string; account: PlexAccount; json: AfterSignInJson; shown: StepsShown }
  | StepFailure

type Publish = (state: LoginState) => void

interface Waiting {
  kind: 'profile' | 'pin' | 'server'
  resolve: (answer: PinAnswer) => void
}

export class WindowSteps {
  private waiting: Waiting | undefined
  private profiles: readonly HomeProfile[] = []
  private servers: readonly ProbedServer[] = []
  private probing: AbortController | undefined
  private pickedEarly: string | undefined
  private pinGiven: { uuid: string; pin: string } | undefined // typed with the profile's choice
  // Each picture is fetched once: a list shown again (after a wrong PIN) keeps its faces.
  private readonly avatars = new Map<string, Promise<string | undefined>>() // by thumb
  private readonly arrived = new Map<string, string>() // by thumb, the data: URLs so far
  private publish: Publish = () => {}

  constructor(private readonly options: WindowStepsOptions) {}

  /** Whether the app was asked to run a step at all (--profile or --server). */
  get wanted(): boolean {
    return this.options.profile !== undefined || this.options.server !== undefined
  }

  /** Runs the steps for a sign-in; `signal` ends them (sign-out, new code, the app closing). */
  async run(
    signIn: { token: string; account: PlexAccount; clientIdentifier: string },
    publish: Publish,
    signal: AbortSignal
  ): Promise<WindowStepsOutcome> {
    this.publish = publish
    this.profiles = [] // a list from an earlier run is no longer on offer
    this.pickedEarly = undefined
    this.pinGiven = undefined
    const stopped: StepFailure = { ok: false, code: 'interrupted', message: 'Stopped' }
    const onAbort = (): void => this.answer(stopped)
    signal.addEventListener('abort', onAbort, { once: true })
    try {
      const outcome = await this.runSteps(signIn, signal)
      // Ended while plex.tv or the servers were still being asked: nothing chosen counts.
      return signal.aborted ? stopped : outcome
    } finally {
      signal.removeEventListener('abort', onAbort)
      this.publish = () => {}
    }
  }

  /**
   * The window's answer while a profile is asked for; `pin` for a protected one. Arguments are
   * already checked for shape (ipc-arguments.ts); here, that they name a profile on offer.
   */
  chooseProfile(uuid: string, pin?: string): void {
    const asked = this.waiting?.kind
    if (asked !== 'profile' && asked !== 'pin') return // a late press: the step has moved on
    if (!this.profiles.some((profile) => profile.uuid === uuid)) {
      throw new Error('Refused: that profile is not on offer')
    }
    if (asked === 'profile') {
      this.pinGiven = pin === undefined ? undefined : { uuid, pin }
      this.answer({ ok: true, value: uuid })
    } else {
      // Asked for a PIN, the person may also have gone back and picked another profile.
      this.answer({ ok: true, value: pin ?? '', profile: uuid })
    }
  }

  /** The window's pick; taken while addresses are still tested, if that server is usable. */
  chooseServer(machineIdentifier: string): void {
    // The server step runs (and is asked) while `probing` is set; later presses are ignored.
    if (!this.probing) return
    const server = this.servers.find(
      (entry) => entry.resource.machineIdentifier === machineIdentifier
    )
    if (!server) throw new Error('Refused: that server is not on offer')
    if (!isUsable(server)) throw new Error('Refused: that server cannot be used from here')
    if (this.waiting?.kind === 'server') {
      this.answer({ ok: true, value: machineIdentifier })
    } else if (this.pickedEarly === undefined) {
      this.pickedEarly = machineIdentifier
      this.probing.abort()
    }
  }

  private async runSteps(
    signIn: { token: string; account: PlexAccount; clientIdentifier: string },
    signal: AbortSignal
  ): Promise<WindowStepsOutcome> {
    let { token, account } = signIn
    const json: AfterSignInJson = {}
    const shown: StepsShown = {}
    const steps: StepsOptions = {
      ...this.options.steps,
      clientIdentifier: signIn.clientIdentifier,
      questions: this.questions(),
      signal,
      onServers: (servers, searching) => this.showServers(servers, searching)
    }
    if (this.options.profile !== undefined) {
      const result = await switchToProfile(token, this.options.profile, steps)
      if (!result.ok) return result
      if (result.switched) {
        ;({ token, account } = result.switched)
        json.profile = chosenProfileJson(result.switched.profile)
        shown.profile = { title: result.switched.profile.title }
      }
    }
    if (this.options.server !== undefined) {
      this.probing = new AbortController()
      this.servers = []
      // Shown at once, so the window says what it is doing before plex.tv has answered.
      this.publish({ phase: 'choose-server', servers: [], searching: true })
      try {
        const result = await chooseServer(token, this.options.server, {
          ...steps,
          stopProbing: this.probing.signal
        })
        if (!result.ok) return result
        const server = serverJson(result.server)
        // A JWT account's own server is handed over with its device token, as media servers take.
        const swapped = await mediaServerToken(token, server, steps)
        if (!swapped.ok) return swapped
        json.server = { ...server, accessToken: swapped.accessToken }
        shown.server = { name: result.server.resource.name }
      } finally {
        this.probing = undefined
      }
    }
    return { ok: true, token, account, json, shown }
  }

  private questions(): StepQuestions {
    return {
      chooseProfile: (profiles) => {
        this.showProfiles(profiles)
        return this.ask('profile')
      },
      profilePin: (why: PinQuestion) => {
        // The PIN typed with the choice answers the first question for that profile.
        const given = this.pinGiven
        this.pinGiven = undefined
        if (why.kind === 'pin-needed' && given?.uuid === why.profile.uuid) {
          return Promise.resolve({ ok: true, value: given.pin })
        }
        const offered = this.profiles.length > 0 ? this.profiles : [why.profile]
        // plex.tv may ask a PIN of a profile its list did not mark: show the pad for it now.
        const profiles = offered.map((profile) =>
          profile.uuid === why.profile.uuid ? { ...profile, protected: true } : profile
        )
        const error =
          why.kind === 'wrong-pin' || this.profiles.length > 0 ? this.pinError(why) : undefined
        this.showProfiles(profiles, error)
        return this.ask('pin')
      },
      chooseServer: () => this.ask('server'),
      serverPickedEarly: () => this.pickedEarly
    }
  }

  // Worded from the question's data in the window's language; why.message is the engine's
  // English, for the command and the log. A PIN of the wrong shape (only a hand-made IPC call
  // sends one) asks for the PIN again like a missing one does.
  private pinError(why: PinQuestion): string {
    const { t } = this.options.translator ?? translatorFor(FALLBACK_LANGUAGE)
    const title = cleanText(why.profile.title, 64)
    return why.kind === 'wrong-pin'
      ? t('steps.profile.wrongPin', { title, attemptsLeft: why.attemptsLeft })
      : t('steps.profile.pinNeeded', { title })
  }

  private ask(kind: Waiting['kind']): Promise<PinAnswer> {
    // One question at a time: a new one answers nothing left over from before.
    this.answer({ ok: false, code: 'interrupted', message: 'Stopped' })
    return new Promise((resolve) => (this.waiting = { kind, resolve }))
  }

  private answer(answer: PinAnswer): void {
    const waiting = this.waiting
    this.waiting = undefined
    waiting?.resolve(answer)
  }

  private showProfiles(profiles: readonly HomeProfile[], error?: string): void {
    this.profiles = profiles
    let options = profiles.map((profile) => {
      const avatar = profile.thumb && this.arrived.get(profile.thumb)
      return avatar ? { ...profileOption(profile), avatar } : profileOption(profile)
    })
    const show = (): void =>
      this.publish({ phase: 'choose-profile', profiles: options, ...(error ? { error } : {}) })
    show()
    // Pictures arrive one by one; each is shown as long as this list still is.
    const { fetchAvatar } = this.options
    if (!fetchAvatar) return
    profiles.forEach((profile, index) => {
      const { thumb } = profile
      if (!thumb || options[index]!.avatar) return
      let picture = this.avatars.get(thumb)
      if (!picture) {
        picture = fetchAvatar(thumb).then((avatar) => {
          if (avatar) this.arrived.set(thumb, avatar)
          return avatar
        })
        this.avatars.set(thumb, picture)
      }
      void picture.then((avatar) => {
        if (!avatar || this.profiles !== profiles) return
        // A new list each time: a state once published is never changed under its reader.
        options = options.with(index, { ...options[index]!, avatar })
        show()
      })
    })
  }

  private showServers(servers: readonly ProbedServer[], searching: boolean): void {
    this.servers = servers
    // Best first as the engine orders them, those the person can pick above the rest.
    const usableFirst = servers.toSorted((a, b) => Number(isUsable(b)) - Number(isUsable(a)))
    this.publish({ phase: 'choose-server', servers: usableFirst.map(serverOption), searching })
  }
}

function profileOption(profile: HomeProfile): ProfileOption {
  const { uuid, title, admin, restricted } = profile
  return { uuid, title, protected: profile.protected, admin, restricted }
}

/** An address proved it is this server, and plex.tv gave this account a token for it. */
function isUsable({ resource, choice }: ProbedServer): boolean {
  return choice.chosen !== null && resource.accessToken !== null
}

function serverOption(server: ProbedServer): ServerOption {
  const { resource, choice } = server
  const chosen = choice.chosen
  return {
    machineIdentifier: resource.machineIdentifier,
    name: resource.name,
    owned: resource.owned,
    ...(resource.owner ? { owner: resource.owner } : {}),
    reachable: isUsable(server),
    ...(chosen
      ? {
          connection: { local: chosen.local, relay: chosen.relay, latencyMs: chosen.latencyMs ?? 0 }
        }
      : {})
  }
}
