/** The drawing tools and their settings: what the toolbar shows and the gestures read. */
import type { Rgba } from './flood-fill'
import { FACADES_PALETTE, hexToRgba, newClassName, type PaletteClass } from './palette'

export type ToolId = 'pen' | 'eraser' | 'fill' | 'line' | 'hand'

export interface ToolSpec {
  id: ToolId
  label: string
  /** The single-letter shortcut, lower case. */
  key: string
  hint: string
}

export const TOOLS: readonly ToolSpec[] = [
  { id: 'pen', label: 'Pen', key: 'b', hint: 'Draw; a pen tablet varies the width with pressure' },
  { id: 'eraser', label: 'Eraser', key: 'e', hint: 'Paint the background back' },
  { id: 'fill', label: 'Fill', key: 'g', hint: 'Fill a closed region with the colour' },
  { id: 'line', label: 'Line', key: 'l', hint: 'Drag a straight line' },
  { id: 'hand', label: 'Pan', key: 'h', hint: 'Drag to move the view (or hold Space, or drag with the middle button)' },
]

export const MIN_SIZE = 1
export const MAX_SIZE = 96
const PAPER = '#ffffff'

export class SketchTools {
  tool = $state<ToolId>('pen')
  size = $state(6)
  color = $state('#000000')
  /** Fill tolerance in colour steps (0–255 per channel); palette mode always fills exactly. */
  tolerance = $state(32)
  paletteMode = $state(false)
  palette = $state<PaletteClass[]>(FACADES_PALETTE.map((c) => ({ ...c })))
  /** The class the pen paints in palette mode. */
  classIndex = $state(1)
  readonly #paletteRgba = $derived(this.paletteMode ? this.palette.map((c) => hexToRgba(c.color)) : null)

  /** The colour the pen, line and fill use now. */
  get paintColor(): string {
    return this.paletteMode ? (this.palette[this.classIndex] ?? this.palette[0]!).color : this.color
  }

  /** Paper: white, or the first class of the label map. */
  get background(): string {
    return this.paletteMode ? (this.palette[0]?.color ?? PAPER) : PAPER
  }

  /** The exact colours strokes snap to, or null outside palette mode. */
  get paletteRgba(): readonly Rgba[] | null {
    return this.#paletteRgba
  }

  get fillTolerance(): number {
    return this.paletteMode ? 0 : this.tolerance
  }

  setSize(size: number): void {
    this.size = Math.min(MAX_SIZE, Math.max(MIN_SIZE, Math.round(size)))
  }

  /** [ and ]: about 20 % per press, at least one pixel. */
  stepSize(direction: 1 | -1): void {
    this.setSize(this.size + direction * Math.max(1, Math.round(this.size * 0.2)))
  }

  addClass(color: string, name = ''): void {
    const taken = name.trim() === '' || this.palette.some((c) => c.name === name.trim())
    this.palette.push({ name: taken ? newClassName(this.palette) : name.trim(), color })
    this.classIndex = this.palette.length - 1
  }

  removeClass(index: number): void {
    if (this.palette.length <= 2 || index === 0) return // keep the background and one class
    this.palette.splice(index, 1)
    if (this.classIndex >= this.palette.length) this.classIndex = this.palette.length - 1
  }
}
