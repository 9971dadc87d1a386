// LoginFlow with a JWT sign-in's check: the token plex.tv hands out is verified before the
// account is read or anything is stored; one that fails ends the sign-in.
import { describe, expect, it, vi } from 'vitest'
import { LoginFlow, type TokenCheck } from '../../src/main/login/login-flow'
import type { PlexClient } from '../../src/main/plex/plex-client'

const ACCOUNT = { id: 1, uuid: 'u', username: 'a', title: 'a', email: '', thumb: '' }

function client(calls: string[]): PlexClient {
  return {
    clientIdentifier: 'jwt-device',
    device: {
      product: 'T',
      version: '1',
      platform: 'Linux',
      platformVersion: '6',
      device: 'PC',
      deviceName: 't'
    },
    createPin: async () => {
      calls.push('create')
      return { ok: true, pin: { id: 1, code: 'ABCD', expiresIn: 900, authToken: null } }
    },
    getPin: async () => {
      calls.push('poll')
      return { ok: true, pin: { id: 1, code: 'ABCD', expiresIn: 900, authToken: 'h.p.s' } }
    },
    getAccount: async (token) => {
      calls.push(`account ${token}`)
      return { ok: true, account: ACCOUNT }
    },
    signOut: async () => ({ ok: true })
  }
}

async function signIn(check: TokenCheck) {
  vi.useFakeTimers()
  try {
    const calls: string[] = []
    const saved = vi.fn()
    const flow = new LoginFlow({
      client: client(calls),
      verifyToken: async (token) => {
        calls.push(`verify ${token}`)
        return check
      },
      saveCredentials: saved
    })
    const outcome = flow.start()
    await vi.runAllTimersAsync()
    return { outcome: await outcome, calls, saved, state: flow.state }
  } finally {
    vi.useRealTimers()
  }
}

describe('LoginFlow verifyToken', () => {
  it('verifies first, then reads the account and saves', async () => {
    const { outcome, calls, saved } = await signIn({ ok: true })
    expect(outcome).toEqual({ ok: true, token: 'h.p.s', account: ACCOUNT })
    expect(calls).toEqual(['create', 'poll', 'verify h.p.s', 'account h.p.s'])
    expect(saved).toHaveBeenCalledWith('h.p.s', ACCOUNT)
  })

  it('a token that fails: no account read, nothing saved, the failure as the outcome', async () => {
    const message = 'plex.tv’s answer is not a Plex JWT this app can trust: it has expired'
    const { outcome, calls, saved, state } = await signIn({ ok: false, code: 'rejected', message })
    expect(outcome).toEqual({ ok: false, code: 'rejected', message })
    expect(calls).toEqual(['create', 'poll', 'verify h.p.s'])
    expect(saved).not.toHaveBeenCalled()
    expect(state).toEqual({ phase: 'error', message })
  })
})
