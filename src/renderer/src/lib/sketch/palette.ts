/**
 * Label maps for label→photo models: one named, exact colour per class. Strokes drawn in palette
 * mode are snapped to the nearest class colour, so anti-aliased edges never invent new classes.
 */
import type { Pixels, Rgba } from './flood-fill'

export interface PaletteClass {
  name: string
  /** #rrggbb */
  color: string
}

/**
 * The 12 classes of the CMP Facade database as pix2pix's `facades` set draws them: the class index
 * through a jet colour map, from background (dark blue) to shop (dark red).
 */
export const FACADES_PALETTE: readonly PaletteClass[] = [
  { name: 'background', color: '#0000aa' },
  { name: 'facade', color: '#0000ff' },
  { name: 'window', color: '#0055ff' },
  { name: 'door', color: '#00aaff' },
  { name: 'cornice', color: '#00ffff' },
  { name: 'sill', color: '#55ffaa' },
  { name: 'balcony', color: '#aaff55' },
  { name: 'blind', color: '#ffff00' },
  { name: 'deco', color: '#ffaa00' },
  { name: 'molding', color: '#ff5500' },
  { name: 'pillar', color: '#ff0000' },
  { name: 'shop', color: '#aa0000' },
]

export function hexToRgba(hex: string): Rgba {
  const m = /^#?([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(hex.trim())
  if (!m) throw new Error(`not a #rrggbb colour: ${hex}`)
  return [parseInt(m[1]!, 16), parseInt(m[2]!, 16), parseInt(m[3]!, 16), 255]
}

export function rgbaToHex([r, g, b]: Rgba): string {
  return `#${[r, g, b].map((v) => v.toString(16).padStart(2, '0')).join('')}`
}

export interface Rect {
  x: number
  y: number
  width: number
  height: number
}

/** Replaces every pixel inside `rect` (clipped to the image) by the nearest palette colour, opaque. */
export function snapToPalette(pixels: Pixels, palette: readonly Rgba[], rect: Rect = { x: 0, y: 0, width: pixels.width, height: pixels.height }): void {
  if (palette.length === 0) return
  const x0 = Math.max(0, Math.floor(rect.x))
  const y0 = Math.max(0, Math.floor(rect.y))
  const x1 = Math.min(pixels.width, Math.ceil(rect.x + rect.width))
  const y1 = Math.min(pixels.height, Math.ceil(rect.y + rect.height))
  const { data } = pixels
  for (let y = y0; y < y1; y++) {
    for (let x = x0; x < x1; x++) {
      const i = (y * pixels.width + x) * 4
      let best = palette[0]!
      let bestDistance = Infinity
      for (const c of palette) {
        const dr = data[i]! - c[0]
        const dg = data[i + 1]! - c[1]
        const db = data[i + 2]! - c[2]
        const d = dr * dr + dg * dg + db * db
        if (d < bestDistance) {
          bestDistance = d
          best = c
          if (d === 0) break
        }
      }
      data.set(best, i)
    }
  }
}

/** A name for a new class that the palette does not use yet: 'class 13', 'class 14', … */
export function newClassName(palette: readonly PaletteClass[]): string {
  for (let n = palette.length + 1; ; n++) {
    const name = `class ${n}`
    if (!palette.some((c) => c.name === name)) return name
  }
}
