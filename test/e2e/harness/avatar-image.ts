// A small account picture for the fake plex.tv user, so the avatar's data: URL path is exercised.

import { PNG } from 'pngjs'

export function avatarPng(size = 96): Buffer {
  const png = new PNG({ width: size, height: size })
  const centre = (size - 1) / 2
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const i = (y * size + x) * 4
      const inside = Math.hypot(x - centre, y - centre) <= size / 2
      const head = Math.hypot(x - centre, y - size * 0.38) <= size * 0.18
      const body = Math.hypot(x - centre, y - size * 0.95) <= size * 0.36
      const figure = head || body
      png.data[i] = figure ? 0xff : 0x3a
      png.data[i + 1] = figure ? 0xf4 : 0x6e
      png.data[i + 2] = figure ? 0xe0 : 0xa5
      png.data[i + 3] = inside ? 0xff : 0
    }
  }
  return PNG.sync.write(png)
}
