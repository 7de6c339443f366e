/**
 * Undo/redo for the sketch as a list of operations, not bitmaps. The surface (the raster) is
 * rebuilt by restoring the nearest keyframe and replaying the operations after it, so an undo
 * replays fewer than `keyframeEvery` operations and memory stays bounded:
 * at most `limit + keyframeEvery` operations and one keyframe per `keyframeEvery` of them.
 *
 * When more than `limit` steps are undoable, the oldest are folded into a keyframe (the new base):
 * at least `limit` steps always stay undoable.
 */

/** Where operations are drawn; a snapshot is whatever restores it exactly (ImageData for a canvas). */
export interface Surface<Op, Snap> {
  apply(op: Op): void
  snapshot(): Snap
  restore(snapshot: Snap): void
}

export interface TimelineOptions {
  /** Undo steps that are always kept (the issue asks for at least 100). */
  limit?: number
  /** A keyframe every this many operations: longer = less memory, slower undo. */
  keyframeEvery?: number
}

export class Timeline<Op, Snap> {
  readonly limit: number
  readonly keyframeEvery: number
  readonly #surface: Surface<Op, Snap>
  /** ops[0 .. cursor) are applied on the surface; ops[cursor ..) can be redone. */
  #ops: Op[] = []
  #cursor = 0
  /** Keyframe n is the surface after ops[0 .. n); 0, the base, is always present. */
  #keyframes = new Map<number, Snap>()

  constructor(surface: Surface<Op, Snap>, options: TimelineOptions = {}) {
    this.#surface = surface
    this.limit = options.limit ?? 100
    this.keyframeEvery = options.keyframeEvery ?? 16
    if (this.limit < 1 || this.keyframeEvery < 1) throw new Error('Timeline: limit and keyframeEvery must be at least 1')
    this.#keyframes.set(0, surface.snapshot())
  }

  get canUndo(): boolean {
    return this.#cursor > 0
  }

  get canRedo(): boolean {
    return this.#cursor < this.#ops.length
  }

  /** Steps that can be undone now. */
  get undoDepth(): number {
    return this.#cursor
  }

  get redoDepth(): number {
    return this.#ops.length - this.#cursor
  }

  /** Operations held (applied and redoable) and keyframes held: what bounds the memory. */
  get stored(): { ops: number; keyframes: number } {
    return { ops: this.#ops.length, keyframes: this.#keyframes.size }
  }

  /** The applied operations, oldest first (after the base). */
  get applied(): readonly Op[] {
    return this.#ops.slice(0, this.#cursor)
  }

  /**
   * Records a new operation. `alreadyApplied` when it was drawn live (a pen stroke); otherwise it
   * is applied here. Anything that could be redone is dropped.
   */
  record(op: Op, alreadyApplied = false): void {
    if (!alreadyApplied) this.#surface.apply(op)
    this.#ops.length = this.#cursor
    for (const key of this.#keyframes.keys()) if (key > this.#cursor) this.#keyframes.delete(key)
    this.#ops.push(op)
    this.#cursor++
    this.#keyframeIfDue()
    this.#forgetOldest()
  }

  undo(): boolean {
    if (!this.canUndo) return false
    this.#rebuild(this.#cursor - 1)
    return true
  }

  redo(): boolean {
    if (!this.canRedo) return false
    this.#surface.apply(this.#ops[this.#cursor]!)
    this.#cursor++
    this.#keyframeIfDue()
    return true
  }

  /** Redraws the current state: after a live gesture was cancelled half-way. */
  revert(): void {
    this.#rebuild(this.#cursor)
  }

  /** Forgets every step and makes the surface as it is now the base. */
  reset(): void {
    this.#ops = []
    this.#cursor = 0
    this.#keyframes = new Map([[0, this.#surface.snapshot()]])
  }

  #rebuild(target: number): void {
    let from = 0
    for (const key of this.#keyframes.keys()) if (key <= target && key > from) from = key
    this.#surface.restore(this.#keyframes.get(from)!)
    for (let i = from; i < target; i++) this.#surface.apply(this.#ops[i]!)
    this.#cursor = target
  }

  #keyframeIfDue(): void {
    if (this.#cursor % this.keyframeEvery === 0 && !this.#keyframes.has(this.#cursor)) {
      this.#keyframes.set(this.#cursor, this.#surface.snapshot())
    }
  }

  /** Folds the oldest operations into the newest keyframe that still leaves `limit` undo steps. */
  #forgetOldest(): void {
    let base = 0
    for (const key of this.#keyframes.keys()) if (key <= this.#cursor - this.limit && key > base) base = key
    if (base === 0) return
    this.#ops.splice(0, base)
    this.#cursor -= base
    const shifted = new Map<number, Snap>()
    for (const [key, snap] of this.#keyframes) if (key >= base) shifted.set(key - base, snap)
    this.#keyframes = shifted
  }
}
