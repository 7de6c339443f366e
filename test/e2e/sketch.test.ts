/**
 * Sketch end to end, as a new user in serve mode: the empty state without models; then, with a
 * tiny Pix2Pix model in the library, strokes with the mouse, the live output and its latency,
 * undo/redo by keyboard and buttons, fill and eraser, a label map, and both exports as downloads
 * carrying Ganvas metadata.
 */
import { join } from 'node:path'
import type { Page } from 'playwright-core'
import sharp from 'sharp'
import { beforeAll, describe, expect, it } from 'vitest'
import { readGanvasMetadata } from '../../src/engine/images/png-metadata'
import { savePix2pix } from '../../src/engine/inference/test-models'
import { SketchPage } from './pages/sketch-page'
import type { StudioPage } from './pages/studio-page'
import { ENGINE_READY_MS, useStudioSession } from './pages/studio-session'

const WHITE = [255, 255, 255]

describe('Sketch section in serve mode', { timeout: 180_000 }, () => {
  const session = useStudioSession({ name: 'sketch', viewport: { width: 1280, height: 860 }, acceptDownloads: true })
  let home = ''
  let page: Page
  let studio: StudioPage
  let sketch: SketchPage

  beforeAll(() => {
    ;({ home, page, studio } = session)
    sketch = new SketchPage(page)
  })

  it('tells a new user without models where to get one, and finds a model added later', async () => {
    await studio.goTo('Sketch')
    await sketch.emptyState.waitFor()
    await page.getByRole('link', { name: 'train one in Train' }).waitFor()
    await page.getByRole('link', { name: 'import one in Models' }).waitFor()
    await sketch.canvas.waitFor()
    await studio.screenshot('sketch-empty')

    // The library is read from disk on each models.list: a model written now shows after a reload.
    await savePix2pix(join(home, 'models', 'tiny-sketch'), 'AtoB')
    await page.reload()
    await studio.heading('Sketch').waitFor()
    await expect(sketch.modelSelect.locator('option:checked').innerText()).resolves.toBe('Tiny sketches')
    await expect(sketch.emptyState.count()).resolves.toBe(0)
  })

  it('renders strokes live; undo and redo restore the canvas; fill and eraser change pixels', async () => {
    await studio.waitForEngineReady(ENGINE_READY_MS)
    const blank = await sketch.pixels()

    // A closed square with the line tool (L), then a stroke with the pen (B).
    await page.keyboard.press('l')
    await expect(sketch.tool('Line').getAttribute('aria-pressed')).resolves.toBe('true')
    const corners: Array<[number, number]> = [[0.2, 0.2], [0.6, 0.2], [0.6, 0.6], [0.2, 0.6], [0.2, 0.2]]
    for (let i = 0; i < 4; i++) await sketch.drag([corners[i]!, corners[i + 1]!])
    const square = await sketch.pixels()
    expect(square).not.toBe(blank)

    await sketch.output.waitFor({ timeout: 60_000 })
    const firstOutput = await sketch.outputSrc()
    expect(firstOutput).toMatch(/^data:image\/png;base64,/)
    await expect(sketch.latency.innerText()).resolves.toMatch(/^Latency [\d,]+ ms \(engine [\d,]+ ms\)$/)

    await page.keyboard.press('b')
    await sketch.drag([[0.7, 0.7], [0.9, 0.75], [0.85, 0.9]])
    const withStroke = await sketch.pixels()
    expect(withStroke).not.toBe(square)
    const secondOutput = await sketch.nextOutput(firstOutput)
    expect(secondOutput).not.toBe(firstOutput)

    // Undo by keyboard restores the canvas exactly; redo by keyboard and by button re-applies.
    await page.keyboard.press('Control+z')
    await expect(sketch.pixels()).resolves.toBe(square)
    await page.keyboard.press('Shift+Control+z')
    await expect(sketch.pixels()).resolves.toBe(withStroke)
    await sketch.button('Undo').click()
    await expect(sketch.pixels()).resolves.toBe(square)
    await sketch.button('Redo').click()
    await expect(sketch.pixels()).resolves.toBe(withStroke)
    await expect(sketch.button('Redo').isDisabled()).resolves.toBe(true)

    // Fill (G) in red inside the square: inside turns red, outside stays white.
    await page.getByLabel('Colour', { exact: true }).fill('#ff0000')
    await page.keyboard.press('g')
    await sketch.click(0.4, 0.4)
    await expect(sketch.colorAt(0.4, 0.4)).resolves.toEqual([255, 0, 0])
    await expect(sketch.colorAt(0.1, 0.1)).resolves.toEqual(WHITE)
    const filled = await sketch.pixels()
    await sketch.nextOutput(secondOutput)

    // The eraser (E) paints the paper back over the square's edge and the fill.
    await page.keyboard.press('e')
    for (let i = 0; i < 3; i++) await page.keyboard.press(']')
    await sketch.drag([[0.1, 0.4], [0.5, 0.4]])
    await expect(sketch.colorAt(0.2, 0.4)).resolves.toEqual(WHITE)
    await expect(sketch.colorAt(0.4, 0.4)).resolves.toEqual(WHITE)
    expect(await sketch.pixels()).not.toBe(filled)
    await page.keyboard.press('Control+z')
    await expect(sketch.pixels()).resolves.toBe(filled)
  })

  it('exports the output and the sketch as PNGs carrying Ganvas metadata', async () => {
    const output = await sketch.download('Export output')
    expect(output.name).toMatch(/^ganvas-output-tiny-sketch-\d{8}-\d{6}\.png$/)
    expect(output.bytes.includes(Buffer.from('iTXtganvas'))).toBe(true)
    expect(readGanvasMetadata(output.bytes)).toMatchObject({ model: 'Tiny sketches', family: 'pix2pix' })

    const drawing = await sketch.download('Export sketch')
    expect(drawing.name).toMatch(/^ganvas-sketch-tiny-sketch-\d{8}-\d{6}\.png$/)
    expect(drawing.bytes.includes(Buffer.from('iTXtganvas'))).toBe(true)
    expect(readGanvasMetadata(drawing.bytes)).toMatchObject({ kind: 'sketch', model: 'Tiny sketches', family: 'pix2pix', resolution: 512, modelResolution: 32, labels: null })
    await studio.screenshot('sketch')
    // serve.test.ts also writes sketch.png (its tour of the sections): keep a copy it cannot overwrite.
    await studio.screenshot('sketch-output')
  })

  it('loads an image as the sketch layer (undoable), and says so when a file is not an image', async () => {
    const before = await sketch.pixels()
    const shown = await sketch.outputSrc()
    const input = page.getByLabel('Image to load as the sketch')
    await input.setInputFiles({ name: 'photo.png', mimeType: 'image/png', buffer: await sharp({ create: { width: 64, height: 32, channels: 3, background: '#3366cc' } }).png().toBuffer() })
    await expect(sketch.colorAt(0.5, 0.5)).resolves.toEqual([0x33, 0x66, 0xcc])
    await expect(sketch.colorAt(0.5, 0.1)).resolves.toEqual(WHITE) // a wide image is fitted, centred on paper
    await sketch.nextOutput(shown)
    await sketch.button('Undo').click()
    await expect(sketch.pixels()).resolves.toBe(before)

    await input.setInputFiles({ name: 'notes.png', mimeType: 'image/png', buffer: Buffer.from('not a picture') })
    await expect(page.getByRole('alert').innerText()).resolves.toContain('Could not open “notes.png”')
    await expect(sketch.pixels()).resolves.toBe(before)
  })

  it('draws label maps in exact class colours', async () => {
    await page.getByRole('checkbox', { name: 'Label map' }).check()
    const classes = page.getByRole('group', { name: 'Label classes' })
    await classes.getByRole('radio', { name: 'window' }).check()
    await page.keyboard.press('b')
    const before = await sketch.pixels()
    await sketch.drag([[0.75, 0.1], [0.95, 0.1], [0.95, 0.3]])
    await expect(sketch.colorAt(0.95, 0.2)).resolves.toEqual([0x00, 0x55, 0xff])
    await expect(sketch.colorAt(0.85, 0.2)).resolves.toEqual(WHITE) // the paper beside it is left alone
    // Hard-edged strokes replay to the same pixels too.
    const after = await sketch.pixels()
    await page.keyboard.press('Control+z')
    await expect(sketch.pixels()).resolves.toBe(before)
    await page.keyboard.press('Control+y')
    await expect(sketch.pixels()).resolves.toBe(after)
    await studio.screenshot('sketch-label-map')

    // Zoom in with = (the + key) and back to the fitted view with 0.
    const zoom = page.getByRole('status', { name: 'Zoom level' })
    const fitted = await zoom.innerText()
    await page.keyboard.press('=')
    await expect(zoom.innerText()).resolves.not.toBe(fitted)
    await page.keyboard.press('0')
    await expect(zoom.innerText()).resolves.toBe(fitted)
  })
})
