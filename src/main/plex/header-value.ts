// fetch refuses a header value with control characters or anything outside Latin-1, and only
// says so as a network error. A token or client identifier from a store file is checked first,
// so that a damaged store is reported as such instead of as "Could not reach plex.tv".

/** Printable ASCII without spaces, as every token and client identifier Plex issues is. */
export function isHeaderToken(value: string, maxLength = 4096): boolean {
  return value.length > 0 && value.length <= maxLength && /^[\x21-\x7e]+$/.test(value)
}
