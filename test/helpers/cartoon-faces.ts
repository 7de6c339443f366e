/**
 * A deterministic synthetic face set for the face-generator (DCGAN) tests: drawn cartoon faces
 * whose content comes from three discrete factors,
 *
 *   skin   light · medium · dark       (clearly different colours)
 *   eyes   close · wide                (distance between the two eyes)
 *   mouth  smile · frown               (which way the mouth curves)
 *
 * = 12 combinations, plus a little nuisance variation (the whole face shifted by up to 1 px in
 * each direction, the background a little lighter or darker) so that no two images are identical.
 * Rendered directly into RGB bytes with 4×4 supersampling (anti-aliased edges), at any size; the
 * geometry is in fractions of the side and the numbers in comments are pixels at 32 px.
 *
 * `classifyFace` reads the factors back from an image (a generator's sample, say): the nearest
 * clean rendering of the 12 combinations over a grid of shifts, with the background shade fitted.
 */
import { mkdir } from 'node:fs/promises'
import { join } from 'node:path'
import { Random } from '../../src/engine/random'
import { writePng } from './synthetic-images'

type Rgb = readonly [number, number, number]

export const SKINS = ['light', 'medium', 'dark'] as const
export const EYES = ['close', 'wide'] as const
export const MOUTHS = ['smile', 'frown'] as const
export type Skin = (typeof SKINS)[number]
export type Eyes = (typeof EYES)[number]
export type Mouth = (typeof MOUTHS)[number]

export interface FaceFactors {
  skin: Skin
  eyes: Eyes
  mouth: Mouth
}

/** The factor values, for reports. */
export const FACTORS = { skin: SKINS, eyes: EYES, mouth: MOUTHS } as const

/** All 12 combinations, skin slowest: index i ↔ COMBOS[i]. */
export const COMBOS: readonly FaceFactors[] = SKINS.flatMap((skin) => EYES.flatMap((eyes) => MOUTHS.map((mouth) => ({ skin, eyes, mouth }))))

export const comboIndex = (f: FaceFactors) => SKINS.indexOf(f.skin) * 4 + EYES.indexOf(f.eyes) * 2 + MOUTHS.indexOf(f.mouth)
export const comboName = (f: FaceFactors) => `${f.skin}-${f.eyes}-${f.mouth}`

/** What varies between two faces of the same combination. */
export interface FaceNuisance {
  /** Shift of the whole face, as fractions of the side (±JITTER). */
  dx: number
  dy: number
  /** Added to every background channel (±SHADE). */
  shade: number
}

export const CLEAN: FaceNuisance = { dx: 0, dy: 0, shade: 0 }
/** Largest shift: 1 px at 32 px. */
export const JITTER = 1 / 32
export const SHADE = 12

export const SKIN_COLOUR: Record<Skin, Rgb> = {
  light: [240, 200, 160],
  medium: [196, 136, 84],
  dark: [112, 70, 44],
}
export const BACKGROUND: Rgb = [168, 198, 226]
const EYE: Rgb = [22, 22, 34]
const MOUTH_COLOUR: Rgb = [60, 14, 24]

// Geometry, fractions of the side (pixels at 32 px).
const FACE = { cx: 0.5, cy: 0.515, rx: 0.355, ry: 0.4 } // centre (16, 16.5), radii 11.4 × 12.8
const EYE_Y = 0.42 // 13.4
const EYE_DX: Record<Eyes, number> = { close: 0.11, wide: 0.22 } // ±3.5 / ±7.0 from the centre
const EYE_R = 0.065 // 2.1
const MOUTH = { halfWidth: 0.19, halfThickness: 0.05, top: 0.58, bottom: 0.72 } // 6.1 wide each side, 3.2 thick; rows 18.6–23
const SUPER = 4

/** Points along the mouth's centre line (a parabola) in unit coordinates, before the shift. */
const mouthLine = (mouth: Mouth): [number, number][] =>
  Array.from({ length: 41 }, (_, i) => {
    const u = i / 20 - 1
    const sag = MOUTH.bottom - MOUTH.top
    // A smile: the middle low, the corners up. A frown: the other way round.
    const y = mouth === 'smile' ? MOUTH.bottom - sag * u * u : MOUTH.top + sag * u * u
    return [FACE.cx + MOUTH.halfWidth * u, y]
  })
const MOUTH_LINES: Record<Mouth, [number, number][]> = { smile: mouthLine('smile'), frown: mouthLine('frown') }

/**
 * The colour at a point (unit coordinates) of a face with these factors shifted by (dx, dy);
 * null outside the face (the background).
 */
function painter(f: FaceFactors, { dx, dy }: { dx: number; dy: number }): (x: number, y: number) => Rgb | null {
  const skin = SKIN_COLOUR[f.skin]
  const line = MOUTH_LINES[f.mouth]
  const eyeX = [FACE.cx - EYE_DX[f.eyes], FACE.cx + EYE_DX[f.eyes]]
  const box = {
    x0: FACE.cx - MOUTH.halfWidth - MOUTH.halfThickness,
    x1: FACE.cx + MOUTH.halfWidth + MOUTH.halfThickness,
    y0: MOUTH.top - MOUTH.halfThickness,
    y1: MOUTH.bottom + MOUTH.halfThickness,
  }
  const t2 = MOUTH.halfThickness ** 2
  return (x, y) => {
    // Undo the shift: the geometry is drawn at its nominal place.
    const [u, v] = [x - dx, y - dy]
    if (((u - FACE.cx) / FACE.rx) ** 2 + ((v - FACE.cy) / FACE.ry) ** 2 > 1) return null
    if (eyeX.some((ex) => (u - ex) ** 2 + (v - EYE_Y) ** 2 <= EYE_R * EYE_R)) return EYE
    if (u >= box.x0 && u <= box.x1 && v >= box.y0 && v <= box.y1) {
      for (const [px, py] of line) if ((u - px) ** 2 + (v - py) ** 2 <= t2) return MOUTH_COLOUR
    }
    return skin
  }
}

/** One cartoon face, size×size RGB bytes. */
export function renderFace(factors: FaceFactors, nuisance: FaceNuisance = CLEAN, size = 32): Uint8Array {
  const rgb = new Uint8Array(size * size * 3)
  const bg = BACKGROUND.map((v) => v + nuisance.shade)
  const colourAt = painter(factors, nuisance)
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      const sum = [0, 0, 0]
      for (let sy = 0; sy < SUPER; sy++) {
        for (let sx = 0; sx < SUPER; sx++) {
          const colour = colourAt((px + (sx + 0.5) / SUPER) / size, (py + (sy + 0.5) / SUPER) / size) ?? bg
          for (let k = 0; k < 3; k++) sum[k]! += colour[k]!
        }
      }
      for (let k = 0; k < 3; k++) rgb[(py * size + px) * 3 + k] = Math.max(0, Math.min(255, Math.round(sum[k]! / (SUPER * SUPER))))
    }
  }
  return rgb
}

/** Random nuisance: shift uniform in ±JITTER each way, shade uniform in ±SHADE. */
export function randomNuisance(random: Random): FaceNuisance {
  return { dx: (2 * random.next() - 1) * JITTER, dy: (2 * random.next() - 1) * JITTER, shade: (2 * random.next() - 1) * SHADE }
}

export interface CartoonFaceSpec {
  file: string
  factors: FaceFactors
  nuisance: FaceNuisance
  /** The pixels written (size×size×3). */
  image: Uint8Array
}

/** `count` faces, the 12 combinations in turn (balanced), nuisance from Random(seed). */
export function cartoonFaceSpecs({ count, size, seed }: { count: number; size: number; seed: number }): CartoonFaceSpec[] {
  const random = new Random(seed)
  return Array.from({ length: count }, (_, i) => {
    const factors = COMBOS[i % COMBOS.length]!
    const nuisance = randomNuisance(random)
    return { file: `face-${String(i).padStart(4, '0')}.png`, factors, nuisance, image: renderFace(factors, nuisance, size) }
  })
}

/**
 * `cartoonFaceSpecs` written as PNGs into `dir`, or with `byCombo` into one subfolder per
 * combination (a class-conditional set). Returns the specs in file order.
 */
export async function writeCartoonFaces(
  dir: string,
  { count, size, seed, byCombo = false }: { count: number; size: number; seed: number; byCombo?: boolean },
): Promise<CartoonFaceSpec[]> {
  const specs = cartoonFaceSpecs({ count, size, seed })
  const folders = byCombo ? COMBOS.map((f) => join(dir, comboName(f))) : [dir]
  await Promise.all(folders.map((f) => mkdir(f, { recursive: true })))
  for (const s of specs) {
    await writePng(join(byCombo ? join(dir, comboName(s.factors)) : dir, s.file), s.image, size, size)
  }
  return specs
}

interface Template {
  /** Index into COMBOS, or past it for a skin's average face (TemplateBank.skinAverage). */
  combo: number
  rgb: Float32Array
  /** Background coverage, one per pixel; and Σ of its squares × 3 channels. */
  background: Float32Array
  bgNorm: number
}

/**
 * The classifier's clean faces, per size: each combination drawn once on a supersampled grid with
 * a margin, then box-filtered at each shift asked for (rounded to whole supersamples, so a
 * template is exactly what `renderFace` draws at that shift, with no background shade).
 */
class TemplateBank {
  /** Largest whole-pixel shift tried, in 32-px pixels. */
  static readonly reach = 2
  readonly #size: number
  readonly #margin: number
  readonly #side: number
  readonly #colours: Float32Array[] = []
  readonly #isBackground: Uint8Array[] = []
  readonly #cache = new Map<string, Template>()

  constructor(size: number) {
    this.#size = size
    this.#margin = Math.ceil((TemplateBank.reach / 32) * size) + 1
    this.#side = (size + 2 * this.#margin) * SUPER
    for (const f of COMBOS) {
      const colours = new Float32Array(this.#side * this.#side * 3)
      const isBackground = new Uint8Array(this.#side * this.#side)
      const colourAt = painter(f, CLEAN)
      for (let j = 0; j < this.#side; j++) {
        for (let i = 0; i < this.#side; i++) {
          const at = (k: number) => (k - this.#margin * SUPER + 0.5) / (SUPER * size)
          const c = colourAt(at(i), at(j))
          const q = j * this.#side + i
          isBackground[q] = c === null ? 1 : 0
          const colour = c ?? BACKGROUND
          for (let k = 0; k < 3; k++) colours[q * 3 + k] = colour[k]!
        }
      }
      this.#colours.push(colours)
      this.#isBackground.push(isBackground)
    }
    // Then one face per skin with its four eye and mouth variants averaged, to find the shift by.
    SKINS.forEach((_, k) => {
      const variants = this.#colours.slice(4 * k, 4 * k + 4)
      this.#colours.push(variants[0]!.map((_, i) => variants.reduce((sum, v) => sum + v[i]!, 0) / 4))
      this.#isBackground.push(this.#isBackground[4 * k]!) // the same outline
    })
  }

  /** Index of skin k's averaged face, for `template`. */
  static skinAverage = (k: number) => COMBOS.length + k

  /** Shift, in 32-px pixels, to a whole number of supersamples at this size. */
  #supersamples = (shift: number) => Math.round((shift / 32) * this.#size * SUPER)

  /** Combination `combo` shifted by (dx, dy) 32-px pixels (rounded to the supersample grid). */
  template(combo: number, dx: number, dy: number): Template {
    const [kx, ky] = [this.#supersamples(dx), this.#supersamples(dy)]
    const key = `${combo},${kx},${ky}`
    let t = this.#cache.get(key)
    if (t) return t
    const size = this.#size
    const rgb = new Float32Array(size * size * 3)
    const background = new Float32Array(size * size)
    const [colours, isBackground] = [this.#colours[combo]!, this.#isBackground[combo]!]
    const origin = this.#margin * SUPER
    for (let py = 0; py < size; py++) {
      for (let px = 0; px < size; px++) {
        let [r, g, b, n] = [0, 0, 0, 0]
        for (let sy = 0; sy < SUPER; sy++) {
          const row = (origin + py * SUPER + sy - ky) * this.#side
          for (let sx = 0; sx < SUPER; sx++) {
            const q = row + origin + px * SUPER + sx - kx
            r += colours[q * 3]!
            g += colours[q * 3 + 1]!
            b += colours[q * 3 + 2]!
            n += isBackground[q]!
          }
        }
        const p = py * size + px
        const area = SUPER * SUPER
        // Rounded as `render` rounds its bytes.
        rgb[p * 3] = Math.round(r / area)
        rgb[p * 3 + 1] = Math.round(g / area)
        rgb[p * 3 + 2] = Math.round(b / area)
        background[p] = n / area
      }
    }
    t = { combo, rgb, background, bgNorm: 3 * background.reduce((s, v) => s + v * v, 0) }
    this.#cache.set(key, t)
    return t
  }
}

const banks = new Map<number, TemplateBank>()
const bankFor = (size: number) => {
  let bank = banks.get(size)
  if (!bank) banks.set(size, (bank = new TemplateBank(size)))
  return bank
}

/** Squared distance from `x` to template `t` with the best background shade, and that shade. */
function fit(x: Uint8Array, t: Template): { d2: number; shade: number } {
  let rr = 0
  let rb = 0
  const n = t.background.length
  for (let p = 0; p < n; p++) {
    const b = t.background[p]!
    const i = p * 3
    const r0 = x[i]! - t.rgb[i]!
    const r1 = x[i + 1]! - t.rgb[i + 1]!
    const r2 = x[i + 2]! - t.rgb[i + 2]!
    rr += r0 * r0 + r1 * r1 + r2 * r2
    rb += (r0 + r1 + r2) * b
  }
  const shade = t.bgNorm > 0 ? rb / t.bgNorm : 0
  return { d2: rr - shade * rb, shade }
}

export interface FaceReading {
  factors: FaceFactors
  /** Index into COMBOS. */
  combo: number
  /** RMS difference (0–255 byte units, over pixels and channels) to the nearest clean face. */
  rms: number
  /** The same for the nearest face of any other combination: the gap is the reading's confidence. */
  runnerUpRms: number
  /**
   * Per factor, how clearly the image shows the value read rather than the nearest other value of
   * that factor (the rest as read, same shift): the image's position between the two clean faces,
   * 1 at the one read, 0 halfway (never below: the reading is the nearest).
   */
  confidence: { skin: number; eyes: number; mouth: number }
  /** The shift (fractions of the side, to a half 32-px pixel) and background shade that fitted best. */
  dx: number
  dy: number
  shade: number
}

/**
 * Which combination `rgb` (size×size×3 bytes) shows: the nearest (L2) clean rendering of the 12,
 * placed by the skin-averaged faces over whole-pixel shifts of up to 2 px (32-px pixels), then every
 * combination within half a pixel of that place, with the background shade fitted.
 */
export function classifyFace(rgb: Uint8Array, size: number): FaceReading {
  if (rgb.length !== size * size * 3) throw new Error(`classifyFace: ${rgb.length} bytes is not ${size}×${size}×3`)
  const bank = bankFor(size)
  // The face's place first, by the skin averages at whole-pixel shifts (the nuisance is common to
  // every combination), then every combination at half-pixel shifts around it.
  let place = { d2: Infinity, dx: 0, dy: 0 }
  const whole = Array.from({ length: 2 * TemplateBank.reach + 1 }, (_, i) => i - TemplateBank.reach)
  for (const dy of whole) {
    for (const dx of whole) {
      for (let k = 0; k < SKINS.length; k++) {
        const { d2 } = fit(rgb, bank.template(TemplateBank.skinAverage(k), dx, dy))
        if (d2 < place.d2) place = { d2, dx, dy }
      }
    }
  }
  const best = COMBOS.map(() => ({ d2: Infinity, dx: 0, dy: 0, shade: 0 }))
  for (let combo = 0; combo < COMBOS.length; combo++) {
    for (const fy of [-0.5, 0, 0.5]) {
      for (const fx of [-0.5, 0, 0.5]) {
        const [dx, dy] = [place.dx + fx, place.dy + fy]
        const { d2, shade } = fit(rgb, bank.template(combo, dx, dy))
        if (d2 < best[combo]!.d2) best[combo] = { d2, dx, dy, shade }
      }
    }
  }
  const order = [...best.keys()].sort((a, b) => best[a]!.d2 - best[b]!.d2)
  const [first, second] = [best[order[0]!]!, best[order[1]!]!]
  const rms = (d2: number) => Math.sqrt(Math.max(0, d2) / rgb.length)
  const factors = COMBOS[order[0]!]!
  const read = bank.template(order[0]!, first.dx, first.dy)
  // (‖x − t_other‖² − ‖x − t_read‖²) / ‖t_read − t_other‖²: 1 at t_read, −1 at t_other.
  const against = (other: FaceFactors) => {
    const t = bank.template(comboIndex(other), first.dx, first.dy)
    let gap = 0
    for (let i = 0; i < t.rgb.length; i++) gap += (t.rgb[i]! - read.rgb[i]!) ** 2
    return (fit(rgb, t).d2 - first.d2) / gap
  }
  const confidence = {
    skin: Math.min(...SKINS.filter((s) => s !== factors.skin).map((skin) => against({ ...factors, skin }))),
    eyes: against({ ...factors, eyes: factors.eyes === 'close' ? 'wide' : 'close' }),
    mouth: against({ ...factors, mouth: factors.mouth === 'smile' ? 'frown' : 'smile' }),
  }
  return {
    factors,
    combo: order[0]!,
    rms: rms(first.d2),
    runnerUpRms: rms(second.d2),
    confidence,
    dx: first.dx / 32,
    dy: first.dy / 32,
    shade: first.shade,
  }
}

/** Squared L2 distance between two byte images; stops early (returning a lower bound) once past `bound`. */
export function distance2(a: Uint8Array, b: Uint8Array, bound = Infinity): number {
  let s = 0
  for (let i = 0; i < a.length; ) {
    for (const end = Math.min(a.length, i + 96); i < end; i++) {
      const d = a[i]! - b[i]!
      s += d * d
    }
    if (s > bound) return s
  }
  return s
}

/** RMS (byte units) from each of `images` to its nearest image in `pool`, skipping the identical index when `pool === images`. */
export function nearestRms(images: Uint8Array[], pool: Uint8Array[]): number[] {
  return images.map((x, i) => {
    let best = Infinity
    pool.forEach((y, j) => {
      if (pool === images && i === j) return
      best = Math.min(best, distance2(x, y, best))
    })
    return Math.sqrt(best / x.length)
  })
}

export interface FaceSetFigures {
  samples: number
  /** Clear faces per combination (index into COMBOS). */
  counts: number[]
  /** Combinations with at least one clear face. */
  covered: number
  /** The largest combination's share of the clear faces (1 when there are none). */
  maxShare: number
  /** Share of samples that are clear faces: near a clean face and every factor clearly one value. */
  clear: number
  /** Distance to the nearest clean face (RMS, byte units): median and 90th percentile. */
  rmsMedian: number
  rmsP90: number
  /** Median confidence of each factor's reading. */
  confidence: { skin: number; eyes: number; mouth: number }
  /** Distance to the nearest training image (RMS, byte units): minimum and median. */
  nearestTrainMin: number
  nearestTrainMedian: number
  /** Share of samples nearer a training image than `copyRms`. */
  copies: number
}

export const quantile = (values: number[], q: number) => {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.round(q * (sorted.length - 1))))]!
}

export interface FaceThresholds {
  /** A clear face is within this RMS (byte units) of a clean face… */
  faceRms: number
  /** …and shows each factor with at least this confidence. */
  confidence: number
  /** A copy is nearer a training image than this RMS. */
  copyRms: number
}

/** Whether a reading is a clear face under `thresholds`. */
export const isClearFace = (r: FaceReading, { faceRms, confidence }: FaceThresholds) =>
  r.rms <= faceRms && Math.min(r.confidence.skin, r.confidence.eyes, r.confidence.mouth) >= confidence

/**
 * What a face generator's samples show against its training set: which combinations it draws and
 * how evenly, how face-like the samples are, and how near the training images.
 */
export function faceSetFigures(samples: Uint8Array[], training: Uint8Array[], size: number, thresholds: FaceThresholds): FaceSetFigures {
  const readings = samples.map((s) => classifyFace(s, size))
  const counts = COMBOS.map(() => 0)
  for (const r of readings) if (isClearFace(r, thresholds)) counts[r.combo]!++
  const faces = counts.reduce((a, b) => a + b, 0)
  const rms = readings.map((r) => r.rms)
  const nearest = nearestRms(samples, training)
  const median = (k: 'skin' | 'eyes' | 'mouth') => quantile(readings.map((r) => r.confidence[k]), 0.5)
  return {
    samples: samples.length,
    counts,
    covered: counts.filter((c) => c > 0).length,
    maxShare: faces ? Math.max(...counts) / faces : 1,
    clear: faces / samples.length,
    rmsMedian: quantile(rms, 0.5),
    rmsP90: quantile(rms, 0.9),
    confidence: { skin: median('skin'), eyes: median('eyes'), mouth: median('mouth') },
    nearestTrainMin: Math.min(...nearest),
    nearestTrainMedian: quantile(nearest, 0.5),
    copies: nearest.filter((d) => d < thresholds.copyRms).length / samples.length,
  }
}
