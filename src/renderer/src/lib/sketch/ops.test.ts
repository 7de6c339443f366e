import { describe, expect, it } from 'vitest'
import { fitInSquare, hardenEdges, strokeBounds, type Ctx } from './ops'

/** Just enough of a 2D context for pixel work: get/putImageData over a plain RGBA buffer. */
function fakeCtx(width: number, height: number, rgba: number[]) {
  const data = new Uint8ClampedArray(width * height * 4)
  for (let i = 0; i < width * height; i++) data.set(rgba, i * 4)
  const ctx = {
    canvas: { width, height },
    getImageData(x: number, y: number, w: number, h: number) {
      const out = new Uint8ClampedArray(w * h * 4)
      for (let row = 0; row < h; row++) out.set(data.subarray(((y + row) * width + x) * 4, ((y + row) * width + x + w) * 4), row * w * 4)
      return { data: out, width: w, height: h } as ImageData
    },
    putImageData(image: ImageData, x: number, y: number) {
      for (let row = 0; row < image.height; row++) data.set(image.data.subarray(row * image.width * 4, (row + 1) * image.width * 4), ((y + row) * width + x) * 4)
    },
  }
  return { ctx: ctx as unknown as Ctx, data }
}

describe('sketch operations', () => {
  it('hard edges: each changed pixel becomes the stroke colour or goes back to what it was', () => {
    const { ctx, data } = fakeCtx(4, 1, [0, 0, 170, 255]) // a label map's background class
    const before = ctx.getImageData(0, 0, 4, 1)
    // What an anti-aliased blue stroke left: full, 60 %, 30 %, untouched.
    data.set([0, 85, 255, 255, 0, 51, 221, 255, 0, 26, 196, 255], 0)
    hardenEdges(ctx, before, 0, 0, { x: 0, y: 0, width: 4, height: 1 }, [0, 85, 255, 255])
    expect(Array.from(data)).toEqual([0, 85, 255, 255, 0, 85, 255, 255, 0, 0, 170, 255, 0, 0, 170, 255])
  })

  it('bounds a stroke with room for its width and anti-aliasing', () => {
    expect(strokeBounds([10, 20, 1, 30, 5, 0.5], 3, 4)).toEqual({ x: 6, y: 1, width: 28, height: 23 })
  })

  it('fits an image inside the square, centred', () => {
    expect(fitInSquare(200, 100, 512)).toEqual({ x: 0, y: 128, width: 512, height: 256 })
    expect(fitInSquare(50, 100, 100)).toEqual({ x: 25, y: 0, width: 50, height: 100 })
  })
})
