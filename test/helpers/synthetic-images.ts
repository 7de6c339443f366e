/**
 * Deterministic synthetic datasets for engine and e2e tests, rasterised here and written as PNGs.
 *
 * Paired (Pix2Pix): A = a shape's black outline on white; B = the same shape filled and shaded,
 * its colour set by the shape (circle red, square blue, triangle green, cross purple).
 * Unpaired (CycleGAN): the same kinds of shapes, A warm colours on a light background, B cool
 * colours on a dark one; `knownMapping` turns an A image into the B image it should become.
 */
import { mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import sharp from 'sharp'
import { Random } from '../../src/engine/random'

export type ShapeKind = 'circle' | 'square' | 'triangle' | 'cross'
export const SHAPES: readonly ShapeKind[] = ['circle', 'square', 'triangle', 'cross']
type Rgb = readonly [number, number, number]

/** Position and radius as fractions of the image side, so a spec renders at any size. */
export interface ShapeSpec {
  kind: ShapeKind
  cx: number
  cy: number
  r: number
}

export const PAIRED_FILL: Record<ShapeKind, Rgb> = {
  circle: [215, 40, 40],
  square: [40, 80, 220],
  triangle: [30, 160, 60],
  cross: [140, 50, 190],
}
/** Unpaired schemes: each shape's A colour maps to its B colour, the light background to the dark. */
export interface Scheme {
  background: Rgb
  fill: Record<ShapeKind, Rgb>
}
export const DOMAIN_A: Scheme = {
  background: [245, 238, 225],
  fill: { circle: [220, 50, 40], square: [240, 140, 30], triangle: [225, 195, 35], cross: [200, 40, 120] },
}
export const DOMAIN_B: Scheme = {
  background: [25, 30, 45],
  fill: { circle: [40, 200, 220], square: [60, 90, 230], triangle: [60, 200, 120], cross: [150, 90, 230] },
}

/** Shapes in turn (balanced classes), random position and scale. */
export function randomSpecs(count: number, seed: number): ShapeSpec[] {
  const rng = new Random(seed)
  return Array.from({ length: count }, (_, i) => {
    const r = 0.2 + 0.15 * rng.next()
    const place = () => r + 0.04 + (1 - 2 * r - 0.08) * rng.next()
    return { kind: SHAPES[i % SHAPES.length]!, cx: place(), cy: place(), r }
  })
}

/** Signed distance in unit coordinates (negative inside). */
function distance(s: ShapeSpec, x: number, y: number): number {
  if (s.kind === 'circle') return Math.hypot(x - s.cx, y - s.cy) - s.r
  return polygonDistance(polygon(s), x, y)
}

function polygon({ kind, cx, cy, r }: ShapeSpec): [number, number][] {
  if (kind === 'square') {
    const h = r * 0.8
    return [[cx - h, cy - h], [cx + h, cy - h], [cx + h, cy + h], [cx - h, cy + h]]
  }
  if (kind === 'triangle') {
    return [-90, 30, 150].map((deg) => [cx + r * Math.cos((deg * Math.PI) / 180), cy + r * Math.sin((deg * Math.PI) / 180)])
  }
  const [w, l] = [r * 0.35, r * 0.95] // a plus sign: arm half-width and half-length
  const outline: [number, number][] = []
  let quarter: [number, number][] = [[w, -l], [w, -w], [l, -w]]
  for (let turn = 0; turn < 4; turn++) {
    outline.push(...quarter.map(([x, y]): [number, number] => [cx + x, cy + y]))
    quarter = quarter.map(([x, y]) => [-y, x]) // a quarter turn
  }
  return outline
}

function polygonDistance(pts: [number, number][], x: number, y: number): number {
  let best = Infinity
  let inside = false
  for (let i = 0, j = pts.length - 1; i < pts.length; j = i++) {
    const [ax, ay] = pts[j]!
    const [bx, by] = pts[i]!
    const [ex, ey] = [bx - ax, by - ay]
    const t = Math.max(0, Math.min(1, ((x - ax) * ex + (y - ay) * ey) / (ex * ex + ey * ey)))
    best = Math.min(best, Math.hypot(x - ax - t * ex, y - ay - t * ey))
    if (ay > y !== by > y && x < ax + ((y - ay) * ex) / ey) inside = !inside
  }
  return inside ? -best : best
}

/** Paints each pixel as background blended with paint(x, y) by coverage(signed distance in px). */
function raster(
  s: ShapeSpec,
  size: number,
  background: Rgb,
  coverage: (dPx: number) => number,
  paint: (x: number, y: number) => Rgb,
): Uint8Array {
  const out = new Uint8Array(size * size * 3)
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      const [x, y] = [(px + 0.5) / size, (py + 0.5) / size]
      const alpha = coverage(distance(s, x, y) * size)
      const colour = alpha > 0 ? paint(x, y) : background
      for (let c = 0; c < 3; c++) out[(py * size + px) * 3 + c] = Math.round(background[c]! + alpha * (colour[c]! - background[c]!))
    }
  }
  return out
}

const clamp01 = (v: number) => Math.max(0, Math.min(1, v))
const WHITE: Rgb = [255, 255, 255]

/** The paired sample: outline (A) and filled, shaded shape (B), both size×size RGB. */
export function renderPaired(s: ShapeSpec, size: number): { a: Uint8Array; b: Uint8Array } {
  const half = Math.max(0.75, size / 80) // half the line width, in pixels
  const a = raster(s, size, WHITE, (d) => clamp01(half + 0.5 - Math.abs(d)), () => [0, 0, 0])
  const fill = PAIRED_FILL[s.kind]
  const shade = (x: number, y: number): Rgb => {
    // Light from the upper left: brighter near it, darker away from it.
    const k = 1.15 - 0.55 * clamp01(Math.hypot(x - (s.cx - 0.4 * s.r), y - (s.cy - 0.4 * s.r)) / (1.6 * s.r))
    return [Math.min(255, fill[0] * k), Math.min(255, fill[1] * k), Math.min(255, fill[2] * k)]
  }
  const b = raster(s, size, WHITE, (d) => clamp01(0.5 - d), shade)
  return { a, b }
}

/** One domain's rendering of a spec: flat colour, anti-aliased edge. */
export function renderDomain(s: ShapeSpec, size: number, domain: 'A' | 'B'): Uint8Array {
  const scheme = domain === 'A' ? DOMAIN_A : DOMAIN_B
  return raster(s, size, scheme.background, (d) => clamp01(0.5 - d), () => scheme.fill[s.kind])
}

/**
 * The B image an A image should become: find the shape by its colour, then map each pixel's
 * blend of A background and A colour to the same blend of B's.
 */
export function knownMapping(aImage: Uint8Array): Uint8Array {
  const bg = DOMAIN_A.background
  const dist2 = (i: number, c: Rgb) => (aImage[i]! - c[0]) ** 2 + (aImage[i + 1]! - c[1]) ** 2 + (aImage[i + 2]! - c[2]) ** 2
  let far = 0
  for (let i = 0; i < aImage.length; i += 3) if (dist2(i, bg) > dist2(far, bg)) far = i
  const kind = SHAPES.reduce((best, k) => (dist2(far, DOMAIN_A.fill[k]) < dist2(far, DOMAIN_A.fill[best]) ? k : best))
  const [fa, fb, bgB] = [DOMAIN_A.fill[kind], DOMAIN_B.fill[kind], DOMAIN_B.background]
  const axis = [fa[0] - bg[0], fa[1] - bg[1], fa[2] - bg[2]]
  const norm = axis[0]! ** 2 + axis[1]! ** 2 + axis[2]! ** 2
  const out = new Uint8Array(aImage.length)
  for (let i = 0; i < aImage.length; i += 3) {
    const t = clamp01(((aImage[i]! - bg[0]) * axis[0]! + (aImage[i + 1]! - bg[1]) * axis[1]! + (aImage[i + 2]! - bg[2]) * axis[2]!) / norm)
    for (let c = 0; c < 3; c++) out[i + c] = Math.round(bgB[c]! + t * (fb[c]! - bgB[c]!))
  }
  return out
}

export const writePng = (path: string, data: Uint8Array, width: number, height: number) =>
  sharp(data, { raw: { width, height, channels: 3 } }).png().toFile(path)

/** Side by side: [left | right], each size×size. */
export function sideBySide(left: Uint8Array, right: Uint8Array, size: number): Uint8Array {
  const out = new Uint8Array(size * size * 6)
  for (let y = 0; y < size; y++) {
    out.set(left.subarray(y * size * 3, (y + 1) * size * 3), y * size * 6)
    out.set(right.subarray(y * size * 3, (y + 1) * size * 3), y * size * 6 + size * 3)
  }
  return out
}

const fileName = (i: number) => `shape-${String(i).padStart(4, '0')}.png`

/** A Pix2Pix dataset in `dir`: aligned A|B files, or A/ and B/ subfolders. Returns the specs in file order. */
export async function writePairedShapes(
  dir: string,
  { count, size, layout, seed }: { count: number; size: number; layout: 'aligned' | 'folders'; seed: number },
): Promise<ShapeSpec[]> {
  const specs = randomSpecs(count, seed)
  if (layout === 'folders') await Promise.all([mkdir(join(dir, 'A'), { recursive: true }), mkdir(join(dir, 'B'), { recursive: true })])
  else await mkdir(dir, { recursive: true })
  for (const [i, s] of specs.entries()) {
    const { a, b } = renderPaired(s, size)
    if (layout === 'aligned') await writePng(join(dir, fileName(i)), sideBySide(a, b, size), size * 2, size)
    else await Promise.all([writePng(join(dir, 'A', fileName(i)), a, size, size), writePng(join(dir, 'B', fileName(i)), b, size, size)])
  }
  return specs
}

/** A CycleGAN dataset: `dir/trainA` and `dir/trainB`, independent random shapes in each domain. */
export async function writeUnpairedDomains(
  dir: string,
  { count, size, seed }: { count: number; size: number; seed: number },
): Promise<{ a: ShapeSpec[]; b: ShapeSpec[] }> {
  const specs = { a: randomSpecs(count, seed), b: randomSpecs(count, seed + 1) }
  for (const domain of ['A', 'B'] as const) {
    const folder = join(dir, `train${domain}`)
    await mkdir(folder, { recursive: true })
    for (const [i, s] of specs[domain === 'A' ? 'a' : 'b'].entries()) {
      await writePng(join(folder, fileName(i)), renderDomain(s, size, domain), size, size)
    }
  }
  return specs
}

/** The bad inputs a user's folder may hold, by file name, with what each reason should mention. */
export const BAD_FILES = {
  'empty.png': /empty/,
  'text.jpg': /not an image/,
  'truncated.png': /truncated/, // found by verify: 'decode', or by the loader when first decoded
  'notes.txt': /not an image/,
  'tiny.png': /too small/,
  'odd-width.png': /odd/, // only bad as a side-by-side A|B image
} as const

/** Writes BAD_FILES (and a hidden .DS_Store, which must be ignored silently) into `dir`. */
export async function writeBadFiles(dir: string): Promise<void> {
  await mkdir(dir, { recursive: true })
  const good = renderPaired({ kind: 'circle', cx: 0.5, cy: 0.5, r: 0.3 }, 32)
  const png = await sharp(sideBySide(good.a, good.b, 32), { raw: { width: 64, height: 32, channels: 3 } }).png().toBuffer()
  await writeFile(join(dir, 'empty.png'), new Uint8Array(0))
  await writeFile(join(dir, 'text.jpg'), 'This is a text file with a .jpg name.\n')
  await writeFile(join(dir, 'truncated.png'), png.subarray(0, Math.floor(png.length * 0.6)))
  await writeFile(join(dir, 'notes.txt'), 'notes about the dataset\n')
  await writePng(join(dir, 'tiny.png'), new Uint8Array(2 * 2 * 3).fill(128), 2, 2)
  await writePng(join(dir, 'odd-width.png'), new Uint8Array(33 * 16 * 3).fill(200), 33, 16)
  await writeFile(join(dir, '.DS_Store'), new Uint8Array([0, 0, 0, 1, 66, 117, 100, 49]))
}
