import { describe, expect, it } from 'vitest'
import { FACADES_PALETTE, hexToRgba, newClassName, rgbaToHex, snapToPalette } from './palette'

describe('palette', () => {
  it('reads and writes #rrggbb colours', () => {
    expect(hexToRgba('#0055FF')).toEqual([0, 85, 255, 255])
    expect(rgbaToHex([0, 85, 255, 255])).toBe('#0055ff')
    expect(() => hexToRgba('blue')).toThrow(/#rrggbb/)
    for (const c of FACADES_PALETTE) expect(rgbaToHex(hexToRgba(c.color))).toBe(c.color)
  })

  it('has distinct class names and colours', () => {
    expect(new Set(FACADES_PALETTE.map((c) => c.name)).size).toBe(FACADES_PALETTE.length)
    expect(new Set(FACADES_PALETTE.map((c) => c.color)).size).toBe(FACADES_PALETTE.length)
  })

  it('snaps anti-aliased pixels to the nearest class colour, only inside the rectangle', () => {
    const palette = [hexToRgba('#000000'), hexToRgba('#ff0000'), hexToRgba('#ffffff')]
    // Row of 4: nearly red, half-transparent grey, a colour in between, pure white.
    const data = Uint8ClampedArray.from([250, 10, 5, 255, 120, 120, 120, 128, 200, 40, 40, 255, 255, 255, 255, 255])
    const pixels = { data, width: 4, height: 1 }
    snapToPalette(pixels, palette, { x: 0, y: 0, width: 3, height: 1 })
    expect(Array.from(data)).toEqual([255, 0, 0, 255, 0, 0, 0, 255, 255, 0, 0, 255, 255, 255, 255, 255])
  })

  it('names new classes without clashing', () => {
    expect(newClassName(FACADES_PALETTE)).toBe('class 13')
    expect(newClassName([{ name: 'class 2', color: '#000000' }])).toBe('class 3')
  })
})
