/** Zoom and pan of the square document inside the canvas area: pure maths, tested beside. */

/** Screen = document × scale + (x, y), in CSS pixels of the canvas area. */
export interface View {
  scale: number
  x: number
  y: number
}

export const MIN_SCALE = 0.1
export const MAX_SCALE = 32

/** The document as large as fits, centred, `margin` pixels from the edges. */
export function fitView(docSize: number, width: number, height: number, margin = 16): View {
  const scale = Math.max(MIN_SCALE, Math.min((width - 2 * margin) / docSize, (height - 2 * margin) / docSize))
  return { scale, x: (width - docSize * scale) / 2, y: (height - docSize * scale) / 2 }
}

/** Zooms by `factor` keeping the screen point (px, py) over the same document point. */
export function zoomAt(view: View, factor: number, px: number, py: number): View {
  const scale = Math.min(MAX_SCALE, Math.max(MIN_SCALE, view.scale * factor))
  const k = scale / view.scale
  return { scale, x: px - (px - view.x) * k, y: py - (py - view.y) * k }
}

export function panBy(view: View, dx: number, dy: number): View {
  return { ...view, x: view.x + dx, y: view.y + dy }
}

/** The document point under a screen point. */
export function toDocument(view: View, px: number, py: number): { x: number; y: number } {
  return { x: (px - view.x) / view.scale, y: (py - view.y) / view.scale }
}
