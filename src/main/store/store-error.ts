// A store that cannot be used is told in one plain sentence: never a stack, never "Could not
// reach plex.tv". The problem is kept as data so that the command can say it in the person's
// language; the English catalog gives the message (the JSON answer's and the log's).

import { FALLBACK_LANGUAGE } from '../../shared/i18n/languages'
import { translatorFor, type Translator } from '../../shared/i18n/translator'

// Why the store's folder cannot be used; `system` carries the OS's own words for anything else.
type FolderReason =
  'symlink' | 'otherUser' | 'inTheWay' | 'permission' | 'readOnly' | 'noSpace' | { system: string }

export type StoreProblem =
  | { kind: 'folder'; directory: string; reason: FolderReason }
  | { kind: 'symlink' | 'notRegular' | 'otherUser' | 'notValid' | 'tooLarge'; path: string }
  | { kind: 'inUse'; lockPath: string }
  | { kind: 'clientIdDamaged' | 'signInDamaged' | 'jwtDamaged' }
  // The JWT device: kept for another plex.tv origin, its key unreadable now, or replaced by
  // another run while this one signed in.
  | { kind: 'jwtDeviceElsewhere'; origin: string }
  | { kind: 'jwtKeyUnreadable' | 'jwtDeviceReplaced' }
  // Not a failure: a corrupt store was set aside (without its token) and a new one started.
  | { kind: 'setAside'; path: string; aside: string }

const ENGLISH = translatorFor(FALLBACK_LANGUAGE)

/** The problem as a sentence, in English unless a translator is given. */
export function storeProblemText(
  problem: StoreProblem,
  { t }: Pick<Translator, 't'> = ENGLISH
): string {
  switch (problem.kind) {
    case 'folder': {
      const { directory, reason } = problem
      return typeof reason === 'string'
        ? t(`store.folder.${reason}`, { directory })
        : t('store.folder.system', { directory, detail: reason.system })
    }
    case 'inUse':
      return t('store.inUse', { lockPath: problem.lockPath })
    case 'setAside':
      return t('store.setAside', { path: problem.path, aside: problem.aside })
    case 'jwtDeviceElsewhere':
      return t('store.jwtDeviceElsewhere', { origin: problem.origin })
    case 'clientIdDamaged':
    case 'signInDamaged':
    case 'jwtDamaged':
    case 'jwtKeyUnreadable':
    case 'jwtDeviceReplaced':
      return t(`store.${problem.kind}`)
    default:
      return t(`store.file.${problem.kind}`, { path: problem.path })
  }
}

export class StoreError extends Error {
  override name = 'StoreError'
  constructor(readonly problem: StoreProblem) {
    super(storeProblemText(problem))
  }
}

const FOLDER_REASONS: Record<string, FolderReason> = {
  EACCES: 'permission',
  EPERM: 'permission',
  ENOTDIR: 'inTheWay',
  EEXIST: 'inTheWay',
  EROFS: 'readOnly',
  ENOSPC: 'noSpace'
}

/** What went wrong using the store in `directory`, for any error reading or writing it. */
export function storeProblem(directory: string, error: unknown): StoreProblem {
  if (error instanceof StoreError) return error.problem
  const code = (error as NodeJS.ErrnoException | undefined)?.code
  const reason = (code && Object.hasOwn(FOLDER_REASONS, code) && FOLDER_REASONS[code]) || {
    system: error instanceof Error ? error.message : String(error)
  }
  return { kind: 'folder', directory, reason }
}
