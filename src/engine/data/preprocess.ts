/**
 * The reference's default `resize_and_crop` augmentation, on typed arrays (no tensors): the image
 * is decoded at `loadSize` square (decode.ts), then a random cropSize window is cut out and
 * mirrored with probability ½. Random choices are planned separately from the pixel work so a
 * loader can draw them synchronously (exact resume) and apply them when the pixels arrive.
 */
import type { Random } from '../random'
import type { RgbImage } from './decode'

/** 286 for 256 (the published setting), the same 1.117× margin at other sizes: 72 for 64, 143 for 128. */
export const defaultLoadSize = (cropSize: number) => Math.round((cropSize * 286) / 256)

export interface CropFlip {
  x: number
  y: number
  flip: boolean
}

/** Draws a crop offset in [0, loadSize - cropSize] on each axis and, if enabled, a flip. */
export function planCropFlip(rng: Random, loadSize: number, cropSize: number, flip: boolean): CropFlip {
  if (cropSize > loadSize) throw new Error(`crop size ${cropSize} is larger than the load size ${loadSize}`)
  const x = rng.int(loadSize - cropSize + 1)
  const y = rng.int(loadSize - cropSize + 1)
  return { x, y, flip: flip && rng.next() < 0.5 }
}

/**
 * Cuts the crop out of `src`, mirrors it if planned, and writes it as floats in [-1, 1]
 * (x / 127.5 - 1) into `out` starting at `offset`: one NHWC image of size×size×3.
 */
export function cropFlipToFloat(src: RgbImage, crop: CropFlip, size: number, out: Float32Array, offset = 0): void {
  if (crop.x + size > src.width || crop.y + size > src.height) {
    throw new Error(`crop ${size} at (${crop.x}, ${crop.y}) does not fit a ${src.width}×${src.height} image`)
  }
  const { data, width } = src
  for (let row = 0; row < size; row++) {
    const srcRow = ((crop.y + row) * width + crop.x) * 3
    let o = offset + row * size * 3
    for (let col = 0; col < size; col++) {
      const s = srcRow + (crop.flip ? size - 1 - col : col) * 3
      out[o++] = data[s]! / 127.5 - 1
      out[o++] = data[s + 1]! / 127.5 - 1
      out[o++] = data[s + 2]! / 127.5 - 1
    }
  }
}

/** A whole RGB image as floats in [-1, 1] (inference input). */
export function toFloat(src: RgbImage): Float32Array {
  const out = new Float32Array(src.data.length)
  for (let i = 0; i < out.length; i++) out[i] = src.data[i]! / 127.5 - 1
  return out
}

/** Floats in [-1, 1] back to bytes (model output → PNG), clamped and rounded. */
export function toBytes(values: Float32Array): Uint8Array {
  const out = new Uint8Array(values.length)
  for (let i = 0; i < out.length; i++) out[i] = Math.round((Math.min(1, Math.max(-1, values[i]!)) + 1) * 127.5)
  return out
}
