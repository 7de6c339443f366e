import { describe, expect, it } from 'vitest'
import { cropFit, fitInside, mirrorIndex, mirrorPad } from './fit'

describe('fitting an image into the model square', () => {
  it('scales the long side to the model size and centres the image', () => {
    expect(fitInside(50, 37, 32)).toEqual({ size: 32, width: 32, height: 24, left: 0, top: 4 })
    expect(fitInside(37, 50, 32)).toEqual({ size: 32, width: 24, height: 32, left: 4, top: 0 })
    expect(fitInside(32, 32, 32)).toEqual({ size: 32, width: 32, height: 32, left: 0, top: 0 })
    expect(fitInside(4000, 10, 256)).toEqual({ size: 256, width: 256, height: 1, left: 0, top: 127 })
  })

  it('mirrors with the edge repeated, tiling when the padding is wider than the image', () => {
    expect([-4, -3, -2, -1, 0, 1, 2, 3, 4, 5, 6, 7].map((i) => mirrorIndex(i, 3))).toEqual([2, 2, 1, 0, 0, 1, 2, 2, 1, 0, 0, 1])
    expect([-2, -1, 0, 1, 2].map((i) => mirrorIndex(i, 1))).toEqual([0, 0, 0, 0, 0])
  })

  it('pads by mirroring and crops back to the same image', () => {
    const fit = fitInside(3, 2, 6)
    expect(fit).toEqual({ size: 6, width: 6, height: 4, left: 0, top: 1 })
    const exact = { size: 6, width: 3, height: 2, left: 1, top: 2 }
    const data = Uint8Array.from({ length: 3 * 2 * 3 }, (_, i) => i * 10)
    const square = mirrorPad({ data, width: 3, height: 2 }, exact)
    const red = (x: number, y: number) => square[(y * 6 + x) * 3]
    // source red values: row 0 = 0, 30, 60; row 1 = 90, 120, 150
    expect([0, 1, 2, 3, 4, 5].map((x) => red(x, 2))).toEqual([0, 0, 30, 60, 60, 30])
    expect([0, 1, 2, 3, 4, 5].map((y) => red(1, y))).toEqual([90, 0, 0, 90, 90, 0])
    expect(cropFit(square, exact)).toEqual({ data, width: 3, height: 2 })
  })
})
