/** The canvas area's zoom and pan, shared by the canvas (which applies it) and the zoom buttons. */
import { fitView, panBy, zoomAt, type View } from './viewport'

const STEP = 1.25

export class Viewport {
  view = $state.raw<View>({ scale: 1, x: 0, y: 0 })
  width = $state(0)
  height = $state(0)
  readonly docSize: number
  /** Until the user zooms or pans, the view follows the area's size. */
  #fitted = true

  constructor(docSize: number) {
    this.docSize = docSize
  }

  resize(width: number, height: number): void {
    this.width = width
    this.height = height
    if (this.#fitted) this.fit()
  }

  fit(): void {
    this.#fitted = true
    if (this.width > 0 && this.height > 0) this.view = fitView(this.docSize, this.width, this.height)
  }

  zoomAt(factor: number, px = this.width / 2, py = this.height / 2): void {
    this.#fitted = false
    this.view = zoomAt(this.view, factor, px, py)
  }

  zoomIn(): void {
    this.zoomAt(STEP)
  }

  zoomOut(): void {
    this.zoomAt(1 / STEP)
  }

  panBy(dx: number, dy: number): void {
    this.#fitted = false
    this.view = panBy(this.view, dx, dy)
  }
}
