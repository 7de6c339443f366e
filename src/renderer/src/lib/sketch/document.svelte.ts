/**
 * The sketch: a square raster (an offscreen canvas the Konva stage shows) and the timeline of
 * operations that made it. Views never own it: they draw `canvas`, call `commit`/`undo`/`redo`,
 * and repaint on `onDraw`. `version` changes with every committed change (the live output follows it).
 */
import { Timeline, type Surface } from './history'
import { applyOp, type SketchOp } from './ops'

export const DOCUMENT_SIZE = 512

export class SketchDocument {
  readonly size: number
  readonly canvas: HTMLCanvasElement
  readonly ctx: CanvasRenderingContext2D
  readonly #timeline: Timeline<SketchOp, ImageData>
  readonly #listeners = new Set<() => void>()
  #version = $state(0)

  constructor(size = DOCUMENT_SIZE, background = '#ffffff') {
    this.size = size
    this.canvas = document.createElement('canvas')
    this.canvas.width = size
    this.canvas.height = size
    // Fills and undo read pixels back often: keep the raster on the CPU side.
    const ctx = this.canvas.getContext('2d', { willReadFrequently: true })
    if (!ctx) throw new Error('This browser cannot draw on a 2D canvas')
    this.ctx = ctx
    applyOp(ctx, { kind: 'clear', color: background })
    const surface: Surface<SketchOp, ImageData> = {
      apply: (op) => applyOp(ctx, op),
      snapshot: () => ctx.getImageData(0, 0, size, size),
      restore: (snapshot) => ctx.putImageData(snapshot, 0, 0),
    }
    this.#timeline = new Timeline(surface, { limit: 100, keyframeEvery: 16 })
  }

  /** Changes with every committed change, undo and redo. 0 until the first one. */
  get version(): number {
    return this.#version
  }

  get canUndo(): boolean {
    void this.#version
    return this.#timeline.canUndo
  }

  get canRedo(): boolean {
    void this.#version
    return this.#timeline.canRedo
  }

  get undoDepth(): number {
    void this.#version
    return this.#timeline.undoDepth
  }

  /** Repaint whenever the raster changed, live strokes included. */
  onDraw(listener: () => void): () => void {
    this.#listeners.add(listener)
    return () => this.#listeners.delete(listener)
  }

  /** Tell the views the raster changed (a live stroke drew on `ctx`). */
  drawn(): void {
    for (const listener of this.#listeners) listener()
  }

  /** Records an operation (applying it unless it was drawn live already). */
  commit(op: SketchOp, alreadyApplied = false): void {
    this.#timeline.record(op, alreadyApplied)
    this.#changed()
  }

  undo(): boolean {
    return this.#timeline.undo() && this.#changed()
  }

  redo(): boolean {
    return this.#timeline.redo() && this.#changed()
  }

  /** Drops what a cancelled live gesture drew. */
  revert(): void {
    this.#timeline.revert()
    this.drawn()
  }

  /** Starts over on a blank raster of `background`, with no history (new paper for a label map). */
  reset(background: string): void {
    applyOp(this.ctx, { kind: 'clear', color: background })
    this.#timeline.reset()
    this.drawn()
  }

  /** The sketch as a PNG data URL at `size` × `size`; `smooth` false keeps exact colours (label maps). */
  async toDataUrl(size = this.size, smooth = true): Promise<string> {
    const blob = await this.toBlob(size, smooth)
    return new Promise((resolve, reject) => {
      const reader = new FileReader()
      reader.onload = () => resolve(reader.result as string)
      reader.onerror = () => reject(reader.error ?? new Error('Could not read the sketch image'))
      reader.readAsDataURL(blob)
    })
  }

  /** PNG encoding runs off the UI thread where the browser offers OffscreenCanvas. */
  async toBlob(size = this.size, smooth = true): Promise<Blob> {
    if (typeof OffscreenCanvas === 'function') {
      const target = new OffscreenCanvas(size, size)
      const ctx = target.getContext('2d')
      if (ctx) {
        ctx.imageSmoothingEnabled = smooth
        ctx.imageSmoothingQuality = 'high'
        ctx.drawImage(this.canvas, 0, 0, size, size)
        return target.convertToBlob({ type: 'image/png' })
      }
    }
    const target = document.createElement('canvas')
    target.width = size
    target.height = size
    const ctx = target.getContext('2d')!
    ctx.imageSmoothingEnabled = smooth
    ctx.imageSmoothingQuality = 'high'
    ctx.drawImage(this.canvas, 0, 0, size, size)
    return new Promise((resolve, reject) => target.toBlob((b) => (b ? resolve(b) : reject(new Error('Could not encode the sketch'))), 'image/png'))
  }

  #changed(): true {
    this.drawn()
    this.#version++
    return true
  }
}
