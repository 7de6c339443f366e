import { describe, expect, it } from 'vitest'
import { floodFill, type Pixels, type Rgba } from './flood-fill'

const WHITE: Rgba = [255, 255, 255, 255]
const BLACK: Rgba = [0, 0, 0, 255]
const RED: Rgba = [255, 0, 0, 255]

function canvas(width: number, height: number, fill: Rgba = WHITE): Pixels {
  const data = new Uint8ClampedArray(width * height * 4)
  for (let i = 0; i < width * height; i++) data.set(fill, i * 4)
  return { data, width, height }
}

const set = (p: Pixels, x: number, y: number, c: Rgba) => p.data.set(c, (y * p.width + x) * 4)
const at = (p: Pixels, x: number, y: number) => Array.from(p.data.subarray((y * p.width + x) * 4, (y * p.width + x) * 4 + 4))

/** A square outline from (x0, y0) to (x1, y1) inclusive, with optional gaps. */
function square(p: Pixels, x0: number, y0: number, x1: number, y1: number, c: Rgba, gaps: Array<[number, number]> = []) {
  for (let x = x0; x <= x1; x++) {
    set(p, x, y0, c)
    set(p, x, y1, c)
  }
  for (let y = y0; y <= y1; y++) {
    set(p, x0, y, c)
    set(p, x1, y, c)
  }
  for (const [x, y] of gaps) set(p, x, y, WHITE)
}

describe('floodFill', () => {
  it('fills the inside of a closed outline and nothing outside it', () => {
    const p = canvas(20, 20)
    square(p, 5, 5, 14, 14, BLACK)
    const result = floodFill(p, 10, 10, RED)
    expect(result.filled).toBe(8 * 8)
    expect(result.bounds).toEqual({ x: 6, y: 6, width: 8, height: 8 })
    expect(at(p, 6, 6)).toEqual([...RED])
    expect(at(p, 13, 13)).toEqual([...RED])
    expect(at(p, 5, 5)).toEqual([...BLACK]) // the outline stays
    expect(at(p, 0, 0)).toEqual([...WHITE]) // outside stays
  })

  it('leaks through a one-pixel gap in the outline into the whole canvas', () => {
    const p = canvas(20, 20)
    square(p, 5, 5, 14, 14, BLACK, [[14, 9]])
    const result = floodFill(p, 10, 10, RED)
    expect(result.filled).toBe(20 * 20 - (4 * 9 - 1))
    expect(at(p, 0, 0)).toEqual([...RED])
  })

  it('does not leak through a diagonal step (4-connected)', () => {
    const p = canvas(6, 6)
    // A diagonal line from (0,5) to (5,0): the two sides touch only at corners.
    for (let i = 0; i < 6; i++) set(p, i, 5 - i, BLACK)
    const result = floodFill(p, 0, 0, RED)
    expect(result.filled).toBe(15) // the triangle above the diagonal
    expect(at(p, 5, 5)).toEqual([...WHITE])
  })

  it('takes in near colours within the tolerance, and stops at the others', () => {
    const p = canvas(10, 1)
    set(p, 3, 0, [240, 240, 240, 255]) // an anti-aliased edge pixel, 15 away
    set(p, 6, 0, [200, 200, 200, 255]) // 55 away: a wall for tolerance 32
    expect(floodFill(structuredClone(p), 0, 0, RED, { tolerance: 0 }).filled).toBe(3)
    const tolerant = structuredClone(p)
    expect(floodFill(tolerant, 0, 0, RED, { tolerance: 32 }).filled).toBe(6)
    expect(at(tolerant, 3, 0)).toEqual([...RED])
    expect(at(tolerant, 7, 0)).toEqual([...WHITE])
  })

  it('blends the fill into the anti-aliased edge of a line, leaving no pale halo', () => {
    const p = canvas(6, 1)
    set(p, 3, 0, [128, 128, 128, 255]) // half line, half paper
    set(p, 4, 0, BLACK)
    const result = floodFill(p, 0, 0, RED, { tolerance: 32, blendEdges: true })
    expect(result.filled).toBe(3)
    expect(result.bounds).toEqual({ x: 0, y: 0, width: 4, height: 1 })
    // Half red over black: what a half-covered pixel between a red fill and a black line looks like.
    expect(at(p, 3, 0)).toEqual([128, 0, 0, 255])
    expect(at(p, 4, 0)).toEqual([...BLACK]) // the line itself is untouched
    expect(at(p, 5, 0)).toEqual([...WHITE]) // beyond the line
  })

  it('does nothing outside the canvas or when the region already has the colour', () => {
    const p = canvas(4, 4)
    expect(floodFill(p, -1, 2, RED)).toEqual({ filled: 0, bounds: null })
    expect(floodFill(p, 4, 0, RED)).toEqual({ filled: 0, bounds: null })
    expect(floodFill(p, 1, 1, WHITE)).toEqual({ filled: 0, bounds: null })
  })

  it('fills a large open canvas without recursion limits', () => {
    const p = canvas(512, 512)
    expect(floodFill(p, 256.7, 3.2, RED).filled).toBe(512 * 512)
  })
})
