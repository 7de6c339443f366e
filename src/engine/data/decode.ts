/**
 * Decoding images to 8-bit RGB with sharp (libvips runs on libuv's threads, off the JS thread).
 *
 * - EXIF orientation is applied, so the model sees what the user sees in their viewer.
 * - Alpha is flattened onto white (not dropped as PIL's convert('RGB') does): transparent pixels
 *   often hold black, so dropping alpha turns a transparent-background sketch into a black image.
 * - Grey, 16-bit and CMYK inputs become 8-bit sRGB.
 * - Resizing uses bicubic (Catmull-Rom, antialiased when shrinking), as the reference's
 *   transforms.Resize(BICUBIC) does.
 * - failOn 'error': truncated or broken data fails; harmless warnings (extra bytes) do not.
 */
import sharp, { type Sharp } from 'sharp'
import type { ImageRef } from './types'

export interface RgbImage {
  /** width * height * 3 bytes, row-major RGB. */
  data: Uint8Array
  width: number
  height: number
}

export type DecodeFn = (ref: ImageRef, size: number) => Promise<RgbImage>

const open = (path: string) => sharp(path, { autoOrient: true, failOn: 'error' })

/** The image (or its half, for aligned A|B files) resized to size×size, ignoring aspect ('fill'). */
export const loadRgb: DecodeFn = async (ref, size) => {
  let pipeline = open(ref.path)
  if (ref.half) {
    const left = ref.half === 'left' ? 0 : ref.width
    pipeline = pipeline.extract({ left, top: 0, width: ref.width, height: ref.height }) // before resize: crop the source
  }
  pipeline = pipeline.resize(size, size, { fit: 'fill', kernel: 'cubic' })
  return toRgb(pipeline, ref.path)
}

/** The whole image at its own size, for inference. */
export function loadRgbOriginal(path: string): Promise<RgbImage> {
  return toRgb(open(path), path)
}

async function toRgb(pipeline: Sharp, path: string): Promise<RgbImage> {
  const { data, info } = await pipeline
    .flatten({ background: '#ffffff' })
    .toColourspace('srgb')
    .raw()
    .toBuffer({ resolveWithObject: true })
  if (info.channels !== 3 || data.length !== info.width * info.height * 3) {
    throw new Error(`${path}: decoded to ${info.channels} channels, expected RGB`)
  }
  return { data: new Uint8Array(data.buffer, data.byteOffset, data.length), width: info.width, height: info.height }
}
