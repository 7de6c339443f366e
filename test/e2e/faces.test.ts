/**
 * Faces end to end, as a new user in serve mode: an empty library says what to do; then two tiny
 * DCGANs (one unconditional, one with classes cats/dogs) appear on Refresh. Draw a grid, type
 * seeds, change ψ, pick two and scrub their interpolation, save a PNG (its iTXt carries seed and ψ)
 * and the GIF, pick a class, restore settings from the saved PNG (also across models), and make a
 * small data set through the folder browser.
 */
import { readdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { Page } from 'playwright-core'
import sharp from 'sharp'
import { beforeAll, describe, expect, it } from 'vitest'
import { readGanvasMetadata } from '../../src/engine/images/png-metadata'
import { saveFaceModel } from '../../src/engine/inference/face-test-models'
import { FacesPage } from './pages/faces-page'
import type { StudioPage } from './pages/studio-page'
import { ENGINE_READY_MS, useStudioSession } from './pages/studio-session'

const PLAIN = { id: 'tiny-faces', name: 'Tiny faces' }
const PETS = { id: 'tiny-pets', name: 'Tiny pets', classes: ['cats', 'dogs'] }

describe('Faces section in serve mode', { timeout: 180_000 }, () => {
  const session = useStudioSession({ name: 'faces', acceptDownloads: true })
  let home = ''
  let page: Page
  let studio: StudioPage
  let faces: FacesPage
  /** The PNG saved from the grid (seed 42, ψ 0.5, Tiny faces), reused to restore. */
  let savedPng = ''

  beforeAll(() => {
    ;({ home, page, studio } = session)
    faces = new FacesPage(page)
  })

  it('says what to do with no face models, and shows new ones on Refresh', async () => {
    await studio.goTo('Faces')
    await page.getByRole('heading', { name: /^No face models yet — train one in Train \(a folder of images\), or/ }).waitFor()
    await studio.screenshot('faces-empty')

    await saveFaceModel(join(home, 'models', PLAIN.id), null, PLAIN.name)
    await saveFaceModel(join(home, 'models', PETS.id), PETS.classes, PETS.name)
    await faces.button('Refresh models').click()
    await faces.modelSelect.waitFor()
    // Sorted by name: the unconditional model comes first and has no class picker.
    await expect(faces.modelSelect.inputValue()).resolves.toBe(PLAIN.id)
    await expect(faces.classSelect.count()).resolves.toBe(0)
  })

  it('draws a grid of 16 seeds, then seeds typed by hand', async () => {
    await studio.waitForEngineReady(ENGINE_READY_MS)
    await faces.waitForGrid(Array.from({ length: 16 }, (_, i) => i + 1))
    const first = await faces.imageOf(1)
    expect(first).not.toBe(await faces.imageOf(2))

    await faces.seedsField.fill('42, 7, 1000-1002')
    await faces.seedsField.press('Enter')
    await faces.waitForGrid([42, 7, 1000, 1001, 1002])

    // A typo is refused beside the field; the grid keeps what it had.
    await faces.seedsField.fill('42, cat')
    await faces.seedsField.press('Enter')
    await page.getByRole('alert').filter({ hasText: '“cat” is not a seed or a range' }).waitFor()
    await expect(faces.tiles.count()).resolves.toBe(5)
    await faces.seedsField.fill('42, 7, 1000-1002')
    await faces.seedsField.press('Enter')
  })

  it('changes the faces with truncation ψ', async () => {
    const before = await faces.imageOf(42)
    await faces.psiSlider.focus()
    for (let i = 0; i < 10; i++) await page.keyboard.press('ArrowLeft')
    await expect(faces.psiSlider.inputValue()).resolves.toBe('0.5')
    await expect.poll(() => faces.imageOf(42), { timeout: 30_000 }).not.toBe(before)
    await faces.waitForIdle()
    expect(await faces.imageOf(42)).not.toBe(before)
  })

  it('picks two samples, scrubs their interpolation and exports a PNG and the GIF', async () => {
    await faces.tile(42).click()
    // The grid is one tab stop; arrows move between samples and Space picks.
    await page.keyboard.press('ArrowRight')
    await page.keyboard.press('ArrowRight')
    await expect(faces.isFocused(faces.tile(1000))).resolves.toBe(true)
    await page.keyboard.press('Space')
    await expect(faces.tile(42).getAttribute('aria-pressed')).resolves.toBe('true')
    await expect(faces.tile(1000).getAttribute('aria-pressed')).resolves.toBe('true')
    await expect(faces.tile(7).getAttribute('aria-pressed')).resolves.toBe('false')

    await faces.frameImage.waitFor({ timeout: 60_000 })
    await expect(faces.frameImage.getAttribute('alt')).resolves.toMatch(/^Frame 1 of 24, t = 0\.00 from seed 42 to seed 1000$/)
    const start = await faces.frameImage.getAttribute('src')
    // Scrub by keyboard: End jumps to B, arrows step.
    await faces.frameSlider.focus()
    await page.keyboard.press('End')
    await expect(faces.frameImage.getAttribute('alt')).resolves.toMatch(/^Frame 24 of 24, t = 1\.00/)
    const end = await faces.frameImage.getAttribute('src')
    expect(end).not.toBe(start)
    await page.keyboard.press('ArrowLeft')
    await expect(faces.frameImage.getAttribute('alt')).resolves.toMatch(/^Frame 23 of 24/)
    expect(await faces.frameImage.getAttribute('src')).not.toBe(end)
    await studio.screenshot('faces')

    // Save selected: one PNG per picked sample; the first is seed 42 with ψ 0.5 in its iTXt.
    const saved: Array<Promise<string>> = []
    page.on('download', (d) => {
      // Saved under the suggested name, as a user's browser would.
      const path = join(home, d.suggestedFilename())
      saved.push(d.saveAs(path).then(() => path))
    })
    await faces.button('Save selected as PNG').click()
    await expect.poll(() => saved.length, { timeout: 15_000 }).toBe(2)
    const paths = await Promise.all(saved)
    expect(paths.map((p) => p.slice(home.length + 1)).sort()).toEqual(['tiny-faces-seed-0042.png', 'tiny-faces-seed-1000.png'])
    savedPng = join(home, 'tiny-faces-seed-0042.png')
    const metadata = readGanvasMetadata(await readFile(savedPng))
    expect(metadata).toMatchObject({ kind: 'sample', seed: 42, psi: 0.5, model: PLAIN.name, class: null })
    page.removeAllListeners('download')

    const gif = await faces.download(() => faces.button('Export GIF').click())
    expect(gif.download.suggestedFilename()).toBe('tiny-faces-interp-0042-1000.gif')
    expect(gif.bytes.subarray(0, 6).toString('latin1')).toBe('GIF89a')
  })

  it('picks a class on the conditional model', async () => {
    await faces.modelSelect.selectOption(PETS.id)
    await faces.classSelect.waitFor()
    await faces.waitForGrid([42, 7, 1000, 1001, 1002])
    // Every class: seeds spread over the classes (seed mod 2).
    await faces.tile(42).getByText('cats').waitFor()
    await faces.tile(7).getByText('dogs').waitFor()
    const spread = await faces.imageOf(42)

    await faces.classSelect.selectOption('dogs')
    await expect.poll(() => faces.grid.locator('.cls').allTextContents(), { timeout: 30_000 }).toEqual(Array(5).fill('dogs'))
    await faces.waitForIdle()
    expect(await faces.imageOf(42)).not.toBe(spread)
  })

  it('restores seed and settings from a saved PNG, offering to switch to its model', async () => {
    // Move away from what the PNG holds: other seeds, ψ 1.
    await faces.button('Shuffle').click()
    await faces.psiSlider.focus()
    await page.keyboard.press('End')
    await faces.waitForIdle()
    const shuffled = (await faces.seedsField.inputValue()).split(/,\s*/).map(Number)
    expect(shuffled).toHaveLength(5)
    expect(shuffled).not.toContain(42)

    // The file input is the keyboard's (and a test's) way in; dropping the file does the same.
    await page.getByLabel('Choose a Ganvas PNG').setInputFiles(savedPng)
    const question = page.getByRole('alert').filter({ hasText: 'was made with “Tiny faces”, not “Tiny pets”' })
    await question.waitFor()
    await question.getByRole('button', { name: 'Switch to “Tiny faces”' }).click()

    await page.getByRole('status').filter({ hasText: 'Restored seed 42, ψ 0.50 from tiny-faces-seed-0042.png on “Tiny faces”.' }).waitFor()
    await expect(faces.modelSelect.inputValue()).resolves.toBe(PLAIN.id)
    await expect(faces.psiSlider.inputValue()).resolves.toBe('0.5')
    expect((await faces.seedsField.inputValue()).startsWith('42,')).toBe(true)
    await faces.waitForIdle()
    await expect(faces.tiles.first().getAttribute('aria-label')).resolves.toBe('Seed 42')
    await expect(faces.tile(42).getAttribute('aria-pressed')).resolves.toBe('true')

    // Dropped anywhere on Faces: a PNG without Ganvas settings is explained, not silently ignored.
    const plain = join(home, 'plain.png')
    await sharp({ create: { width: 8, height: 8, channels: 3, background: '#886644' } }).png().toFile(plain)
    await faces.dropFile(page.getByRole('main'), 'plain.png', await readFile(plain))
    await page.getByRole('alert').filter({ hasText: 'plain.png has no Ganvas settings in it' }).waitFor()
    // Dropping the saved PNG works like choosing it: here it is already restored, so nothing changes.
    await faces.dropFile(faces.grid, 'tiny-faces-seed-0042.png', await readFile(savedPng))
    await page.getByRole('status').filter({ hasText: 'Restored seed 42, ψ 0.50 from tiny-faces-seed-0042.png' }).waitFor()
  })

  it('makes a data set into a folder chosen in the folder browser and sees the job finish', async () => {
    const output = page.getByLabel('Output folder (full path)')
    await output.fill('relative/folder')
    await output.blur()
    await page.getByText(/^Write the full path, starting with/).waitFor()

    await faces.button('Browse…').click()
    const dialog = page.getByRole('dialog', { name: 'Choose a folder' })
    // The app home is the only folder this session may use, so the browser opens in it.
    await dialog.locator('.where', { hasText: home }).waitFor()
    await dialog.getByRole('option', { name: 'models', exact: true }).waitFor()
    await dialog.getByRole('button', { name: 'Choose this folder' }).click()
    await expect(output.inputValue()).resolves.toBe(join(home, 'tiny-faces-dataset'))

    await page.getByLabel('Number of images').fill('5')
    await page.getByLabel('First seed').fill('3')
    await faces.button('Make data set').click()
    await page.getByRole('status').filter({ hasText: /^Wrote 5 images into/ }).waitFor({ timeout: 60_000 })
    const card = page.getByRole('article', { name: /^Make a data set of 5 images/ })
    await expect(card.getAttribute('data-state')).resolves.toBe('done')
    const files = (await readdir(join(home, 'tiny-faces-dataset'))).sort()
    expect(files).toEqual(['seed-0003.png', 'seed-0004.png', 'seed-0005.png', 'seed-0006.png', 'seed-0007.png'])
    expect(readGanvasMetadata(await readFile(join(home, 'tiny-faces-dataset', 'seed-0005.png')))).toMatchObject({ seed: 5, psi: 0.5 })
    await page.getByRole('status').filter({ hasText: /^Wrote 5 images/ }).getByRole('link', { name: 'Train' }).waitFor()
    await card.scrollIntoViewIfNeeded()
    await studio.screenshot('faces-dataset')
  })
})
