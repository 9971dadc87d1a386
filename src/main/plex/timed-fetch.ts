/**
 * A fetch that gives up after `timeoutMs`, body included (`read` consumes it inside the time
 * limit). The timer is cleared as soon as the answer is in, rather than left to wake the process
 * later for nothing, as AbortSignal.timeout() would.
 */
export async function timedFetch<T>(
  doFetch: typeof fetch,
  url: string,
  init: RequestInit,
  timeoutMs: number,
  read: (response: Response) => Promise<T>
): Promise<T> {
  const timeout = new AbortController()
  const timer = setTimeout(
    () => timeout.abort(new DOMException(`${url} did not answer in time`, 'TimeoutError')),
    timeoutMs
  )
  const signal = init.signal ? AbortSignal.any([timeout.signal, init.signal]) : timeout.signal
  try {
    return await read(await doFetch(url, { ...init, signal }))
  } finally {
    clearTimeout(timer)
  }
}
