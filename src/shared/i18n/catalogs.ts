// Every language's messages, bundled in: the window loads nothing at run time, and the command
// is a single file. A message is ICU MessageFormat; English's keys are the contract the others
// are held to (test/unit/i18n-catalogs.test.ts).

import ar from '../../locales/ar.json' with { type: 'json' }
import de from '../../locales/de.json' with { type: 'json' }
import en from '../../locales/en.json' with { type: 'json' }
import es from '../../locales/es.json' with { type: 'json' }
import fr from '../../locales/fr.json' with { type: 'json' }
import it from '../../locales/it.json' with { type: 'json' }
import ja from '../../locales/ja.json' with { type: 'json' }
import nl from '../../locales/nl.json' with { type: 'json' }
import pl from '../../locales/pl.json' with { type: 'json' }
import ptBR from '../../locales/pt-BR.json' with { type: 'json' }
import sv from '../../locales/sv.json' with { type: 'json' }
import type { Language } from './languages'

export type MessageKey = keyof typeof en

export type Catalog = Partial<Record<MessageKey, string>>

export const CATALOGS: Record<Language, Catalog> = {
  en,
  de,
  fr,
  es,
  it,
  nl,
  'pt-BR': ptBR,
  sv,
  pl,
  ja,
  ar
}
