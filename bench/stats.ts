// Summary statistics for the benchmark tables: median and nearest-rank percentiles.

export interface Summary {
  n: number
  median: number
  p95: number
  min: number
  max: number
}

function sorted(values: readonly number[]): number[] {
  if (values.length === 0) throw new Error('no samples')
  return [...values].sort((a, b) => a - b)
}

/** The middle value; for an even count, the mean of the two middle values. */
export function median(values: readonly number[]): number {
  const s = sorted(values)
  const mid = Math.floor(s.length / 2)
  return s.length % 2 === 1 ? s[mid] : (s[mid - 1] + s[mid]) / 2
}

/** Nearest-rank percentile: the smallest value with at least p % of the samples at or below it. */
export function percentile(values: readonly number[], p: number): number {
  if (!(p > 0 && p <= 100)) throw new Error(`percentile out of range: ${p}`)
  const s = sorted(values)
  const rank = Math.ceil((p / 100) * s.length)
  return s[rank - 1]
}

export function summarize(values: readonly number[]): Summary {
  const s = sorted(values)
  return {
    n: s.length,
    median: median(s),
    p95: percentile(s, 95),
    min: s[0],
    max: s[s.length - 1]
  }
}

export function mean(values: readonly number[]): number {
  if (values.length === 0) throw new Error('no samples')
  return values.reduce((sum, v) => sum + v, 0) / values.length
}
