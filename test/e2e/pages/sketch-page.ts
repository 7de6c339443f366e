/** The Sketch section as a user drives it: tools, strokes with the mouse, the output, exports. */
import { readFile } from 'node:fs/promises'
import type { Locator, Page } from 'playwright-core'

const DOC_SIZE = 512
/** The fitted view, as src/renderer/src/lib/sketch/viewport.ts computes it (16 px margin). */
function fitView(docSize: number, width: number, height: number, margin = 16) {
  const scale = Math.min((width - 2 * margin) / docSize, (height - 2 * margin) / docSize)
  return { scale, x: (width - docSize * scale) / 2, y: (height - docSize * scale) / 2 }
}

/** The few browser globals the page functions below use (this file is typed for Node, not the DOM). */
interface PageGlobals {
  requestAnimationFrame(callback: () => void): number
  document: { querySelector(selector: string): { getAttribute(name: string): string | null } | null }
}

interface CanvasLike {
  width: number
  toDataURL(): string
  getBoundingClientRect(): { width: number }
  getContext(kind: '2d'): { getImageData(x: number, y: number, w: number, h: number): { data: ArrayLike<number> } } | null
}

export class SketchPage {
  constructor(readonly page: Page) {}

  get canvas(): Locator {
    return this.page.getByRole('application', { name: 'Sketch canvas' })
  }

  get emptyState(): Locator {
    return this.page.getByText('No sketch models yet — train one in Train, import one in Models.')
  }

  get modelSelect(): Locator {
    return this.page.getByRole('combobox', { name: 'Model' })
  }

  get output(): Locator {
    return this.page.getByRole('img', { name: /^Output of / })
  }

  get latency(): Locator {
    return this.page.getByTestId('sketch-latency')
  }

  tool(name: 'Pen' | 'Eraser' | 'Fill' | 'Line' | 'Pan'): Locator {
    return this.page.getByRole('toolbar', { name: 'Drawing tools' }).getByRole('button', { name: new RegExp(`^${name}`) })
  }

  button(name: string): Locator {
    return this.page.getByRole('button', { name, exact: true })
  }

  /**
   * Screen position of a point of the sketch given as fractions (0–1) of its width and height,
   * while the view is fitted (as it is until the user zooms or pans).
   */
  async at(fx: number, fy: number): Promise<{ x: number; y: number }> {
    const box = (await this.canvas.boundingBox())!
    // The stage fills the element inside its 1px border.
    const inner = { x: box.x + 1, y: box.y + 1, width: box.width - 2, height: box.height - 2 }
    const view = fitView(DOC_SIZE, inner.width, inner.height)
    return { x: inner.x + view.x + fx * DOC_SIZE * view.scale, y: inner.y + view.y + fy * DOC_SIZE * view.scale }
  }

  /** Presses the mouse at the first point, drags through the others, releases. */
  async drag(points: Array<[number, number]>): Promise<void> {
    const [first, ...rest] = points
    const start = await this.at(...first!)
    await this.page.mouse.move(start.x, start.y)
    await this.page.mouse.down()
    for (const point of rest) {
      const p = await this.at(...point)
      await this.page.mouse.move(p.x, p.y, { steps: 8 })
    }
    await this.page.mouse.up()
  }

  async click(fx: number, fy: number): Promise<void> {
    const p = await this.at(fx, fy)
    await this.page.mouse.click(p.x, p.y)
  }

  /** The paper layer's pixels as a PNG data URL, after Konva's next frame. */
  async pixels(): Promise<string> {
    return this.canvas.evaluate(async (element) => {
      const g = globalThis as unknown as PageGlobals
      await new Promise<void>((resolve) => g.requestAnimationFrame(() => g.requestAnimationFrame(resolve)))
      return (element.querySelector('canvas') as unknown as CanvasLike).toDataURL()
    })
  }

  /** The colour shown at a sketch point (fractions), as [r, g, b]. */
  async colorAt(fx: number, fy: number): Promise<number[]> {
    const box = (await this.canvas.boundingBox())!
    const p = await this.at(fx, fy)
    return this.canvas.evaluate(
      async (element, { x, y }) => {
        const g = globalThis as unknown as PageGlobals
        await new Promise<void>((resolve) => g.requestAnimationFrame(() => g.requestAnimationFrame(resolve)))
        const canvas = element.querySelector('canvas') as unknown as CanvasLike
        const ratio = canvas.width / canvas.getBoundingClientRect().width
        const data = canvas.getContext('2d')!.getImageData(Math.round(x * ratio), Math.round(y * ratio), 1, 1).data
        return [data[0]!, data[1]!, data[2]!]
      },
      { x: p.x - box.x - 1, y: p.y - box.y - 1 },
    )
  }

  async outputSrc(): Promise<string> {
    return (await this.output.getAttribute('src')) ?? ''
  }

  /** Waits until the output shows something other than `previous`, and returns it. */
  async nextOutput(previous: string, timeout = 60_000): Promise<string> {
    await this.page.waitForFunction(
      (before) => {
        const img = (globalThis as unknown as PageGlobals).document.querySelector('img[alt^="Output of "]')
        return img !== null && img.getAttribute('src') !== before
      },
      previous,
      { timeout },
    )
    return this.outputSrc()
  }

  /** Clicks an export button and returns the downloaded file's name and bytes. */
  async download(buttonName: string): Promise<{ name: string; bytes: Buffer }> {
    const [download] = await Promise.all([this.page.waitForEvent('download'), this.button(buttonName).click()])
    const path = await download.path()
    return { name: download.suggestedFilename(), bytes: await readFile(path) }
  }
}
