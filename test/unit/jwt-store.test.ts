// The JWT sign-in in the store: a device of its own, its key through the codec like the token,
// and the classic sign-in never touched.
import { describe, expect, it } from 'vitest'
import {
  CredentialStore,
  memoryStorage,
  type KeyValueStorage,
  type TokenCodec
} from '../../src/main/store/credential-store'
import {
  JWT_CLIENT_ID_KEY,
  JWT_DEVICE_KEY,
  JWT_SIGN_IN_KEY,
  JwtStore
} from '../../src/main/store/jwt-store'
import { serializeDeviceKey } from '../../src/main/jwt/device-key'
import { TEST_ACCOUNT } from './fixtures'

// Visibly different from what it encodes, so a value that skipped the codec shows.
const sealCodec: TokenCodec = {
  encode: async (text) => `sealed:${Buffer.from(text).toString('hex')}`,
  decode: async (stored) =>
    stored.startsWith('sealed:')
      ? { token: Buffer.from(stored.slice(7), 'hex').toString(), reEncrypt: false }
      : { token: stored, reEncrypt: true }
}
const unreadableCodec: TokenCodec = {
  encode: async (text) => text,
  decode: async () => ({ reEncrypt: false })
}

function raw(storage: KeyValueStorage): string {
  return JSON.stringify(
    Object.fromEntries(
      [JWT_CLIENT_ID_KEY, JWT_DEVICE_KEY, JWT_SIGN_IN_KEY].map((k) => [k, storage.get(k)])
    )
  )
}

describe('JwtStore', () => {
  it('makes its device once, then gives the same one back', async () => {
    const storage = memoryStorage()
    const store = new JwtStore(storage)
    const device = await store.device()
    const again = await new JwtStore(storage).device()
    expect(again.clientIdentifier).toBe(device.clientIdentifier)
    expect(again.key.kid).toBe(device.key.kid)
  })

  it('keeps the private key and the JWT only as the codec writes them', async () => {
    const storage = memoryStorage()
    const store = new JwtStore(storage, { codec: sealCodec })
    const device = await store.device()
    await store.save(device, 'eyJ.jwt.value', 1_900_000_000_000, TEST_ACCOUNT)
    const d = JSON.parse(serializeDeviceKey(device.key)).d as string

    expect(raw(storage)).not.toContain(d)
    expect(raw(storage)).not.toContain('eyJ.jwt.value')
    const stored = await store.inspect()
    expect(stored).toMatchObject({
      kind: 'stored',
      signIn: {
        token: 'eyJ.jwt.value',
        expiresAt: 1_900_000_000_000,
        account: TEST_ACCOUNT,
        clientIdentifier: device.clientIdentifier
      }
    })
    expect(stored.kind === 'stored' && stored.signIn.key.kid).toBe(device.key.kid)
  })

  it('never touches the classic sign-in or its client identifier', async () => {
    const storage = memoryStorage()
    const classic = new CredentialStore(storage)
    const classicId = classic.clientIdentifier()
    await classic.save('classic-token', TEST_ACCOUNT, classicId)
    const before = { id: storage.get('clientIdentifier'), credentials: storage.get('credentials') }

    const store = new JwtStore(storage)
    const device = await store.device()
    await store.save(device, 'a.b.c', 1_900_000_000_000, TEST_ACCOUNT)
    store.forgetDevice()

    expect(device.clientIdentifier).not.toBe(classicId)
    expect(storage.get('clientIdentifier')).toEqual(before.id)
    expect(storage.get('credentials')).toEqual(before.credentials)
    expect(await classic.load()).toMatchObject({ token: 'classic-token' })
  })

  it('a key it cannot read back now is never replaced: the sign-in and device stay', async () => {
    const storage = memoryStorage()
    const first = await new JwtStore(storage).device()
    await new JwtStore(storage).save(first, 'a.b.c', 1_900_000_000_000, TEST_ACCOUNT)
    const before = raw(storage)
    const store = new JwtStore(storage, { codec: unreadableCodec })
    expect(await store.inspect()).toEqual({ kind: 'none' })
    // A keyring that refused once must not cost the person a device plex.tv still knows.
    await expect(store.device()).rejects.toThrow(/cannot be read now.*logout --jwt/)
    expect(raw(storage)).toBe(before)
    // Starting over is the person's choice.
    expect(store.forgetDevice()).toBe(true)
    expect((await store.device()).clientIdentifier).not.toBe(first.clientIdentifier)
  })

  it('a device made for one origin never signs for another, nor is replaced by it', async () => {
    const storage = memoryStorage()
    const plex = new JwtStore(storage)
    const device = await plex.device()
    await plex.save(device, 'a.b.c', 1_900_000_000_000, TEST_ACCOUNT)
    const before = raw(storage)
    const other = new JwtStore(storage, { origin: 'https://evil.example' })
    await expect(other.device()).rejects.toThrow(/kept here for https:\/\/plex\.tv/)
    expect(other.forgetDevice()).toBe(false)
    expect(raw(storage)).toBe(before)
    expect((await plex.device()).key.kid).toBe(device.key.kid)
  })

  it.for([
    ['a key that is not the one the JWT was issued for', { kid: 'other' }],
    ['another client identifier', { clientIdentifier: 'other' }],
    ['no expiry', { expiresAt: 'soon' }],
    ['no account', { account: null }]
  ] as const)('reports %s as damaged, the JWT kept for revoking', async ([, change]) => {
    const storage = memoryStorage()
    const store = new JwtStore(storage)
    const device = await store.device()
    await store.save(device, 'a.b.c', 1_900_000_000_000, TEST_ACCOUNT)
    storage.set(JWT_SIGN_IN_KEY, { ...(storage.get(JWT_SIGN_IN_KEY) as object), ...change })
    expect(await store.inspect()).toMatchObject({ kind: 'damaged', token: 'a.b.c' })
  })

  it('a sign-in for another plex.tv origin is elsewhere, never handed out here', async () => {
    const storage = memoryStorage()
    const mine = new JwtStore(storage, { origin: 'http://127.0.0.1:5155' })
    await mine.save(await mine.device(), 'a.b.c', 1_900_000_000_000, TEST_ACCOUNT)
    expect(await new JwtStore(storage).inspect()).toEqual({
      kind: 'elsewhere',
      origin: 'http://127.0.0.1:5155'
    })
  })

  it('forgetDevice forgets the sign-in, the key and the client identifier', async () => {
    const storage = memoryStorage()
    const store = new JwtStore(storage)
    await store.save(await store.device(), 'a.b.c', 1_900_000_000_000, TEST_ACCOUNT)
    expect(store.forgetDevice()).toBe(true)
    expect(raw(storage)).toBe('{}')
    expect(store.forgetDevice()).toBe(false)
  })

  it('reEncrypt writes a key and a JWT kept as is through the codec', async () => {
    const storage = memoryStorage()
    const plain = new JwtStore(storage)
    const device = await plain.device()
    await plain.save(device, 'a.b.c', 1_900_000_000_000, TEST_ACCOUNT)
    const sealed = new JwtStore(storage, { codec: sealCodec })
    expect(await sealed.reEncrypt()).toBe(true)
    expect(String(storage.get(JWT_DEVICE_KEY))).toMatch(/^sealed:/)
    expect((storage.get(JWT_SIGN_IN_KEY) as { token: string }).token).toMatch(/^sealed:/)
    expect(await sealed.inspect()).toMatchObject({ kind: 'stored', signIn: { token: 'a.b.c' } })
    expect(await sealed.reEncrypt()).toBe(false)
  })

  it('refuses to save for a device that was replaced meanwhile', async () => {
    const storage = memoryStorage()
    const store = new JwtStore(storage)
    const device = await store.device()
    storage.set(JWT_CLIENT_ID_KEY, 'replaced')
    await expect(store.save(device, 'a.b.c', 1, TEST_ACCOUNT)).rejects.toThrow(/replaced/)
  })
})
