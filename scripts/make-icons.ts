// Renders build/icon.svg into the icon files electron-builder uses:
//   build/icon.png            1024×1024 (macOS / Linux fallback)
//   build/icons/<n>x<n>.png   16…512 (Linux)
//   build/icon.ico            PNG-compressed entries 16…256 (Windows)
//   build/icon.icns           PNG entries 32…1024 (macOS)
// Run: npx tsx scripts/make-icons.ts   (needs Chromium: Playwright's own or /usr/bin/chromium)
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { launchChromium } from '../test/chromium'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const buildDir = join(root, 'build')

const LINUX_SIZES = [16, 32, 48, 64, 128, 256, 512]
const ICO_SIZES = [16, 32, 48, 64, 128, 256]
// OSType → pixel size. ic07–ic10 are the 1×/2× sizes for 128…512; ic11–ic14 the retina
// variants of 16…256, which reuse renders we already have.
const ICNS_ENTRIES: [string, number][] = [
  ['ic11', 32],
  ['ic12', 64],
  ['ic07', 128],
  ['ic13', 256],
  ['ic08', 256],
  ['ic14', 512],
  ['ic09', 512],
  ['ic10', 1024]
]

function pngSize(png: Buffer): [number, number] {
  if (png.readUInt32BE(0) !== 0x89504e47 || png.toString('ascii', 12, 16) !== 'IHDR') {
    throw new Error('not a PNG')
  }
  return [png.readUInt32BE(16), png.readUInt32BE(20)]
}

/** ICO container whose entries are whole PNG files (Windows Vista and later). */
function buildIco(images: { size: number; png: Buffer }[]): Buffer {
  const header = Buffer.alloc(6)
  header.writeUInt16LE(0, 0) // reserved
  header.writeUInt16LE(1, 2) // type: icon
  header.writeUInt16LE(images.length, 4)
  const directory = Buffer.alloc(16 * images.length)
  let offset = header.length + directory.length
  images.forEach(({ size, png }, i) => {
    const entry = i * 16
    directory.writeUInt8(size >= 256 ? 0 : size, entry) // width, 0 means 256
    directory.writeUInt8(size >= 256 ? 0 : size, entry + 1) // height
    directory.writeUInt8(0, entry + 2) // palette size
    directory.writeUInt8(0, entry + 3) // reserved
    directory.writeUInt16LE(1, entry + 4) // colour planes
    directory.writeUInt16LE(32, entry + 6) // bits per pixel
    directory.writeUInt32LE(png.length, entry + 8)
    directory.writeUInt32LE(offset, entry + 12)
    offset += png.length
  })
  return Buffer.concat([header, directory, ...images.map((image) => image.png)])
}

/** ICNS container: 'icns' + total length, then OSType + length (incl. 8-byte header) + PNG. */
function buildIcns(entries: { type: string; png: Buffer }[]): Buffer {
  const chunks = entries.map(({ type, png }) => {
    const head = Buffer.alloc(8)
    head.write(type, 0, 4, 'ascii')
    head.writeUInt32BE(png.length + 8, 4)
    return Buffer.concat([head, png])
  })
  const total = 8 + chunks.reduce((sum, chunk) => sum + chunk.length, 0)
  const head = Buffer.alloc(8)
  head.write('icns', 0, 4, 'ascii')
  head.writeUInt32BE(total, 4)
  return Buffer.concat([head, ...chunks])
}

async function main(): Promise<void> {
  const svg = readFileSync(join(buildDir, 'icon.svg'), 'utf8')
  const sizes = [
    ...new Set([...LINUX_SIZES, ...ICO_SIZES, ...ICNS_ENTRIES.map(([, s]) => s), 1024])
  ]
  const browser = await launchChromium()
  const renders = new Map<number, Buffer>()
  try {
    const page = await browser.newPage({
      viewport: { width: 1024, height: 1024 },
      deviceScaleFactor: 1
    })
    for (const size of sizes.sort((a, b) => a - b)) {
      // Chromium rasterises the vector at each size, which beats downscaling one bitmap.
      await page.setContent(
        `<!doctype html><html><body style="margin:0;background:transparent">` +
          `<div id="icon" style="width:${size}px;height:${size}px;line-height:0">` +
          svg.replace('<svg ', `<svg style="width:${size}px;height:${size}px;display:block" `) +
          `</div></body></html>`
      )
      const png = await page.locator('#icon').screenshot({ omitBackground: true, type: 'png' })
      const [w, h] = pngSize(png)
      if (w !== size || h !== size) throw new Error(`rendered ${w}×${h}, expected ${size}×${size}`)
      renders.set(size, png)
    }
  } finally {
    await browser.close()
  }
  const render = (size: number): Buffer => renders.get(size)!

  const written: string[] = []
  const write = (path: string, data: Buffer): void => {
    mkdirSync(dirname(path), { recursive: true })
    writeFileSync(path, data)
    written.push(`${path.slice(root.length + 1)} (${data.length} bytes)`)
  }
  write(join(buildDir, 'icon.png'), render(1024))
  for (const size of LINUX_SIZES)
    write(join(buildDir, 'icons', `${size}x${size}.png`), render(size))
  write(
    join(buildDir, 'icon.ico'),
    buildIco(ICO_SIZES.map((size) => ({ size, png: render(size) })))
  )
  write(
    join(buildDir, 'icon.icns'),
    buildIcns(ICNS_ENTRIES.map(([type, size]) => ({ type, png: render(size) })))
  )
  console.log(written.join('\n'))
}

main().catch((error: unknown) => {
  console.error(error)
  process.exit(1)
})
