// The sign-in link as a QR code in text: one character cell holds two modules, the upper and
// the lower half. qrcode's own 'terminal' renderer leaves a quiet zone of one module where
// readers need four, and its 'utf8' one cannot set colours; this one does both.

import QRCode from 'qrcode'

/** Light modules on every side of the code: the QR specification's minimum. */
export const QUIET_ZONE = 4

// Indexed by (upper dark) * 2 + (lower dark); a dark module is the character, light is blank.
const HALF_BLOCKS = [' ', '▄', '▀', '█']
// Black on white whatever the terminal's own colours, so the code is never inverted.
const BLACK_ON_WHITE = '\x1b[30;47m'
const RESET = '\x1b[0m'

export interface TerminalQr {
  width: number // in character cells, quiet zone included
  lines: string[]
}

/** `text` as a QR code; `colour` paints it black on white, else it is plain characters only. */
export function terminalQr(text: string, colour: boolean): TerminalQr {
  const { modules } = QRCode.create(text, { errorCorrectionLevel: 'M' })
  const width = modules.size + 2 * QUIET_ZONE
  const dark = (row: number, column: number): number => {
    const [y, x] = [row - QUIET_ZONE, column - QUIET_ZONE]
    const inside = y >= 0 && x >= 0 && y < modules.size && x < modules.size
    return inside && modules.get(y, x) ? 1 : 0
  }
  const lines: string[] = []
  // The size is odd: the last pair's lower half lies in the quiet zone, which only widens it.
  for (let row = 0; row < width; row += 2) {
    let line = ''
    for (let column = 0; column < width; column++) {
      line += HALF_BLOCKS[dark(row, column) * 2 + dark(row + 1, column)]
    }
    lines.push(colour ? `${BLACK_ON_WHITE}${line}${RESET}` : line)
  }
  return { width, lines }
}
