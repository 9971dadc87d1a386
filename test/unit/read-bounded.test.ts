import { describe, expect, it } from 'vitest'
import { AnswerTooLargeError, readBounded } from '../../src/main/plex/read-bounded'

/** A body of `chunks` pieces of `size` bytes, counting pulls and noting a cancel. */
function source(chunks: number, size: number) {
  const seen = { pulled: 0, cancelled: false }
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (seen.pulled === chunks) return controller.close()
      seen.pulled += 1
      controller.enqueue(new Uint8Array(size).fill(0x61))
    },
    cancel() {
      seen.cancelled = true
    }
  })
  return { body, seen }
}

describe('readBounded', () => {
  it('returns the whole body up to the limit', async () => {
    const { body } = source(4, 10)
    const bytes = await readBounded(new Response(body), 40)
    expect(bytes.toString()).toBe('a'.repeat(40))
  })

  it('cancels the body as soon as it passes the limit', async () => {
    const { body, seen } = source(1000, 10)
    await expect(readBounded(new Response(body), 40)).rejects.toBeInstanceOf(AnswerTooLargeError)
    expect(seen.cancelled).toBe(true)
    expect(seen.pulled).toBeLessThan(10)
  })

  it('refuses an announced length above the limit before reading', async () => {
    const { body, seen } = source(1, 10)
    const response = new Response(body, { headers: { 'content-length': '41' } })
    await expect(readBounded(response, 40)).rejects.toBeInstanceOf(AnswerTooLargeError)
    expect(seen.cancelled).toBe(true)
  })

  it('trusts no announced length of a compressed body: it counts what it reads', async () => {
    const { body } = source(2, 10)
    const response = new Response(body, {
      headers: { 'content-length': '4000', 'content-encoding': 'br' }
    })
    expect((await readBounded(response, 40)).length).toBe(20)
  })

  it('an answer without a body is empty', async () => {
    expect((await readBounded(new Response(null, { status: 204 }), 40)).length).toBe(0)
  })
})
