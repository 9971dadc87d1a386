/**
 * A fetch that gives up after `timeoutMs`, body included (`read` consumes it inside the time
 * limit). The timer is cleared as soon as the answer is in, rather than left to wake the process
 * later for nothing, as AbortSignal.timeout() would. Redirects are never followed: a 3xx reaches
 * `read` (see redirect.ts), so a token or client identifier only ever goes to the URL asked for.
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
    return await read(await doFetch(url, { ...init, redirect: 'manual', signal }))
  } finally {
    clearTimeout(timer)
    // Whatever `read` left unread (a redirect's body, the rest of an answer too large) is
    // dropped with its connection rather than left to arrive.
    timeout.abort()
  }
}
