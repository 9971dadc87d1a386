// Reads a QR code back out of a PNG screenshot.

import jsQR from 'jsqr'
import { PNG } from 'pngjs'

export function decodeQrPng(png: Buffer): string | undefined {
  const image = PNG.sync.read(png)
  const pixels = new Uint8ClampedArray(image.data.buffer, image.data.byteOffset, image.data.length)
  return jsQR(pixels, image.width, image.height)?.data
}
