import { describe, expect, it } from 'vitest'
import { formatCountdown } from '../../src/shared/format-countdown'

describe('formatCountdown', () => {
  it('writes minutes and zero-padded seconds', () => {
    expect(formatCountdown(15 * 60_000)).toBe('15:00')
    expect(formatCountdown(90_000)).toBe('1:30')
    expect(formatCountdown(65_000)).toBe('1:05')
    expect(formatCountdown(9_000)).toBe('0:09')
    expect(formatCountdown(30 * 60_000)).toBe('30:00')
    expect(formatCountdown(61 * 60_000)).toBe('61:00')
  })

  it('rounds partial seconds up, so 0:00 only shows once the time is really up', () => {
    expect(formatCountdown(1)).toBe('0:01')
    expect(formatCountdown(999)).toBe('0:01')
    expect(formatCountdown(1_000)).toBe('0:01')
    expect(formatCountdown(1_001)).toBe('0:02')
    expect(formatCountdown(59_001)).toBe('1:00')
    expect(formatCountdown(0)).toBe('0:00')
  })

  it('never goes negative', () => {
    expect(formatCountdown(-1)).toBe('0:00')
    expect(formatCountdown(-90_000)).toBe('0:00')
  })
})
