import { describe, expect, it } from 'vitest'
import { checkStatus, signOut } from '../../src/main/login/account-status'
import { CredentialStore, type KeyValueStorage } from '../../src/main/store/credential-store'
import type {
  PlexAccount,
  PlexClient,
  PlexFailure,
  PlexResult
} from '../../src/main/plex/plex-client'
import { TEST_ACCOUNT } from './fixtures'

const TOKEN = 'stored-token'
const ACCOUNT: PlexAccount = { ...TEST_ACCOUNT, thumb: '' }
const FRESH: PlexAccount = { ...ACCOUNT, title: 'Alice Fresh', email: 'new@example.com' }

function memoryStorage(): KeyValueStorage {
  const data = new Map<string, unknown>()
  return {
    get: (key) => data.get(key),
    set: (key, value) => void data.set(key, value),
    delete: (key) => void data.delete(key)
  }
}

function storeWith(signedIn: boolean): CredentialStore {
  const store = new CredentialStore(memoryStorage(), undefined, () => 'client-1')
  if (signedIn) store.save(TOKEN, ACCOUNT)
  return store
}

function fakeClient(answers: {
  getAccount?: PlexResult<{ account: PlexAccount }>
  signOut?: PlexResult<object>
}): PlexClient & { calls: string[] } {
  const calls: string[] = []
  const fail = (): never => {
    throw new Error('unexpected call')
  }
  return {
    calls,
    clientIdentifier: 'client-1',
    device: {
      product: 'p',
      version: 'v',
      platform: 'Linux',
      platformVersion: '6',
      device: 'Linux',
      deviceName: 'h'
    },
    createPin: fail,
    getPin: fail,
    getAccount: async (token) => {
      calls.push(`getAccount ${token}`)
      return answers.getAccount ?? fail()
    },
    signOut: async (token) => {
      calls.push(`signOut ${token}`)
      return answers.signOut ?? fail()
    }
  }
}

const failure = (value: PlexFailure): PlexResult<never> => ({ ok: false, ...value })

describe('checkStatus', () => {
  it('200 is signed in, with the fresh account', async () => {
    const store = storeWith(true)
    const client = fakeClient({ getAccount: { ok: true, account: FRESH } })
    expect(await checkStatus(client, store)).toEqual({
      status: 'signed-in',
      token: TOKEN,
      account: FRESH
    })
    expect(client.calls).toEqual([`getAccount ${TOKEN}`])
    expect(store.load()).toEqual({ token: TOKEN, account: ACCOUNT })
  })

  it('401 clears the token and is signed out', async () => {
    const store = storeWith(true)
    const client = fakeClient({
      getAccount: failure({
        kind: 'rejected',
        status: 401,
        message: 'User could not be authenticated'
      })
    })
    expect(await checkStatus(client, store)).toEqual({ status: 'signed-out' })
    expect(store.load()).toBeUndefined()
    expect(store.clientIdentifier()).toBe('client-1')
  })

  it.each<[string, PlexFailure]>([
    ['403', { kind: 'rejected', status: 403, message: 'Forbidden' }],
    ['400', { kind: 'rejected', status: 400, message: 'Bad request' }],
    ['404', { kind: 'expired', message: 'Not found' }],
    ['429', { kind: 'rate-limited', message: 'API rate limit exceeded', retryAfterMs: 1000 }],
    ['5xx / network / timeout', { kind: 'unavailable', message: 'Could not reach plex.tv' }]
  ])('%s is unknown and keeps the token', async (_label, answer) => {
    const store = storeWith(true)
    const client = fakeClient({ getAccount: failure(answer) })
    expect(await checkStatus(client, store)).toEqual({
      status: 'unknown',
      code: answer.kind,
      message: answer.message,
      token: TOKEN,
      account: ACCOUNT
    })
    expect(store.load()).toEqual({ token: TOKEN, account: ACCOUNT })
  })

  it('without a stored token it is signed out and asks nothing', async () => {
    const client = fakeClient({})
    expect(await checkStatus(client, storeWith(false))).toEqual({ status: 'signed-out' })
    expect(client.calls).toEqual([])
  })
})

describe('signOut', () => {
  it('revokes at plex.tv, then forgets the token', async () => {
    const store = storeWith(true)
    const client = fakeClient({ signOut: { ok: true } })
    expect(await signOut(client, store)).toEqual({ wasSignedIn: true, revoked: true })
    expect(client.calls).toEqual([`signOut ${TOKEN}`])
    expect(store.load()).toBeUndefined()
    expect(store.clientIdentifier()).toBe('client-1')
  })

  it('forgets the token even when plex.tv cannot be reached', async () => {
    const store = storeWith(true)
    const client = fakeClient({
      signOut: failure({ kind: 'unavailable', message: 'Could not reach plex.tv' })
    })
    expect(await signOut(client, store)).toEqual({
      wasSignedIn: true,
      revoked: false,
      message: 'Could not reach plex.tv'
    })
    expect(store.load()).toBeUndefined()
  })

  it('forgets the token when plex.tv rate-limits or refuses', async () => {
    for (const answer of [
      failure({ kind: 'rate-limited', message: 'slow down' }),
      failure({ kind: 'rejected', status: 403, message: 'Forbidden' })
    ]) {
      const store = storeWith(true)
      const result = await signOut(fakeClient({ signOut: answer }), store)
      expect(result).toMatchObject({ wasSignedIn: true, revoked: false })
      expect(store.load()).toBeUndefined()
    }
  })

  it('401 counts as revoked: the token was dead already', async () => {
    const store = storeWith(true)
    const client = fakeClient({
      signOut: failure({
        kind: 'rejected',
        status: 401,
        message: 'User could not be authenticated'
      })
    })
    expect(await signOut(client, store)).toEqual({ wasSignedIn: true, revoked: true })
    expect(store.load()).toBeUndefined()
  })

  it('with nothing stored it sends nothing', async () => {
    const client = fakeClient({})
    expect(await signOut(client, storeWith(false))).toEqual({ wasSignedIn: false, revoked: false })
    expect(client.calls).toEqual([])
  })
})
