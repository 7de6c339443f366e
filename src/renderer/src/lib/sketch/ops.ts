/**
 * The sketch document is a list of these operations; each draws itself on the raster the same way
 * whether it is drawn live (a stroke as the pointer moves) or replayed (undo, redo), so a replay
 * gives back the very same pixels.
 */
import { floodFill, type Rgba } from './flood-fill'
import { hexToRgba, snapToPalette, type Rect } from './palette'

/** Points of a stroke, flat: x, y, pressure (0–1), x, y, pressure, … in document pixels. */
export type StrokePoints = number[]

export type SketchOp =
  /**
   * Pen and eraser (which paints the background colour). `hard` (label maps): no anti-aliasing,
   * every pixel ends up either the stroke's colour or what it was, so no new colours appear.
   */
  | { kind: 'stroke'; color: string; size: number; points: StrokePoints; hard: boolean }
  | { kind: 'line'; color: string; size: number; from: [number, number]; to: [number, number]; hard: boolean }
  | { kind: 'fill'; x: number; y: number; color: string; tolerance: number; blendEdges: boolean }
  | { kind: 'clear'; color: string }
  /** An image loaded as the sketch layer: replaces everything, fitted inside and centred. */
  /** With a palette (label maps), every pixel is snapped to the nearest class colour. */
  | { kind: 'image'; source: CanvasImageSource; width: number; height: number; background: string; palette: readonly Rgba[] | null }

export type Ctx = CanvasRenderingContext2D

/** Line width at a pressure; never thinner than half a pixel. */
export const widthAt = (size: number, pressure: number): number => Math.max(0.5, size * pressure)

const pointCount = (op: { points: StrokePoints }) => op.points.length / 3

/** Draws stroke points from index `from` on: a dot for the first point, then one segment per point. */
export function drawStrokeFrom(ctx: Ctx, op: Extract<SketchOp, { kind: 'stroke' }>, from: number): void {
  const p = op.points
  ctx.save()
  ctx.fillStyle = op.color
  ctx.strokeStyle = op.color
  ctx.lineCap = 'round'
  ctx.lineJoin = 'round'
  if (from === 0 && p.length >= 3) {
    ctx.beginPath()
    ctx.arc(p[0]!, p[1]!, widthAt(op.size, p[2]!) / 2, 0, Math.PI * 2)
    ctx.fill()
  }
  for (let i = Math.max(1, from); i < pointCount(op); i++) {
    const a = (i - 1) * 3
    const b = i * 3
    ctx.lineWidth = widthAt(op.size, (p[a + 2]! + p[b + 2]!) / 2)
    ctx.beginPath()
    ctx.moveTo(p[a]!, p[a + 1]!)
    ctx.lineTo(p[b]!, p[b + 1]!)
    ctx.stroke()
  }
  ctx.restore()
}

/** The area a stroke or line may have touched, with a margin for anti-aliasing. */
export function strokeBounds(points: readonly number[], stride: number, size: number): Rect {
  let minX = Infinity
  let minY = Infinity
  let maxX = -Infinity
  let maxY = -Infinity
  for (let i = 0; i < points.length; i += stride) {
    minX = Math.min(minX, points[i]!)
    maxX = Math.max(maxX, points[i]!)
    minY = Math.min(minY, points[i + 1]!)
    maxY = Math.max(maxY, points[i + 1]!)
  }
  const m = size / 2 + 2
  return { x: minX - m, y: minY - m, width: maxX - minX + 2 * m, height: maxY - minY + 2 * m }
}

/** `area` clipped to the canvas, in whole pixels; null when nothing is left. */
function clip(ctx: Ctx, area: Rect): Rect | null {
  const x = Math.max(0, Math.floor(area.x))
  const y = Math.max(0, Math.floor(area.y))
  const width = Math.min(ctx.canvas.width, Math.ceil(area.x + area.width)) - x
  const height = Math.min(ctx.canvas.height, Math.ceil(area.y + area.height)) - y
  return width > 0 && height > 0 ? { x, y, width, height } : null
}

/** The pixels a hard-edged drawing needs to remember before it draws (the whole raster while live). */
export function pixelsBefore(ctx: Ctx, area: Rect = { x: 0, y: 0, width: ctx.canvas.width, height: ctx.canvas.height }): ImageData | null {
  const box = clip(ctx, area)
  return box ? ctx.getImageData(box.x, box.y, box.width, box.height) : null
}

/**
 * Makes every pixel of `area` that the drawing changed either `color` or what it was before,
 * whichever it is nearer to. `before` covers `area` or more and starts at (beforeX, beforeY).
 */
export function hardenEdges(ctx: Ctx, before: ImageData, beforeX: number, beforeY: number, area: Rect, color: Rgba): void {
  const box = clip(ctx, area)
  if (!box) return
  const now = ctx.getImageData(box.x, box.y, box.width, box.height)
  const d = now.data
  const b = before.data
  for (let y = 0; y < box.height; y++) {
    for (let x = 0; x < box.width; x++) {
      const i = (y * box.width + x) * 4
      const j = ((box.y + y - beforeY) * before.width + (box.x + x - beforeX)) * 4
      if (d[i] === b[j] && d[i + 1] === b[j + 1] && d[i + 2] === b[j + 2] && d[i + 3] === b[j + 3]) continue
      let toColor = 0
      let toBefore = 0
      for (let c = 0; c < 4; c++) {
        toColor += (d[i + c]! - color[c]!) ** 2
        toBefore += (d[i + c]! - b[j + c]!) ** 2
      }
      if (toColor <= toBefore) d.set(color, i)
      else for (let c = 0; c < 4; c++) d[i + c] = b[j + c]!
    }
  }
  ctx.putImageData(now, box.x, box.y)
}

/** Ends a stroke that was drawn live; `before` is the raster when it began (hard strokes only). */
export function finishStroke(ctx: Ctx, op: Extract<SketchOp, { kind: 'stroke' }>, before: ImageData | null): void {
  if (op.hard && before) hardenEdges(ctx, before, 0, 0, strokeBounds(op.points, 3, op.size), hexToRgba(op.color))
}

/** A stroke replayed in full: the same pixels as when it was drawn live. */
function replayStroke(ctx: Ctx, op: Extract<SketchOp, { kind: 'stroke' }>): void {
  const area = strokeBounds(op.points, 3, op.size)
  const before = op.hard ? pixelsBefore(ctx, area) : null
  drawStrokeFrom(ctx, op, 0)
  if (before) {
    const box = clip(ctx, area)!
    hardenEdges(ctx, before, box.x, box.y, area, hexToRgba(op.color))
  }
}

/** Fits a width × height image inside a square of `size`, centred. */
export function fitInSquare(width: number, height: number, size: number): Rect {
  const scale = Math.min(size / width, size / height)
  const w = width * scale
  const h = height * scale
  return { x: (size - w) / 2, y: (size - h) / 2, width: w, height: h }
}

/** Draws any operation in full (replay, or the first time for the ones not drawn live). */
export function applyOp(ctx: Ctx, op: SketchOp): void {
  const size = ctx.canvas.width
  switch (op.kind) {
    case 'stroke':
      replayStroke(ctx, op)
      return
    case 'line':
      replayStroke(ctx, { kind: 'stroke', color: op.color, size: op.size, points: [op.from[0], op.from[1], 1, op.to[0], op.to[1], 1], hard: op.hard })
      return
    case 'fill': {
      const pixels = ctx.getImageData(0, 0, size, ctx.canvas.height)
      // Label maps must stay exact class colours: no blended edges there.
      const result = floodFill(pixels, op.x, op.y, hexToRgba(op.color), { tolerance: op.tolerance, blendEdges: op.blendEdges })
      if (result.bounds) ctx.putImageData(pixels, 0, 0, result.bounds.x, result.bounds.y, result.bounds.width, result.bounds.height)
      return
    }
    case 'clear':
      ctx.save()
      ctx.fillStyle = op.color
      ctx.fillRect(0, 0, size, ctx.canvas.height)
      ctx.restore()
      return
    case 'image': {
      ctx.save()
      ctx.fillStyle = op.background
      ctx.fillRect(0, 0, size, ctx.canvas.height)
      const fit = fitInSquare(op.width, op.height, size)
      ctx.imageSmoothingEnabled = !op.palette
      ctx.imageSmoothingQuality = 'high'
      ctx.drawImage(op.source, fit.x, fit.y, fit.width, fit.height)
      ctx.restore()
      if (op.palette) {
        const pixels = ctx.getImageData(0, 0, size, ctx.canvas.height)
        snapToPalette(pixels, op.palette)
        ctx.putImageData(pixels, 0, 0)
      }
      return
    }
  }
}
