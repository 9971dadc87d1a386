// Routes the fake plex.tv can be given beyond the PIN sign-in (Home users, resources, …), so
// each capability keeps its fake beside its own tests instead of growing one file.

export interface FakeRouteRequest {
  method: string
  url: URL // path and query as sent
  headers: Record<string, string> // lower-case names
  token?: string // X-Plex-Token, from the header or the query
  body: string
  isValidToken(token: string): boolean // an account token the fake plex.tv issued and not revoked
}

export interface FakeRouteAnswer {
  status: number
  body?: unknown // sent as JSON; omitted → empty body
  headers?: Record<string, string>
  delayMs?: number
}

/** Answers a request it knows, or returns undefined to let the next handler try. */
export type FakeRouteHandler = (
  request: FakeRouteRequest
) => FakeRouteAnswer | Promise<FakeRouteAnswer> | undefined
