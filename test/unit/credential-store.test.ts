import { describe, expect, it } from 'vitest'
import {
  CredentialStore,
  plainTokenCodec,
  type KeyValueStorage,
  type TokenCodec
} from '../../src/main/store/credential-store'
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

// Reversible and visibly different from the token, so a missing encode/decode shows.
const reverseCodec: TokenCodec = {
  encode: (token) => `enc:${[...token].reverse().join('')}`,
  decode: (stored) =>
    stored.startsWith('enc:') ? [...stored.slice(4)].reverse().join('') : undefined
}

describe('CredentialStore: client identifier', () => {
  it('is generated once and then reused', () => {
    const storage = memoryStorage()
    let made = 0
    const store = new CredentialStore(storage, plainTokenCodec, () => `id-${++made}`)
    expect(store.clientIdentifier()).toBe('id-1')
    expect(store.clientIdentifier()).toBe('id-1')
    expect(made).toBe(1)
    expect(storage.data.get('clientIdentifier')).toBe('id-1')
    // a second store over the same storage (next run) reuses it
    const again = new CredentialStore(storage, plainTokenCodec, () => 'never')
    expect(again.clientIdentifier()).toBe('id-1')
  })

  it('is a random UUID by default', () => {
    const id = new CredentialStore(memoryStorage()).clientIdentifier()
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/)
    expect(new CredentialStore(memoryStorage()).clientIdentifier()).not.toBe(id)
  })

  it.each([[42], [''], ['   '], [null], [{ id: 'x' }]])(
    'replaces a malformed stored identifier (%j)',
    (stored) => {
      const storage = memoryStorage({ clientIdentifier: stored })
      const store = new CredentialStore(storage, plainTokenCodec, () => 'fresh')
      expect(store.clientIdentifier()).toBe('fresh')
      expect(storage.data.get('clientIdentifier')).toBe('fresh')
    }
  )

  it('survives clearing the credentials', () => {
    const storage = memoryStorage()
    const store = new CredentialStore(storage, plainTokenCodec, () => 'kept')
    store.clientIdentifier()
    store.save('tok', ACCOUNT)
    store.clear()
    expect(store.clientIdentifier()).toBe('kept')
  })
})

describe('CredentialStore: token and account', () => {
  it('saves, loads and clears', () => {
    const storage = memoryStorage()
    const store = new CredentialStore(storage)
    expect(store.load()).toBeUndefined()
    store.save('tok-1', ACCOUNT)
    expect(store.load()).toEqual({ token: 'tok-1', account: ACCOUNT })
    store.save('tok-2', { ...ACCOUNT, username: 'bob' })
    expect(store.load()).toEqual({ token: 'tok-2', account: { ...ACCOUNT, username: 'bob' } })
    store.clear()
    expect(store.load()).toBeUndefined()
    expect(storage.data.has('credentials')).toBe(false)
  })

  it('keeps the token through the codec', () => {
    const storage = memoryStorage()
    const store = new CredentialStore(storage, reverseCodec)
    store.save('abc123', ACCOUNT)
    expect(storage.data.get('credentials')).toEqual({ token: 'enc:321cba', account: ACCOUNT })
    expect(JSON.stringify([...storage.data])).not.toContain('abc123')
    expect(store.load()).toEqual({ token: 'abc123', account: ACCOUNT })
  })

  it('a token the codec cannot read back is no sign-in', () => {
    const storage = memoryStorage({ credentials: { token: 'not-encoded', account: ACCOUNT } })
    expect(new CredentialStore(storage, reverseCodec).load()).toBeUndefined()
    const empty = memoryStorage({ credentials: { token: '', account: ACCOUNT } })
    expect(new CredentialStore(empty).load()).toBeUndefined()
  })

  it.each([
    ['nothing', undefined],
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
    ['an account that is an array', { token: 'tok', account: [] }]
  ])('a malformed stored value (%s) loads as undefined', (_label, stored) => {
    const store = new CredentialStore(memoryStorage({ credentials: stored }))
    expect(store.load()).toBeUndefined()
  })
})
