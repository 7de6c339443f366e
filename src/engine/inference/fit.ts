/**
 * Geometry of fitting any image into a model's square input: scale so the long side equals the
 * model size (aspect kept), centre it, and fill the rest by mirroring the image.
 *
 * Why mirror padding: the padding is cropped away afterwards, but the generator still sees it. Its
 * receptive field (the whole image for U-Net 256) and the per-image statistics of instance norm
 * (CycleGAN) include the padded area, so a black or constant border shifts the colours of the real
 * pixels and is "translated" into visible bands at the seams. A mirror continues the image's own
 * content and statistics across the seam. We mirror with the edge pixel repeated (…c b a | a b c |
 * c b a…) and tile the mirror when the padding is wider than the image (panoramas), which also works
 * for a one-pixel-wide image; tf.mirrorPad cannot pad more than the image size.
 */
import type { RgbImage } from '../images/convert'

export interface Fit {
  /** The model's square side. */
  size: number
  /** Size of the scaled image inside the square. */
  width: number
  height: number
  /** Its top-left corner inside the square. */
  left: number
  top: number
}

export function fitInside(width: number, height: number, size: number): Fit {
  const scale = size / Math.max(width, height)
  const w = Math.min(size, Math.max(1, Math.round(width * scale)))
  const h = Math.min(size, Math.max(1, Math.round(height * scale)))
  return { size, width: w, height: h, left: Math.floor((size - w) / 2), top: Math.floor((size - h) / 2) }
}

/** Index i (any integer) folded into [0, n) by repeated mirroring with the edge repeated. */
export function mirrorIndex(i: number, n: number): number {
  const period = 2 * n
  const m = ((i % period) + period) % period
  return m < n ? m : period - 1 - m
}

/** The fitted image (fit.width × fit.height) placed in a fit.size square, the rest mirrored. */
export function mirrorPad(image: RgbImage, fit: Fit): Uint8Array {
  if (image.width !== fit.width || image.height !== fit.height) throw new Error('mirrorPad: image does not match the fit')
  const { size } = fit
  const out = new Uint8Array(size * size * 3)
  const columns = Array.from({ length: size }, (_, x) => mirrorIndex(x - fit.left, fit.width) * 3)
  for (let y = 0; y < size; y++) {
    const row = mirrorIndex(y - fit.top, fit.height) * fit.width * 3
    for (let x = 0; x < size; x++) {
      const from = row + (columns[x] as number)
      const to = (y * size + x) * 3
      out[to] = image.data[from] as number
      out[to + 1] = image.data[from + 1] as number
      out[to + 2] = image.data[from + 2] as number
    }
  }
  return out
}

/** The fitted region of a fit.size square, i.e. the padding cropped away. */
export function cropFit(square: Uint8Array, fit: Fit): RgbImage {
  const data = new Uint8Array(fit.width * fit.height * 3)
  for (let y = 0; y < fit.height; y++) {
    const from = ((fit.top + y) * fit.size + fit.left) * 3
    data.set(square.subarray(from, from + fit.width * 3), y * fit.width * 3)
  }
  return { data, width: fit.width, height: fit.height }
}
