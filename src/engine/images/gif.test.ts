/** Animated GIFs: sharp decodes them frame by frame, and the Ganvas comment reads back. */
import sharp from 'sharp'
import { describe, expect, it } from 'vitest'
import { encodeGif, readGifComments, readGifGanvasMetadata } from './gif'

const [W, H] = [24, 16]
/** Frame i: a horizontal red ramp, green = 40·i, a blue square moving right. */
const frame = (i: number) => {
  const rgb = new Uint8Array(W * H * 3)
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) rgb.set([x * 10, 40 * i, x >= i * 4 && x < i * 4 + 4 && y < 4 ? 255 : 0], (y * W + x) * 3)
  }
  return rgb
}

describe('encodeGif', () => {
  it('sharp reads every frame, at the size given, with the delay and loop asked for', async () => {
    const frames = [0, 1, 2, 3, 4].map(frame)
    const gif = encodeGif(frames, W, H, { delayMs: 120 })
    const meta = await sharp(gif, { animated: true }).metadata()
    expect(meta).toMatchObject({ format: 'gif', pages: 5, width: W, pageHeight: H, loop: 0 })
    expect(meta.delay).toEqual([120, 120, 120, 120, 120])

    // Pixels survive the 256-colour palette closely (RGB565 quantisation: a few levels off at most).
    const { data, info } = await sharp(gif, { animated: true }).removeAlpha().raw().toBuffer({ resolveWithObject: true })
    expect([info.width, info.height, info.channels]).toEqual([W, H * 5, 3])
    frames.forEach((rgb, i) => {
      const decoded = data.subarray(i * W * H * 3, (i + 1) * W * H * 3)
      const worst = Math.max(...Array.from(rgb, (v, k) => Math.abs(v - decoded[k]!)))
      expect(worst, `frame ${i}`).toBeLessThanOrEqual(8)
    })
  })

  it('a one-frame GIF is a still image', async () => {
    const meta = await sharp(encodeGif([frame(0)], W, H)).metadata()
    expect(meta).toMatchObject({ format: 'gif', width: W, height: H })
    expect(meta.pages ?? 1).toBe(1)
  })

  it('refuses frames of the wrong size and empty animations', () => {
    expect(() => encodeGif([], W, H)).toThrow(/no frames/)
    expect(() => encodeGif([frame(0), new Uint8Array(10)], W, H)).toThrow(/frame 1 has 10 bytes/)
    expect(() => encodeGif([frame(0)], 0, H)).toThrow(/not a GIF size/)
  })
})

describe('Ganvas metadata in a GIF comment', () => {
  it('round trips, long and non-ASCII text included, and sharp still reads the file', async () => {
    const metadata = { kind: 'interpolation', seedA: 1, seedB: 42, model: 'Gesichter — Ölbilder 🎨', note: 'x'.repeat(700) }
    const gif = encodeGif([frame(0), frame(1)], W, H, { metadata })
    expect(readGifGanvasMetadata(gif)).toEqual(metadata)
    expect(readGifComments(gif).every((c) => /^[\x20-\x7e]*$/.test(c))).toBe(true) // 7-bit ASCII, as GIF89a asks
    expect((await sharp(gif, { animated: true }).metadata()).pages).toBe(2)
  })

  it('null without our comment; never throws on foreign or damaged bytes', () => {
    const plain = encodeGif([frame(0)], W, H)
    expect(readGifGanvasMetadata(plain)).toBeNull()
    expect(readGifComments(plain)).toEqual([])
    const tagged = encodeGif([frame(0)], W, H, { metadata: { kind: 'sample' } })
    for (const bytes of [new Uint8Array(0), Buffer.from('GIF89a'), Buffer.from('not a gif at all'), tagged.subarray(0, tagged.length - 20)]) {
      expect(readGifGanvasMetadata(bytes)).toBeNull()
    }
    // damaged block sizes: whatever comes out, no exception
    const damaged = tagged.slice()
    for (let i = 13; i < damaged.length; i += 7) damaged[i] = 0xff
    expect(() => readGifGanvasMetadata(damaged)).not.toThrow()
  })
})
