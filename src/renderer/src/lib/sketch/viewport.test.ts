import { describe, expect, it } from 'vitest'
import { fitView, MAX_SCALE, panBy, toDocument, zoomAt } from './viewport'

describe('viewport', () => {
  it('fits the document inside the area, centred', () => {
    expect(fitView(512, 600, 400, 16)).toEqual({ scale: 368 / 512, x: (600 - 368) / 2, y: 16 })
  })

  it('zooms around the pointer: the document point under it stays put', () => {
    const view = { scale: 1, x: 40, y: 20 }
    const before = toDocument(view, 300, 200)
    const zoomed = zoomAt(view, 2.5, 300, 200)
    expect(zoomed.scale).toBe(2.5)
    const after = toDocument(zoomed, 300, 200)
    expect(after.x).toBeCloseTo(before.x)
    expect(after.y).toBeCloseTo(before.y)
  })

  it('clamps the zoom and pans by screen pixels', () => {
    expect(zoomAt({ scale: 20, x: 0, y: 0 }, 10, 0, 0).scale).toBe(MAX_SCALE)
    expect(panBy({ scale: 2, x: 1, y: 1 }, 10, -5)).toEqual({ scale: 2, x: 11, y: -4 })
    expect(toDocument({ scale: 2, x: 10, y: 10 }, 30, 50)).toEqual({ x: 10, y: 20 })
  })
})
