/**
 * Between tensors (NHWC float32 in [-1, 1]) and images (8-bit RGB, row-major, no padding), and
 * between images and files (decode anything sharp reads to RGB; encode PNG with Ganvas metadata).
 */
import { readFile } from 'node:fs/promises'
import * as tf from '@tensorflow/tfjs'
import sharp from 'sharp'
import { writeGanvasMetadata, type GanvasMetadata } from './png-metadata'

/** Width × height pixels, 3 bytes each. */
export interface RgbImage {
  data: Uint8Array
  width: number
  height: number
}

/** Formats we decode; sharp also reads SVG/PDF and other formats we do not want from user folders. */
const READABLE = new Set(['jpeg', 'png', 'webp', 'gif', 'tiff', 'heif'])

/** An image tensor ([h, w, 3] or [1, h, w, 3], values in [-1, 1]) as RGB bytes (rounded, clamped). */
export function tensorToRgbBytes(t: tf.Tensor3D | tf.Tensor4D): Uint8Array {
  const shape = t.shape
  if ((t.rank === 4 && shape[0] !== 1) || shape[shape.length - 1] !== 3) {
    throw new Error(`tensorToRgbBytes: expected [h, w, 3] or [1, h, w, 3], got [${shape.join(', ')}]`)
  }
  const values = t.dataSync()
  const out = new Uint8Array(values.length)
  for (let i = 0; i < values.length; i++) {
    const v = Math.round(((values[i] as number) + 1) * 127.5)
    out[i] = v < 0 ? 0 : v > 255 ? 255 : v // NaN becomes 0 through the Uint8Array store
  }
  return out
}

/** RGB bytes as a [height, width, 3] float32 tensor in [-1, 1]. */
export function rgbBytesToTensor(rgb: Uint8Array, width: number, height: number): tf.Tensor3D {
  if (rgb.length !== width * height * 3) throw new Error(`rgbBytesToTensor: ${rgb.length} bytes is not ${width}×${height}×3`)
  const values = new Float32Array(rgb.length)
  for (let i = 0; i < rgb.length; i++) values[i] = (rgb[i] as number) / 127.5 - 1
  return tf.tensor3d(values, [height, width, 3], 'float32')
}

const raw = (image: RgbImage) => ({ raw: { width: image.width, height: image.height, channels: 3 as const } })

/** PNG bytes of an RGB image, with `metadata` under the `ganvas` key when given. */
export async function encodePng(rgb: Uint8Array, width: number, height: number, metadata?: GanvasMetadata): Promise<Buffer> {
  const png = await sharp(rgb, raw({ data: rgb, width, height })).png().toBuffer()
  return metadata ? writeGanvasMetadata(png, metadata) : png
}

/** Resizes an RGB image with sharp's Lanczos-3 kernel (a copy when the size does not change). */
export async function resizeRgb(image: RgbImage, width: number, height: number): Promise<RgbImage> {
  if (image.width === width && image.height === height) return { ...image, data: image.data.slice() }
  const data = await sharp(image.data, raw(image)).resize(width, height, { fit: 'fill', kernel: 'lanczos3' }).raw().toBuffer()
  return { data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength), width, height }
}

/**
 * Decodes an image file or buffer to RGB: EXIF orientation applied, alpha flattened onto white
 * (sketches with a transparent background read as drawings on paper), grey expanded to RGB.
 * Throws an Error that names the image and says what is wrong with it.
 */
export async function decodeRgb(input: string | Uint8Array, name = typeof input === 'string' ? input : 'image'): Promise<RgbImage> {
  let bytes: Uint8Array
  try {
    bytes = typeof input === 'string' ? await readFile(input) : input
  } catch (error) {
    throw new Error(`${name}: cannot be read (${describe(error)})`)
  }
  if (bytes.length === 0) throw new Error(`${name}: the file is empty (0 bytes)`)
  let format: string | undefined
  try {
    format = (await sharp(bytes).metadata()).format
  } catch (error) {
    throw new Error(`${name}: not an image Ganvas can read (${describe(error)})`)
  }
  if (!format || !READABLE.has(format)) {
    throw new Error(`${name}: ${format ?? 'unknown'} images are not supported; use PNG, JPEG, WebP, GIF, TIFF or AVIF`)
  }
  try {
    const { data, info } = await sharp(bytes)
      .autoOrient()
      .flatten({ background: '#ffffff' })
      .toColourspace('srgb')
      .removeAlpha()
      .raw()
      .toBuffer({ resolveWithObject: true })
    if (info.channels !== 3) throw new Error(`decoded to ${info.channels} channels`)
    return { data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength), width: info.width, height: info.height }
  } catch (error) {
    throw new Error(`${name}: the ${format} image could not be decoded, the file may be damaged or truncated (${describe(error)})`)
  }
}

const describe = (error: unknown) => (error instanceof Error ? error.message : String(error)).split('\n')[0]?.replace(/:\s*$/, '')
