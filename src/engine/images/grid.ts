/**
 * Sample grids for training runs: one row per example (e.g. input | output | target), every cell a
 * size×size RGB image, `gap` pixels of background between cells and around the edge.
 */
import { encodePng } from './convert'
import type { GanvasMetadata } from './png-metadata'

export interface GridOptions {
  /** Pixels between cells and around the border (default 2). */
  gap?: number
  /** RGB of the gaps and of missing cells in short rows (default white). */
  background?: [number, number, number]
  /** Stored in the PNG under `ganvas` (e.g. model and step). */
  metadata?: GanvasMetadata
}

/** Top-left pixel of cell (row, col). */
export const cellOrigin = (row: number, col: number, size: number, gap: number) => ({
  x: gap + col * (size + gap),
  y: gap + row * (size + gap),
})

/** The grid as RGB bytes and its dimensions. */
export function composeGridRgb(rows: Uint8Array[][], size: number, options: GridOptions = {}) {
  const gap = options.gap ?? 2
  const [r, g, b] = options.background ?? [255, 255, 255]
  const cols = Math.max(0, ...rows.map((row) => row.length))
  if (rows.length === 0 || cols === 0) throw new Error('composeGrid: no images')
  if (!Number.isInteger(gap) || gap < 0) throw new Error(`composeGrid: gap must be a non-negative integer, got ${gap}`)
  const width = cols * size + (cols + 1) * gap
  const height = rows.length * size + (rows.length + 1) * gap
  const data = new Uint8Array(width * height * 3)
  for (let i = 0; i < data.length; i += 3) {
    data[i] = r
    data[i + 1] = g
    data[i + 2] = b
  }
  rows.forEach((row, ri) =>
    row.forEach((image, ci) => {
      if (image.length !== size * size * 3) {
        throw new Error(`composeGrid: image at row ${ri}, column ${ci} has ${image.length} bytes, not ${size}×${size}×3`)
      }
      const { x, y } = cellOrigin(ri, ci, size, gap)
      for (let line = 0; line < size; line++) {
        data.set(image.subarray(line * size * 3, (line + 1) * size * 3), ((y + line) * width + x) * 3)
      }
    }),
  )
  return { data, width, height }
}

/** The grid as PNG bytes. */
export async function composeGrid(rows: Uint8Array[][], size: number, options: GridOptions = {}): Promise<Buffer> {
  const { data, width, height } = composeGridRgb(rows, size, options)
  return encodePng(data, width, height, options.metadata)
}
