// A store that cannot be used is told in one plain sentence: never a stack, never "Could not
// reach plex.tv".

export class StoreError extends Error {
  override name = 'StoreError'
}

/** A plain sentence for a store that cannot be read or written, without a stack. */
export function storeProblem(directory: string, error: unknown): string {
  if (error instanceof StoreError) return error.message
  const code = (error as NodeJS.ErrnoException | undefined)?.code
  const reasons: Record<string, string> = {
    EACCES: 'permission denied',
    EPERM: 'permission denied',
    ENOTDIR: 'a file is in the way',
    EEXIST: 'a file is in the way',
    EROFS: 'read-only file system',
    ENOSPC: 'no space left on the device'
  }
  const reason = (code && reasons[code]) ?? (error instanceof Error ? error.message : String(error))
  return `Cannot use the store in ${directory}: ${reason}`
}
