/**
 * Everything the Sketch section keeps while the user visits other sections: the drawing and its
 * history, the tool settings, the view and the last output. One per studio (a reload starts afresh).
 */
import type { Direction } from '../../../../shared/training'
import type { Studio } from '../studio.svelte'
import { SketchDocument } from './document.svelte'
import { LiveOutput } from './live-output.svelte'
import { SketchTools } from './tools.svelte'
import { Viewport } from './viewport.svelte'

export class SketchSession {
  readonly doc: SketchDocument
  readonly tools = new SketchTools()
  readonly viewport: Viewport
  readonly output: LiveOutput
  /** The model the user picked; null follows the first sketch model. */
  modelId = $state<string | null>(null)
  /** For CycleGAN models, which generator draws. */
  direction = $state<Direction>('AtoB')
  /** A problem with loading or exporting, shown above the canvas. */
  problem = $state<string | null>(null)

  constructor(studio: Studio) {
    this.doc = new SketchDocument()
    this.viewport = new Viewport(this.doc.size)
    this.output = new LiveOutput(studio.client, this.doc)
  }

  /** Label-map mode; an untouched sketch takes the new paper colour at once. */
  setPaletteMode(on: boolean): void {
    this.tools.paletteMode = on
    if (!this.doc.canUndo && !this.doc.canRedo) this.doc.reset(this.tools.background)
  }

  clear(): void {
    this.doc.commit({ kind: 'clear', color: this.tools.background })
  }
}

const sessions = new WeakMap<Studio, SketchSession>()

export function sketchSession(studio: Studio): SketchSession {
  let session = sessions.get(studio)
  if (!session) {
    session = new SketchSession(studio)
    sessions.set(studio, session)
  }
  return session
}
