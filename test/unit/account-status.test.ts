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

async function storeWith(signedIn: boolean, storage = memoryStorage()): Promise<CredentialStore> {
  const store = new CredentialStore(storage, { newId: () => 'client-1' })
  if (signedIn) await store.save(TOKEN, ACCOUNT)
  return store
}

const OTHER_ORIGIN = 'http://127.0.0.1:32400'

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
    const store = await storeWith(true)
    const client = fakeClient({ getAccount: { ok: true, account: FRESH } })
    expect(await checkStatus(client, store)).toEqual({
      status: 'signed-in',
      token: TOKEN,
      account: FRESH
    })
    expect(client.calls).toEqual([`getAccount ${TOKEN}`])
    expect(await store.load()).toEqual({ token: TOKEN, account: ACCOUNT })
  })

  it('401 clears the token and is signed out', async () => {
    const store = await storeWith(true)
    const client = fakeClient({
      getAccount: failure({
        kind: 'rejected',
        status: 401,
        message: 'User could not be authenticated'
      })
    })
    expect(await checkStatus(client, store)).toEqual({ status: 'signed-out' })
    expect(await store.load()).toBeUndefined()
    expect(store.clientIdentifier()).toBe('client-1')
  })

  it.each<[string, PlexFailure]>([
    ['403', { kind: 'rejected', status: 403, message: 'Forbidden' }],
    ['400', { kind: 'rejected', status: 400, message: 'Bad request' }],
    ['404', { kind: 'expired', message: 'Not found' }],
    ['429', { kind: 'rate-limited', message: 'API rate limit exceeded', retryAfterMs: 1000 }],
    ['5xx / network / timeout', { kind: 'unavailable', message: 'Could not reach plex.tv' }]
  ])('%s is unknown and keeps the token', async (_label, answer) => {
    const store = await storeWith(true)
    const client = fakeClient({ getAccount: failure(answer) })
    expect(await checkStatus(client, store)).toEqual({
      status: 'unknown',
      code: answer.kind,
      message: answer.message,
      token: TOKEN,
      account: ACCOUNT
    })
    expect(await store.load()).toEqual({ token: TOKEN, account: ACCOUNT })
  })

  it('without a stored token it is signed out and asks nothing', async () => {
    const client = fakeClient({})
    expect(await checkStatus(client, await storeWith(false))).toEqual({ status: 'signed-out' })
    expect(client.calls).toEqual([])
  })
})

describe('signOut', () => {
  it('revokes at plex.tv, then forgets the token', async () => {
    const store = await storeWith(true)
    const client = fakeClient({ signOut: { ok: true } })
    expect(await signOut(client, store)).toEqual({ wasSignedIn: true, revoked: true })
    expect(client.calls).toEqual([`signOut ${TOKEN}`])
    expect(await store.load()).toBeUndefined()
    expect(store.clientIdentifier()).toBe('client-1')
  })

  it('forgets the token even when plex.tv cannot be reached', async () => {
    const store = await storeWith(true)
    const client = fakeClient({
      signOut: failure({ kind: 'unavailable', message: 'Could not reach plex.tv' })
    })
    expect(await signOut(client, store)).toEqual({
      wasSignedIn: true,
      revoked: false,
      message: 'Could not reach plex.tv'
    })
    expect(await store.load()).toBeUndefined()
  })

  it('forgets the token when plex.tv rate-limits or refuses', async () => {
    for (const answer of [
      failure({ kind: 'rate-limited', message: 'slow down' }),
      failure({ kind: 'rejected', status: 403, message: 'Forbidden' })
    ]) {
      const store = await storeWith(true)
      const result = await signOut(fakeClient({ signOut: answer }), store)
      expect(result).toMatchObject({ wasSignedIn: true, revoked: false })
      expect(await store.load()).toBeUndefined()
    }
  })

  it('401 counts as revoked: the token was dead already', async () => {
    const store = await storeWith(true)
    const client = fakeClient({
      signOut: failure({
        kind: 'rejected',
        status: 401,
        message: 'User could not be authenticated'
      })
    })
    expect(await signOut(client, store)).toEqual({ wasSignedIn: true, revoked: true })
    expect(await store.load()).toBeUndefined()
  })

  it('with nothing stored it sends nothing', async () => {
    const client = fakeClient({})
    expect(await signOut(client, await storeWith(false))).toEqual({
      wasSignedIn: false,
      revoked: false
    })
    expect(client.calls).toEqual([])
  })
})

describe('a token only for the origin that issued it', () => {
  it('status with another origin: signed out there, nothing sent, the token kept', async () => {
    const storage = memoryStorage()
    await storeWith(true, storage)
    const elsewhere = new CredentialStore(storage, { origin: OTHER_ORIGIN })
    const client = fakeClient({})
    expect(await checkStatus(client, elsewhere)).toEqual({
      status: 'signed-out',
      storedFor: 'https://plex.tv'
    })
    expect(client.calls).toEqual([])
    expect(await (await storeWith(false, storage)).load()).toEqual({
      token: TOKEN,
      account: ACCOUNT
    })
  })

  it('logout with another origin: nothing sent, and the other sign-in is left alone', async () => {
    const storage = memoryStorage()
    await storeWith(true, storage)
    const elsewhere = new CredentialStore(storage, { origin: OTHER_ORIGIN })
    const client = fakeClient({})
    expect(await signOut(client, elsewhere)).toEqual({
      wasSignedIn: false,
      revoked: false,
      storedFor: 'https://plex.tv'
    })
    expect(client.calls).toEqual([])
    expect(await (await storeWith(false, storage)).load()).toEqual({
      token: TOKEN,
      account: ACCOUNT
    })
  })
})

describe('a damaged stored sign-in', () => {
  function damagedStore(credentials: unknown): CredentialStore {
    const storage = memoryStorage()
    storage.set('credentials', credentials)
    return new CredentialStore(storage)
  }

  it('status: a store problem, and nothing sent', async () => {
    const client = fakeClient({})
    const store = damagedStore({ token: 'bad\ntoken', account: ACCOUNT })
    expect(await checkStatus(client, store)).toEqual({
      status: 'signed-out',
      problem: { kind: 'signInDamaged' }
    })
    expect(client.calls).toEqual([])
  })

  it('logout forgets a token that cannot go into a header, without sending it', async () => {
    const client = fakeClient({})
    const store = damagedStore({ token: 'bad\ntoken', account: ACCOUNT })
    expect(await signOut(client, store)).toEqual({
      wasSignedIn: true,
      revoked: false,
      message: 'the stored sign-in was damaged'
    })
    expect(client.calls).toEqual([])
    expect(await store.inspect()).toEqual({ kind: 'none' })
  })

  it('logout revokes and forgets a sound token whose account is malformed', async () => {
    const client = fakeClient({ signOut: { ok: true } })
    const store = damagedStore({ token: TOKEN, account: { ...ACCOUNT, id: 'x' } })
    expect(await signOut(client, store)).toEqual({ wasSignedIn: true, revoked: true })
    expect(client.calls).toEqual([`signOut ${TOKEN}`])
    expect(await store.inspect()).toEqual({ kind: 'none' })
  })

  it('logout forgets a token that cannot be read back (encrypted elsewhere)', async () => {
    const storage = memoryStorage()
    storage.set('credentials', { token: 'safe:xyz', account: ACCOUNT })
    const store = new CredentialStore(storage, {
      codec: { encode: async (token) => token, decode: async () => ({ reEncrypt: false }) }
    })
    const client = fakeClient({})
    expect(await signOut(client, store)).toMatchObject({ wasSignedIn: true, revoked: false })
    expect(client.calls).toEqual([])
    expect(storage.get('credentials')).toBeUndefined()
  })
})
