/**
 * What each drawing tool does with a pointer drag, in document pixels. A gesture draws live where
 * that is cheap (strokes straight on the raster, the line as an overlay preview) and commits one
 * operation to the document when the pointer lifts. The canvas component only forwards pointers.
 */
import type { SketchDocument } from './document.svelte'
import { drawStrokeFrom, finishStroke, pixelsBefore, type SketchOp } from './ops'
import type { SketchTools, ToolId } from './tools.svelte'

export interface DocPoint {
  x: number
  y: number
  pressure: number
}

/** The straight-line preview, drawn by the view above the raster. */
export interface LinePreview {
  show(from: DocPoint, to: DocPoint, size: number, color: string): void
  hide(): void
}

export interface Gesture {
  move(points: readonly DocPoint[]): void
  end(): void
  cancel(): void
}

export interface GestureContext {
  doc: SketchDocument
  tools: SketchTools
  preview: LinePreview
}

/**
 * The pressure to draw with: a pen's own reading, a touch's when the screen measures force
 * (0.5 is what devices without pressure report), and full pressure for a mouse.
 */
export function pointerPressure(pointerType: string, pressure: number): number {
  if (pointerType === 'pen') return Math.min(1, Math.max(0.05, pressure))
  if (pointerType === 'touch' && pressure > 0 && pressure !== 0.5) return Math.min(1, pressure)
  return 1
}

function strokeGesture(ctx: GestureContext, start: DocPoint, erase: boolean): Gesture {
  const { doc, tools } = ctx
  const op: Extract<SketchOp, { kind: 'stroke' }> = {
    kind: 'stroke',
    color: erase ? tools.background : tools.paintColor,
    size: tools.size,
    points: [start.x, start.y, start.pressure],
    hard: tools.paletteMode,
  }
  // Hard edges compare with the raster as it was; the stroke's extent is not known yet.
  const before = op.hard ? pixelsBefore(doc.ctx) : null
  drawStrokeFrom(doc.ctx, op, 0)
  doc.drawn()
  return {
    move(points) {
      const from = op.points.length / 3
      for (const p of points) op.points.push(p.x, p.y, p.pressure)
      drawStrokeFrom(doc.ctx, op, from)
      doc.drawn()
    },
    end() {
      finishStroke(doc.ctx, op, before)
      doc.commit(op, true)
    },
    cancel: () => doc.revert(),
  }
}

function lineGesture(ctx: GestureContext, start: DocPoint): Gesture {
  const { doc, tools, preview } = ctx
  const color = tools.paintColor
  const size = tools.size
  let end = start
  preview.show(start, end, size, color)
  return {
    move(points) {
      end = points.at(-1) ?? end
      preview.show(start, end, size, color)
    },
    end() {
      preview.hide()
      doc.commit({ kind: 'line', color, size, from: [start.x, start.y], to: [end.x, end.y], hard: tools.paletteMode })
    },
    cancel: () => preview.hide(),
  }
}

const inside = (doc: SketchDocument, p: DocPoint) => p.x >= 0 && p.y >= 0 && p.x < doc.size && p.y < doc.size

/** Starts the tool's gesture at `start`; null when the tool acts at once (fill) or not at all here. */
export function beginGesture(tool: ToolId, ctx: GestureContext, start: DocPoint): Gesture | null {
  switch (tool) {
    case 'pen':
    case 'eraser':
      return strokeGesture(ctx, start, tool === 'eraser')
    case 'line':
      return lineGesture(ctx, start)
    case 'fill':
      if (inside(ctx.doc, start)) {
        ctx.doc.commit({ kind: 'fill', x: Math.floor(start.x), y: Math.floor(start.y), color: ctx.tools.paintColor, tolerance: ctx.tools.fillTolerance, blendEdges: !ctx.tools.paletteMode })
      }
      return null
    case 'hand':
      return null // the view pans; nothing to draw
  }
}
