/**
 * Animated GIFs of RGB frames (latent interpolations), encoded with `gifenc`, with Ganvas metadata
 * in a GIF comment extension: the text `{"ganvas":{…}}`, JSON escaped to 7-bit ASCII as GIF89a asks.
 * readGifGanvasMetadata reads it back; like the PNG reader it never throws.
 */
import * as gifencModule from 'gifenc'
import type { GanvasMetadata } from './png-metadata'

// Node's ESM loader sees gifenc's CommonJS build (everything under `default`); bundlers pick its
// ES module build (named exports). Accept either.
const gifenc: typeof gifencModule =
  typeof gifencModule.GIFEncoder === 'function' ? gifencModule : (gifencModule as unknown as { default: typeof gifencModule }).default

export interface GifOptions {
  /** Time each frame shows, in milliseconds (GIF rounds to hundredths; default 80). */
  delayMs?: number
  /** Times to play: 0 forever (default). */
  loop?: number
  metadata?: GanvasMetadata
}

/** Pixels sampled for the shared palette: enough for 256 colours, bounded for long animations. */
const PALETTE_SAMPLE = 1 << 20

/**
 * A GIF of equally sized RGB frames (3 bytes a pixel, row-major). One palette for all frames, so
 * colours do not flicker between frames as per-frame palettes would.
 */
export function encodeGif(frames: readonly Uint8Array[], width: number, height: number, options: GifOptions = {}): Uint8Array {
  if (frames.length === 0) throw new Error('encodeGif: no frames')
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1 || width > 0xffff || height > 0xffff) {
    throw new Error(`encodeGif: ${width}×${height} is not a GIF size`)
  }
  const pixels = width * height
  for (const [i, frame] of frames.entries()) {
    if (frame.length !== pixels * 3) throw new Error(`encodeGif: frame ${i} has ${frame.length} bytes, not ${width}×${height}×3`)
  }
  const rgba = frames.map((frame) => toRgba(frame, pixels))
  // Every k-th frame feeds the palette once the animation holds more than PALETTE_SAMPLE pixels.
  const every = Math.max(1, Math.ceil((frames.length * pixels) / PALETTE_SAMPLE))
  const sample = Buffer.concat(rgba.filter((_, i) => i % every === 0))
  const palette = gifenc.quantize(sample, 256)
  const gif = gifenc.GIFEncoder()
  const delay = options.delayMs ?? 80
  rgba.forEach((frame, i) => {
    const index = gifenc.applyPalette(frame, palette)
    gif.writeFrame(index, width, height, i === 0 ? { palette, delay, repeat: options.loop ?? 0 } : { delay })
  })
  if (options.metadata) writeComment(gif.stream, asciiJson({ ganvas: options.metadata }))
  gif.finish()
  return gif.bytes()
}

function toRgba(rgb: Uint8Array, pixels: number): Uint8Array {
  const out = new Uint8Array(pixels * 4)
  for (let p = 0; p < pixels; p++) {
    out[p * 4] = rgb[p * 3]!
    out[p * 4 + 1] = rgb[p * 3 + 1]!
    out[p * 4 + 2] = rgb[p * 3 + 2]!
    out[p * 4 + 3] = 255
  }
  return out
}

/** JSON with every non-ASCII character as a \uXXXX escape (still the same JSON value). */
const asciiJson = (value: unknown) =>
  JSON.stringify(value).replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)

/** Comment extension: 0x21 0xFE, data sub-blocks of at most 255 bytes, a zero-length terminator. */
function writeComment(stream: gifencModule.GifStream, text: string): void {
  const bytes = Buffer.from(text, 'latin1')
  stream.writeByte(0x21)
  stream.writeByte(0xfe)
  for (let at = 0; at < bytes.length; at += 255) {
    const block = bytes.subarray(at, at + 255)
    stream.writeByte(block.length)
    stream.writeBytes(block, 0, block.length)
  }
  stream.writeByte(0)
}

/** The comment texts of a GIF, as far as its block structure is intact; [] for anything else. */
export function readGifComments(bytes: Uint8Array): string[] {
  const comments: string[] = []
  const header = Buffer.from(bytes.subarray(0, 6)).toString('latin1')
  if (header !== 'GIF89a' && header !== 'GIF87a') return comments
  if (bytes.length < 13) return comments
  const tableSize = (flags: number) => (flags & 0x80 ? 3 * 2 ** ((flags & 7) + 1) : 0)
  let at = 13 + tableSize(bytes[10]!) // logical screen descriptor, then the global colour table
  /** Skips data sub-blocks from `at`; returns their bytes and the offset after the terminator, or null when cut off. */
  const subBlocks = (from: number): { data: Uint8Array; end: number } | null => {
    const parts: Uint8Array[] = []
    let p = from
    while (p < bytes.length) {
      const size = bytes[p]!
      if (size === 0) return { data: Buffer.concat(parts), end: p + 1 }
      if (p + 1 + size > bytes.length) return null
      parts.push(bytes.subarray(p + 1, p + 1 + size))
      p += 1 + size
    }
    return null
  }
  while (at < bytes.length) {
    const kind = bytes[at]!
    if (kind === 0x3b) break // trailer
    if (kind === 0x21 && at + 1 < bytes.length) {
      const blocks = subBlocks(at + 2)
      if (!blocks) break
      if (bytes[at + 1] === 0xfe) comments.push(Buffer.from(blocks.data).toString('latin1'))
      at = blocks.end
    } else if (kind === 0x2c && at + 10 <= bytes.length) {
      const blocks = subBlocks(at + 10 + tableSize(bytes[at + 9]!) + 1) // descriptor, local table, LZW code size
      if (!blocks) break
      at = blocks.end
    } else {
      break // not a block we know: stop rather than guess
    }
  }
  return comments
}

/** The `ganvas` object from a GIF comment that encodeGif wrote, or null. */
export function readGifGanvasMetadata(bytes: Uint8Array): GanvasMetadata | null {
  for (const comment of readGifComments(bytes)) {
    try {
      const value: unknown = JSON.parse(comment)
      const ganvas = value !== null && typeof value === 'object' ? (value as Record<string, unknown>).ganvas : undefined
      if (ganvas !== null && typeof ganvas === 'object' && !Array.isArray(ganvas)) return ganvas as GanvasMetadata
    } catch {
      // someone else's comment
    }
  }
  return null
}
