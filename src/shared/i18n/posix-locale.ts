// The language a POSIX environment asks for: LC_ALL overrides LC_MESSAGES, which overrides LANG
// (the first one set and not empty wins). Values look like 'de_DE.UTF-8' or 'sr_RS@latin';
// 'C' and 'POSIX' are the untranslated locale, that is no language at all.

/** The BCP 47 form of the locale the environment sets for messages, or none. */
export function posixLocaleLanguages(env: Readonly<Record<string, string | undefined>>): string[] {
  const value = [env.LC_ALL, env.LC_MESSAGES, env.LANG].find((candidate) => !!candidate)
  if (!value) return []
  // language[_territory][.codeset][@modifier]
  const locale = value.split(/[.@]/, 1)[0] ?? ''
  if (locale === 'C' || locale === 'POSIX' || !locale) return []
  return [locale.replaceAll('_', '-')]
}
