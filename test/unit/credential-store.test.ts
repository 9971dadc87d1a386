import { describe, expect, it } from 'vitest'
import {
  CredentialStore,
  type KeyValueStorage,
  type TokenCodec
} from '../../src/main/store/credential-store'
import { StoreError } from '../../src/main/store/store-error'
import { TEST_ACCOUNT } from './fixtures'

const ACCOUNT = TEST_ACCOUNT

function memoryStorage(initial: Record<string, unknown> = {}): KeyValueStorage & {
  data: Map<string, unknown>
  sets: number
} {
  const data = new Map(Object.entries(initial))
  const storage = {
    data,
    sets: 0,
    get: (key: string) => data.get(key),
    set: (key: string, value: unknown) => {
      storage.sets += 1
      data.set(key, structuredClone(value))
    },
    delete: (key: string) => {
      data.delete(key)
    }
  }
  return storage
}

// Reversible and visibly different from the token, so a missing encode/decode shows. A token
// kept as is reads back too, to be encoded again.
const reverseCodec: TokenCodec = {
  encode: async (token) => `enc:${[...token].reverse().join('')}`,
  decode: async (stored) =>
    stored.startsWith('enc:')
      ? { token: [...stored.slice(4)].reverse().join(''), reEncrypt: false }
      : { token: stored, reEncrypt: true }
}
const unreadableCodec: TokenCodec = {
  encode: async (token) => token,
  decode: async () => ({ reEncrypt: false })
}

describe('CredentialStore: client identifier', () => {
  it('is generated once and then reused', () => {
    const storage = memoryStorage()
    let made = 0
    const store = new CredentialStore(storage, { newId: () => `id-${++made}` })
    expect(store.clientIdentifier()).toBe('id-1')
    expect(store.clientIdentifier()).toBe('id-1')
    expect(made).toBe(1)
    expect(storage.data.get('clientIdentifier')).toBe('id-1')
    // a second store over the same storage (next run) reuses it
    const again = new CredentialStore(storage, { newId: () => 'never' })
    expect(again.clientIdentifier()).toBe('id-1')
  })

  it('is a random UUID by default', () => {
    const id = new CredentialStore(memoryStorage()).clientIdentifier()
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/)
    expect(new CredentialStore(memoryStorage()).clientIdentifier()).not.toBe(id)
  })

  it.each([[42], [''], ['   '], [null], [{ id: 'x' }], ['id\r\nX-Evil: 1'], ['idé']])(
    'a damaged stored identifier (%j) is a StoreError, never silently replaced',
    (stored) => {
      const storage = memoryStorage({ clientIdentifier: stored })
      const store = new CredentialStore(storage, { newId: () => 'fresh' })
      expect(() => store.clientIdentifier()).toThrow(StoreError)
      expect(() => store.clientIdentifier()).toThrow(/client identifier is damaged/)
      expect(() => store.checkWritable()).toThrow(StoreError)
      expect(storage.data.get('clientIdentifier')).toEqual(stored)
    }
  )

  it('is made under the storage lock, re-read once the lock is held', () => {
    const storage = memoryStorage()
    const order: string[] = []
    // Another process writes its identifier while this one waits for the lock.
    const locked: KeyValueStorage = {
      ...storage,
      get: (key) => {
        order.push(`get ${key}`)
        return storage.get(key)
      },
      exclusive: (body) => {
        order.push('lock')
        storage.data.set('clientIdentifier', 'theirs')
        return body()
      }
    }
    const store = new CredentialStore(locked, { newId: () => 'mine' })
    expect(store.clientIdentifier()).toBe('theirs')
    expect(order).toEqual(['get clientIdentifier', 'lock', 'get clientIdentifier'])
    expect(storage.sets).toBe(0)
  })

  it('survives clearing the credentials', async () => {
    const storage = memoryStorage()
    const store = new CredentialStore(storage, { newId: () => 'kept' })
    store.clientIdentifier()
    await store.save('tok', ACCOUNT)
    store.clear()
    expect(store.clientIdentifier()).toBe('kept')
  })
})

describe('CredentialStore: token and account', () => {
  it('saves, loads and clears', async () => {
    const storage = memoryStorage()
    const store = new CredentialStore(storage)
    expect(await store.load()).toBeUndefined()
    await store.save('tok-1', ACCOUNT)
    expect(await store.load()).toEqual({ token: 'tok-1', account: ACCOUNT })
    await store.save('tok-2', { ...ACCOUNT, username: 'bob' })
    expect(await store.load()).toEqual({ token: 'tok-2', account: { ...ACCOUNT, username: 'bob' } })
    store.clear()
    expect(await store.load()).toBeUndefined()
    expect(storage.data.has('credentials')).toBe(false)
  })

  it('keeps the token through the codec', async () => {
    const storage = memoryStorage()
    const store = new CredentialStore(storage, { codec: reverseCodec })
    await store.save('abc123', ACCOUNT)
    expect(storage.data.get('credentials')).toEqual({
      token: 'enc:321cba',
      account: ACCOUNT,
      origin: 'https://plex.tv'
    })
    expect(JSON.stringify([...storage.data])).not.toContain('abc123')
    expect(await store.load()).toEqual({ token: 'abc123', account: ACCOUNT })
  })

  it('a token the codec cannot read back is no sign-in', async () => {
    const storage = memoryStorage({ credentials: { token: 'unreadable', account: ACCOUNT } })
    expect(await new CredentialStore(storage, { codec: unreadableCodec }).inspect()).toEqual({
      kind: 'none'
    })
  })

  it.each([
    ['a string', 'tok'],
    ['an array', ['tok', ACCOUNT]],
    ['null', null],
    ['no token', { account: ACCOUNT }],
    ['a numeric token', { token: 5, account: ACCOUNT }],
    ['no account', { token: 'tok' }],
    ['an account without id', { token: 'tok', account: { ...ACCOUNT, id: undefined } }],
    ['a string account id', { token: 'tok', account: { ...ACCOUNT, id: '7' } }],
    ['an account missing email', { token: 'tok', account: { ...ACCOUNT, email: undefined } }],
    ['an account with a numeric uuid', { token: 'tok', account: { ...ACCOUNT, uuid: 1 } }],
    ['an account that is an array', { token: 'tok', account: [] }],
    [
      'an account id that is not a safe integer',
      { token: 'tok', account: { ...ACCOUNT, id: 2 ** 60 } }
    ],
    ['an empty token', { token: '', account: ACCOUNT }],
    ['a token with a line break', { token: 'tok\r\nX-Evil: 1', account: ACCOUNT }],
    ['a token outside Latin-1', { token: 'tök€n', account: ACCOUNT }],
    ['an origin that is not a URL', { token: 'tok', account: ACCOUNT, origin: 'plex' }]
  ])('a malformed stored value (%s) is a damaged sign-in', async (_label, stored) => {
    const store = new CredentialStore(memoryStorage({ credentials: stored }))
    expect(await store.load()).toBeUndefined()
    expect(await store.inspect()).toMatchObject({
      kind: 'damaged',
      problem: { kind: 'signInDamaged' }
    })
  })

  it('a damaged sign-in whose token is sound still offers the token, to revoke it', async () => {
    const broken = { token: 'tok', account: { ...ACCOUNT, id: 'seven' } }
    const store = new CredentialStore(memoryStorage({ credentials: broken }))
    expect(await store.inspect()).toMatchObject({ kind: 'damaged', token: 'tok' })
    const badToken = { token: 'to\u0000k', account: ACCOUNT }
    const worse = new CredentialStore(memoryStorage({ credentials: badToken }))
    expect(await worse.inspect()).not.toHaveProperty('token')
  })

  it('clear() forgets credentials of any shape and says whether there were any', () => {
    const storage = memoryStorage({ credentials: 'junk' })
    const store = new CredentialStore(storage)
    expect(store.clear()).toBe(true)
    expect(storage.data.has('credentials')).toBe(false)
    expect(store.clear()).toBe(false)
  })
})

describe('CredentialStore: the origin that issued the token', () => {
  it('records the origin in use with the token', async () => {
    const storage = memoryStorage()
    await new CredentialStore(storage, { origin: 'http://127.0.0.1:32400' }).save('tok', ACCOUNT)
    expect(storage.data.get('credentials')).toMatchObject({ origin: 'http://127.0.0.1:32400' })
  })

  it('hands the token out only for that origin', async () => {
    const storage = memoryStorage()
    await new CredentialStore(storage, { origin: 'http://127.0.0.1:32400' }).save('tok', ACCOUNT)
    const here = new CredentialStore(storage, { origin: 'http://127.0.0.1:32400' })
    expect(await here.load()).toEqual({ token: 'tok', account: ACCOUNT })
    for (const origin of ['https://plex.tv', 'http://127.0.0.1:32401', 'http://localhost:32400']) {
      const elsewhere = new CredentialStore(storage, { origin })
      expect(await elsewhere.load()).toBeUndefined()
      expect(await elsewhere.inspect()).toEqual({
        kind: 'elsewhere',
        origin: 'http://127.0.0.1:32400'
      })
    }
  })

  it('a store from before origins were recorded belongs to https://plex.tv', async () => {
    const storage = memoryStorage({ credentials: { token: 'tok', account: ACCOUNT } })
    expect(await new CredentialStore(storage).load()).toEqual({ token: 'tok', account: ACCOUNT })
    const local = new CredentialStore(storage, { origin: 'http://127.0.0.1:32400' })
    expect(await local.inspect()).toEqual({ kind: 'elsewhere', origin: 'https://plex.tv' })
  })
})

describe('CredentialStore: keeping the token as the codec writes it now', () => {
  const plainSignIn = {
    token: 'tok',
    account: ACCOUNT,
    origin: 'https://plex.tv',
    clientIdentifier: 'c1'
  }

  it('writes a token kept as is again through the codec, the rest of the sign-in unchanged', async () => {
    const storage = memoryStorage({ clientIdentifier: 'c1', credentials: plainSignIn })
    const store = new CredentialStore(storage, { codec: reverseCodec })
    expect(await store.reEncrypt()).toBe(true)
    expect(storage.data.get('credentials')).toEqual({ ...plainSignIn, token: 'enc:kot' })
    expect(storage.data.get('clientIdentifier')).toBe('c1')
    expect(await store.load()).toEqual({ token: 'tok', account: ACCOUNT, clientIdentifier: 'c1' })
    expect(await store.reEncrypt()).toBe(false)
    expect(storage.sets).toBe(1)
  })

  it('a sign-in kept for another origin is encrypted too, and still kept for that origin', async () => {
    const elsewhere = { ...plainSignIn, origin: 'http://127.0.0.1:32400' }
    const storage = memoryStorage({ credentials: elsewhere })
    expect(await new CredentialStore(storage, { codec: reverseCodec }).reEncrypt()).toBe(true)
    expect(storage.data.get('credentials')).toEqual({ ...elsewhere, token: 'enc:kot' })
  })

  it('changes nothing with the plain codec, nor with nothing stored', async () => {
    const storage = memoryStorage({ credentials: plainSignIn })
    expect(await new CredentialStore(storage).reEncrypt()).toBe(false)
    expect(await new CredentialStore(memoryStorage(), { codec: reverseCodec }).reEncrypt()).toBe(
      false
    )
    const junk = memoryStorage({ credentials: 'junk' })
    expect(await new CredentialStore(junk, { codec: reverseCodec }).reEncrypt()).toBe(false)
    expect(storage.sets + junk.sets).toBe(0)
  })

  it.each([
    ['replaced', { ...plainSignIn, token: 'enc:wen' }],
    ['removed', undefined]
  ])(
    'writes under the lock, and not over a sign-in another run %s meanwhile',
    async (_label, theirs) => {
      const storage = memoryStorage({ credentials: plainSignIn })
      const order: string[] = []
      const locked: KeyValueStorage = {
        ...storage,
        exclusive: (body) => {
          order.push('lock')
          if (theirs) storage.data.set('credentials', theirs)
          else storage.data.delete('credentials')
          return body()
        }
      }
      expect(await new CredentialStore(locked, { codec: reverseCodec }).reEncrypt()).toBe(false)
      expect(order).toEqual(['lock'])
      expect(storage.data.get('credentials')).toEqual(theirs)
      expect(storage.sets).toBe(0)
    }
  )
})
