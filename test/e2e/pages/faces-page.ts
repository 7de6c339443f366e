/** The Faces section as a user finds it: by roles and accessible names. */
import { readFile } from 'node:fs/promises'
import type { Download, Locator, Page } from 'playwright-core'

export class FacesPage {
  constructor(readonly page: Page) {}

  get modelSelect(): Locator {
    return this.page.getByRole('combobox', { name: 'Model', exact: true })
  }
  get classSelect(): Locator {
    return this.page.getByRole('combobox', { name: 'Class', exact: true })
  }
  get seedsField(): Locator {
    return this.page.getByRole('textbox', { name: 'Seeds', exact: true })
  }
  get psiSlider(): Locator {
    return this.page.getByRole('slider', { name: 'Truncation ψ' })
  }
  get grid(): Locator {
    return this.page.getByRole('group', { name: 'Samples' })
  }
  get tiles(): Locator {
    return this.grid.getByRole('button')
  }
  tile(seed: number): Locator {
    return this.grid.getByRole('button', { name: `Seed ${seed}`, exact: true })
  }
  tileImage(seed: number): Locator {
    return this.tile(seed).locator('img')
  }
  get frameSlider(): Locator {
    return this.page.getByRole('slider', { name: 'Interpolation frame' })
  }
  get frameImage(): Locator {
    return this.page.getByRole('img', { name: /^Frame \d+ of \d+/ })
  }
  button(name: string | RegExp): Locator {
    return this.page.getByRole('button', typeof name === 'string' ? { name, exact: true } : { name })
  }

  /** What the grid shows now: tile names, whether a draw is under way, and whether every image is a PNG. */
  async gridState(): Promise<{ names: string[]; busy: boolean; drawn: boolean }> {
    const names = await this.tiles.evaluateAll((tiles) => tiles.map((tile) => tile.getAttribute('aria-label') ?? ''))
    const sources = await this.grid.locator('img').evaluateAll((images) => images.map((image) => image.getAttribute('src') ?? ''))
    const busy = (await this.grid.getAttribute('aria-busy')) === 'true'
    return { names, busy, drawn: sources.every((src) => src.startsWith('data:image/png;base64,')) }
  }

  /** Waits until the grid shows exactly these seeds, in order, drawn and idle. */
  async waitForGrid(seeds: readonly number[], timeout = 60_000): Promise<void> {
    const expected = seeds.map((s) => `Seed ${s}`)
    const deadline = Date.now() + timeout
    for (;;) {
      const state = await this.gridState()
      if (!state.busy && state.drawn && state.names.join('|') === expected.join('|')) return
      if (Date.now() > deadline) throw new Error(`the grid shows [${state.names.join(', ')}] (busy: ${state.busy}); expected [${expected.join(', ')}]`)
      await this.page.waitForTimeout(100)
    }
  }

  /** Drops a file on `target` the way a file manager does: dragenter, dragover, drop with its DataTransfer. */
  async dropFile(target: Locator, fileName: string, bytes: Buffer): Promise<void> {
    const dataTransfer = await this.page.evaluateHandle(
      ([name, base64]) => {
        // Runs in the page; the node tsconfig has no DOM types, so name what is used.
        const page = globalThis as unknown as BrowserFiles
        const transfer = new page.DataTransfer()
        const raw = page.atob(base64)
        const data = Uint8Array.from(raw, (c) => c.charCodeAt(0))
        transfer.items.add(new page.File([data], name, { type: 'image/png' }))
        return transfer
      },
      [fileName, bytes.toString('base64')] as const,
    )
    for (const type of ['dragenter', 'dragover', 'drop']) await target.dispatchEvent(type, { dataTransfer })
    await dataTransfer.dispose()
  }

  async isFocused(locator: Locator): Promise<boolean> {
    return locator.evaluate((element) => element.matches(':focus'))
  }

  /** Waits until the grid is idle (no draw under way). */
  async waitForIdle(timeout = 60_000): Promise<void> {
    await this.page.locator('[role="group"][aria-label="Samples"][aria-busy="false"]').waitFor({ timeout })
  }

  async imageOf(seed: number): Promise<string> {
    return (await this.tileImage(seed).getAttribute('src')) ?? ''
  }

  /** Runs `action` and returns the download it starts, with its bytes. */
  async download(action: () => Promise<void>): Promise<{ download: Download; bytes: Buffer }> {
    const [download] = await Promise.all([this.page.waitForEvent('download', { timeout: 30_000 }), action()])
    const path = await download.path()
    return { download, bytes: await readFile(path) }
  }
}

interface BrowserFiles {
  DataTransfer: new () => { items: { add(file: unknown): void } }
  File: new (parts: Uint8Array[], name: string, options: { type: string }) => unknown
  atob(data: string): string
}
