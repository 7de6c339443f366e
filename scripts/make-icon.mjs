#!/usr/bin/env node
/**
 * Draws the Ganvas icon: a painted brush stroke that dissolves into a pixel grid (sketch → GAN
 * image), on a dark rounded square. Writes resources/icon.svg, icon.png (1024²), icon.ico (Windows,
 * PNG-compressed entries) and icon.icns (macOS, PNG entries), all from the one SVG, with sharp.
 *   node scripts/make-icon.mjs
 */
import { mkdir, writeFile } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import sharp from 'sharp'

const out = join(dirname(fileURLToPath(import.meta.url)), '..', 'resources')
const SIZE = 1024

/** The brush stroke's centreline (a cubic Bézier, lower left to centre) and its width at the end. */
const STROKE = [
  { x: 206, y: 812 },
  { x: 356, y: 796 },
  { x: 446, y: 578 },
  { x: 556, y: 468 },
]
const STROKE_WIDTH = 150
/** Past the stroke's end, paint continues as pixels toward the upper right. */
const FLOW = { x: Math.SQRT1_2, y: -Math.SQRT1_2 }

const bezier = (t) => {
  const [a, b, c, d] = STROKE
  const u = 1 - t
  const k = [u * u * u, 3 * u * u * t, 3 * u * t * t, t * t * t]
  return { x: k[0] * a.x + k[1] * b.x + k[2] * c.x + k[3] * d.x, y: k[0] * a.y + k[1] * b.y + k[2] * c.y + k[3] * d.y }
}

/** The stroke as a filled outline: thin where the brush lands, full width where it meets the grid. */
function strokePath() {
  const left = []
  const right = []
  const steps = 48
  for (let i = 0; i <= steps; i++) {
    const t = i / steps
    const p = bezier(t)
    const q = bezier(Math.min(1, t + 1e-3))
    const r = bezier(Math.max(0, t - 1e-3))
    const len = Math.hypot(q.x - r.x, q.y - r.y)
    const n = { x: -(q.y - r.y) / len, y: (q.x - r.x) / len }
    const rise = Math.min(1, t / 0.55)
    const half = (STROKE_WIDTH / 2) * (0.05 + 0.95 * rise * rise * (3 - 2 * rise)) // tapers in, then full
    left.push(`${(p.x + n.x * half).toFixed(1)} ${(p.y + n.y * half).toFixed(1)}`)
    right.push(`${(p.x - n.x * half).toFixed(1)} ${(p.y - n.y * half).toFixed(1)}`)
  }
  return `M${left.join(' L')} L${right.reverse().join(' L')} Z`
}

function pixelCells() {
  const end = STROKE[3]
  const pitch = 62
  const size = 52
  const cells = []
  for (let gx = -2; gx < 8; gx++) {
    for (let gy = -8; gy < 3; gy++) {
      const cx = end.x + 8 + gx * pitch
      const cy = end.y - 8 + gy * pitch
      const rx = cx - end.x
      const ry = cy - end.y
      const along = rx * FLOW.x + ry * FLOW.y // how far past the stroke's end
      const across = Math.abs(rx * FLOW.y - ry * FLOW.x) // distance from the flow's axis
      const reach = 92 - along * 0.17 // the band narrows as paint turns into pixels
      if (along < -10 || along > 360 || across > reach) continue
      if (along > 200 && (gx * 5 + gy * 3 + 40) % 4 === 0) continue // a fixed scatter at the far end
      const t = Math.max(0, along) / 360
      const shrink = Math.round(t * 14)
      cells.push({ x: cx - (size - shrink) / 2, y: cy - (size - shrink) / 2, s: size - shrink, t })
    }
  }
  return cells
}

/** Purple where the paint ends, through blue, to teal at the far pixels. */
function pixelColor(t) {
  const stops = [
    [0, [154, 92, 255]],
    [0.5, [79, 140, 255]],
    [1, [63, 224, 208]],
  ]
  const i = t < 0.5 ? 0 : 1
  const [t0, c0] = stops[i]
  const [t1, c1] = stops[i + 1]
  const f = (t - t0) / (t1 - t0)
  return `rgb(${c0.map((v, k) => Math.round(v + (c1[k] - v) * f)).join(',')})`
}

function iconSvg() {
  const cells = pixelCells()
    .map((c) => `<rect x="${c.x.toFixed(1)}" y="${c.y.toFixed(1)}" width="${c.s}" height="${c.s}" rx="8" fill="${pixelColor(c.t)}" opacity="${(1 - c.t * 0.35).toFixed(2)}"/>`)
    .join('\n    ')
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${SIZE}" height="${SIZE}" viewBox="0 0 ${SIZE} ${SIZE}">
  <defs>
    <linearGradient id="bg" x1="0" y1="0" x2="0" y2="1">
      <stop offset="0" stop-color="#2b2f3a"/>
      <stop offset="1" stop-color="#121419"/>
    </linearGradient>
    <radialGradient id="glow" cx="0.6" cy="0.42" r="0.55">
      <stop offset="0" stop-color="#6d5cff" stop-opacity="0.20"/>
      <stop offset="1" stop-color="#6d5cff" stop-opacity="0"/>
    </radialGradient>
    <linearGradient id="paint" x1="${STROKE[0].x}" y1="${STROKE[0].y}" x2="${STROKE[3].x}" y2="${STROKE[3].y}" gradientUnits="userSpaceOnUse">
      <stop offset="0" stop-color="#ffb36b"/>
      <stop offset="0.5" stop-color="#f2577c"/>
      <stop offset="1" stop-color="#9a5cff"/>
    </linearGradient>
  </defs>
  <rect x="64" y="64" width="896" height="896" rx="200" fill="url(#bg)"/>
  <rect x="64" y="64" width="896" height="896" rx="200" fill="url(#glow)"/>
  <rect x="65.5" y="65.5" width="893" height="893" rx="198.5" fill="none" stroke="#fff" stroke-opacity="0.07" stroke-width="3"/>
  <path d="${strokePath()}" fill="url(#paint)"/>
  <g>
    ${cells}
  </g>
</svg>
`
}

/** Windows .ico holding PNG-compressed images (supported since Vista). */
function ico(images) {
  const header = Buffer.alloc(6 + 16 * images.length)
  header.writeUInt16LE(0, 0)
  header.writeUInt16LE(1, 2) // type: icon
  header.writeUInt16LE(images.length, 4)
  let offset = header.length
  images.forEach(({ size, png }, i) => {
    const entry = 6 + 16 * i
    header.writeUInt8(size >= 256 ? 0 : size, entry) // 0 means 256
    header.writeUInt8(size >= 256 ? 0 : size, entry + 1)
    header.writeUInt16LE(1, entry + 4) // colour planes
    header.writeUInt16LE(32, entry + 6) // bits per pixel
    header.writeUInt32LE(png.length, entry + 8)
    header.writeUInt32LE(offset, entry + 12)
    offset += png.length
  })
  return Buffer.concat([header, ...images.map((i) => i.png)])
}

/** macOS .icns with PNG entries: OSType code + big-endian length, for each size. */
const ICNS_TYPES = [
  ['icp4', 16], ['icp5', 32], ['icp6', 64], ['ic07', 128], ['ic08', 256], ['ic09', 512], ['ic10', 1024],
  ['ic11', 32], ['ic12', 64], ['ic13', 256], ['ic14', 512],
]
function icns(pngBySize) {
  const chunks = ICNS_TYPES.map(([type, size]) => {
    const png = pngBySize.get(size)
    const head = Buffer.alloc(8)
    head.write(type, 0, 'ascii')
    head.writeUInt32BE(png.length + 8, 4)
    return Buffer.concat([head, png])
  })
  const body = Buffer.concat(chunks)
  const head = Buffer.alloc(8)
  head.write('icns', 0, 'ascii')
  head.writeUInt32BE(body.length + 8, 4)
  return Buffer.concat([head, body])
}

async function main() {
  await mkdir(out, { recursive: true })
  const svg = iconSvg()
  await writeFile(join(out, 'icon.svg'), svg)
  const master = await sharp(Buffer.from(svg)).png().toBuffer()
  const pngBySize = new Map([[SIZE, master]])
  for (const size of [16, 24, 32, 48, 64, 128, 256, 512]) {
    pngBySize.set(size, await sharp(master).resize(size, size, { kernel: 'lanczos3' }).png({ compressionLevel: 9 }).toBuffer())
  }
  await writeFile(join(out, 'icon.png'), master)
  await writeFile(join(out, 'icon.ico'), ico([16, 24, 32, 48, 64, 128, 256].map((size) => ({ size, png: pngBySize.get(size) }))))
  await writeFile(join(out, 'icon.icns'), icns(pngBySize))
  console.log(`wrote icon.svg, icon.png, icon.ico and icon.icns to ${out}`)
}

await main()
