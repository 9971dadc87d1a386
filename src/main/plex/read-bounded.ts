// A server decides how much it sends, and a few compressed bytes can inflate to gigabytes: every
// answer is read piece by piece and dropped as soon as it grows past what it could sensibly be.

export class AnswerTooLargeError extends Error {
  override name = 'AnswerTooLargeError'
}

/**
 * The whole body, at most `maxBytes` once decoded (fetch has already undone any compression).
 * Past that the stream is cancelled, which closes the connection, and AnswerTooLargeError thrown.
 */
export async function readBounded(response: Response, maxBytes: number): Promise<Buffer> {
  const body = response.body
  if (!body) return Buffer.alloc(0)
  // Without Content-Encoding the announced length is the decoded one: no need to start reading.
  const encoding = response.headers.get('content-encoding')?.trim().toLowerCase() ?? ''
  const announced = Number(response.headers.get('content-length') ?? Number.NaN)
  if ((encoding === '' || encoding === 'identity') && announced > maxBytes) {
    void body.cancel().catch(() => {})
    throw new AnswerTooLargeError(`The answer announces ${announced} bytes`)
  }
  const reader = body.getReader()
  const chunks: Uint8Array[] = []
  let total = 0
  for (;;) {
    const { done, value } = await reader.read()
    if (done) break
    total += value.byteLength
    if (total > maxBytes) {
      void reader.cancel().catch(() => {})
      throw new AnswerTooLargeError(`The answer is larger than ${maxBytes} bytes`)
    }
    chunks.push(value)
  }
  return Buffer.concat(chunks, total)
}
