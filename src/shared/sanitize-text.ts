// Text from a server (plex.tv, a media server) on its way to a terminal, the log or the window.
// An escape sequence in a username or an error message could recolour, rewrite or even fill the
// clipboard of the terminal that prints it (OSC 52), and bidi overrides can make text read other
// than it is. What is left is one line of plain printable text, capped in length.

// ESC-introduced sequences, whole: CSI (ESC [ … final), OSC/DCS/SOS/PM/APC (… up to BEL or ST,
// or to the end when never ended), and other escapes (ESC, intermediates, final); and the same
// with their 8-bit C1 introducers.
const ESCAPE_SEQUENCES =
  // eslint-disable-next-line no-control-regex
  /(?:\u001b\[|\u009b)[\u0020-\u003f]*[\u0040-\u007e]?|(?:\u001b[\]PX^_]|[\u0090\u0098\u009d-\u009f])[\s\S]*?(?:\u0007|\u001b\\|\u009c|$)|\u001b[\u0020-\u002f]*[\u0030-\u007e]?/g

// C0, DEL, C1, bidi embeddings/overrides/isolates and marks, line and paragraph separators.
const UNSAFE_CHARACTERS =
  // eslint-disable-next-line no-control-regex
  /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g

export const MAX_TEXT_LENGTH = 200

/**
 * `value` with every escape sequence removed and every other unsafe character (line breaks
 * included) made a space; spacing and length kept, for text laid out in columns.
 */
export function stripControls(value: string): string {
  return value.replace(ESCAPE_SEQUENCES, '').replace(UNSAFE_CHARACTERS, ' ')
}

/** One line of printable text, at most `maxLength` characters (a cut ends in "…"). */
export function cleanText(value: string, maxLength = MAX_TEXT_LENGTH): string {
  const text = stripControls(value).replace(/\s+/g, ' ').trim()
  const characters = Array.from(text) // by code point: never half a surrogate pair
  if (characters.length <= maxLength) return text
  return `${characters
    .slice(0, Math.max(0, maxLength - 1))
    .join('')
    .trimEnd()}…`
}
