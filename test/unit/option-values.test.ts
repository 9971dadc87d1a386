import { describe, expect, it } from 'vitest'
import { MAX_TIMEOUT_SECONDS, parseTimeout } from '../../src/main/options/option-values'
import { appDataFolder, defaultCliStoreDir } from '../../src/main/store/store-paths'

describe('--timeout', () => {
  it('takes up to what a timer can wait (about 24 days)', () => {
    expect(parseTimeout(String(MAX_TIMEOUT_SECONDS))).toEqual({
      ok: true,
      value: MAX_TIMEOUT_SECONDS * 1000
    })
    expect(MAX_TIMEOUT_SECONDS * 1000).toBeLessThanOrEqual(2 ** 31 - 1)
  })

  it('refuses longer, which would otherwise fire at once', () => {
    const result = parseTimeout('3000000')
    expect(result.ok).toBe(false)
    expect(!result.ok && result.message).toMatch(/at most/)
  })
})

describe('the per-user data folder', () => {
  it('follows XDG_CONFIG_HOME on Linux when it is an absolute path', () => {
    expect(appDataFolder({ XDG_CONFIG_HOME: '/xdg' }, 'linux')).toBe('/xdg/Plex Login Helper')
  })

  it.each(['', 'relative/dir', './x'])(
    'ignores XDG_CONFIG_HOME=%j, as the XDG spec says',
    (value) => {
      const folder = defaultCliStoreDir({ XDG_CONFIG_HOME: value }, 'linux')
      expect(folder.startsWith('/')).toBe(true)
      expect(folder.endsWith('/.config/Plex Login Helper/cli')).toBe(true)
    }
  )
})
