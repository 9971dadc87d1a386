import { describe, expect, it } from 'vitest'
import {
  chosenProfileJson,
  profileJson,
  profilesAnswer
} from '../../src/main/profiles/profile-json'

const ALEX = {
  uuid: 'c0ffee00badd0123',
  title: 'Alex',
  admin: false,
  restricted: true,
  protected: true,
  thumb: 'https://plex.tv/users/c0ffee00badd0123/avatar'
}

describe('profile JSON (issue 10 §2, exact)', () => {
  it('`profiles --json`: the five fields, in order, nothing else', () => {
    expect(JSON.stringify(profilesAnswer([ALEX]))).toBe(
      '{"ok":true,"profiles":[{"uuid":"c0ffee00badd0123","title":"Alex","admin":false,' +
        '"restricted":true,"protected":true}]}'
    )
    expect(Object.keys(profileJson(ALEX))).toEqual([
      'uuid',
      'title',
      'admin',
      'restricted',
      'protected'
    ])
  })

  it('no Home: an empty list', () => {
    expect(JSON.stringify(profilesAnswer([]))).toBe('{"ok":true,"profiles":[]}')
  })

  it('the `profile` a sign-in answer gains', () => {
    expect(JSON.stringify(chosenProfileJson(ALEX))).toBe(
      '{"uuid":"c0ffee00badd0123","title":"Alex","restricted":true}'
    )
  })
})
