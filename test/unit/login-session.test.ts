import { describe, expect, it } from 'vitest'
import type { LoginState } from '../../src/shared/login-state'
import { LoginSession, type SignIn } from '../../src/main/login/login-session'
import { CLASSIC_TOKEN } from '../../src/main/login/sign-in-result'
import type { PlexAccount, PlexClient, PlexPin, PlexResult } from '../../src/main/plex/plex-client'
import { CredentialStore, memoryStorage } from '../../src/main/store/credential-store'
import { TEST_DEVICE } from './fixtures'

const TOKEN = 'stored-SECRET-token'
const DEVICE = TEST_DEVICE
const ACCOUNT: PlexAccount = {
  id: 3,
  uuid: 'u3',
  username: 'carol',
  title: 'Carol',
  email: 'carol@example.com',
  thumb: ''
}
const never = <T>(): Promise<T> => new Promise<T>(() => {})

interface Setup {
  getAccount?: () => Promise<PlexResult<{ account: PlexAccount }>>
  createPin?: () => Promise<PlexResult<{ pin: PlexPin }>>
  signOut?: () => Promise<PlexResult<object>>
  verifiedOnly?: boolean
  storedClientId?: string
}

async function setup(options: Setup = {}) {
  const calls = { creates: 0, accounts: 0, signOuts: 0 }
  const client: PlexClient = {
    clientIdentifier: 'this-device',
    device: DEVICE,
    createPin: () => {
      calls.creates += 1
      return options.createPin?.() ?? never()
    },
    getPin: () => never(),
    getAccount: () => {
      calls.accounts += 1
      return options.getAccount?.() ?? Promise.resolve({ ok: true, account: ACCOUNT })
    },
    signOut: () => {
      calls.signOuts += 1
      return options.signOut?.() ?? Promise.resolve({ ok: true })
    }
  }
  const store = new CredentialStore(memoryStorage())
  await store.save(TOKEN, ACCOUNT, options.storedClientId)
  const signIns: SignIn[] = []
  const failures: string[] = []
  const states: LoginState[] = []
  const session = new LoginSession({
    client,
    store,
    verifiedOnly: options.verifiedOnly ?? false,
    onSignedIn: (signIn) => void signIns.push(signIn),
    onFailed: (code, message) => void failures.push(`${code}: ${message}`)
  })
  session.onState((state) => states.push(state))
  return { session, store, calls, signIns, failures, states }
}

const settle = (): Promise<void> => new Promise((resolve) => setImmediate(resolve))
const outage = (): Promise<PlexResult<{ account: PlexAccount }>> =>
  Promise.resolve({ ok: false, kind: 'unavailable', message: 'plex.tv is down' })

describe('LoginSession at start, with a stored token', () => {
  it('signs in at once when plex.tv accepts it, with the client id it was issued to', async () => {
    const h = await setup({ storedClientId: 'old-device' })
    await h.session.start()
    expect(h.signIns).toEqual([
      {
        token: TOKEN,
        account: ACCOUNT,
        clientIdentifier: 'old-device',
        kind: CLASSIC_TOKEN,
        verified: true
      }
    ])
    expect(h.states.at(-1)).toMatchObject({ phase: 'signed-in', user: { verified: true } })
    expect(h.calls.creates).toBe(0)
  })

  it('keeps the person signed in, unverified, when plex.tv cannot be asked', async () => {
    const h = await setup({ getAccount: outage })
    await h.session.start()
    expect(h.signIns).toMatchObject([{ verified: false, clientIdentifier: 'this-device' }])
    expect(h.states.at(-1)).toMatchObject({ phase: 'signed-in', user: { verified: false } })
    expect(h.calls.creates).toBe(0)
  })

  it('with verifiedOnly, shows a new code instead and hands nothing over', async () => {
    const h = await setup({ getAccount: outage, verifiedOnly: true })
    await h.session.start()
    await settle()
    expect(h.signIns).toEqual([])
    expect(h.calls.creates).toBe(1)
    expect((await h.store.load())?.token).toBe(TOKEN) // kept: plex.tv said nothing against it
  })

  it('never puts the token in a state', async () => {
    const h = await setup()
    await h.session.start()
    expect(JSON.stringify(h.states)).not.toContain(TOKEN)
  })
})

describe('LoginSession failures and sign-out', () => {
  it('reports a flow that gives up, with its code', async () => {
    const h = await setup({
      createPin: () =>
        Promise.resolve({ ok: false, kind: 'rejected', status: 400, message: 'Bad product' })
    })
    h.store.clear()
    await h.session.start()
    await settle()
    expect(h.failures).toEqual(['rejected: Bad product'])
  })

  it('does not report a flow that was cancelled', async () => {
    const h = await setup()
    h.store.clear()
    await h.session.start()
    await settle() // the first code is out, and its flow running, when a new one is asked for
    h.session.newCode()
    await settle()
    expect(h.failures).toEqual([])
    expect(h.calls.creates).toBe(2)
  })

  it('signs out, forgets the token and shows a fresh code', async () => {
    const h = await setup()
    await h.session.start()
    await h.session.signOut()
    await settle()
    expect(h.calls.signOuts).toBe(1)
    expect(await h.store.load()).toBeUndefined()
    expect(h.calls.creates).toBe(1)
  })

  it('a new code asked for while plex.tv is told of the sign-out is not replaced', async () => {
    let answerSignOut: (result: PlexResult<object>) => void = () => {}
    const h = await setup({ signOut: () => new Promise((resolve) => (answerSignOut = resolve)) })
    await h.session.start()
    const signingOut = h.session.signOut()
    h.session.newCode()
    await settle()
    expect(h.calls.creates).toBe(1)
    answerSignOut({ ok: true })
    await signingOut
    await settle()
    expect(h.calls.creates).toBe(1)
  })
})
