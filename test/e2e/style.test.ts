/**
 * Style end to end, as a new user in serve mode: pick two folders through the folder browser,
 * train a tiny CycleGAN, watch it in Train, stop it, find it in Models, then apply it to one image
 * (before/after) and to a folder (progress, gallery). Also: 10,000 images stay a small DOM.
 */
import { link, mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { Page } from 'playwright-core'
import { beforeAll, describe, expect, it } from 'vitest'
import { writeUnpairedDomains } from '../helpers/synthetic-images'
import { fakeModel, writeModelLibrary } from './pages/model-fixtures'
import { ModelsPage } from './pages/models-page'
import type { StudioPage } from './pages/studio-page'
import { ENGINE_READY_MS, useStudioSession } from './pages/studio-session'
import { StylePage } from './pages/style-page'

const IMAGES_PER_SIDE = 6
const MANY = 10_000
const MODEL_NAME = 'Nightfall shapes'

describe('Style section in serve mode', { timeout: 240_000 }, () => {
  const session = useStudioSession({
    name: 'style',
    prepareHome: writeModelLibrary, // a Pix2Pix model named "watercolour-pix2pix" (and a broken folder)
    prepareRoot: async (data) => {
      await writeUnpairedDomains(data, { count: IMAGES_PER_SIDE, size: 32, seed: 7 })
      await writeFile(join(data, 'trainA', 'notes.txt'), 'not an image\n')
      // 10,000 images for the virtualised grid: hard links to one file, so writing them is instant.
      const many = join(data, 'many')
      await mkdir(many)
      const source = join(data, 'trainB', 'shape-0000.png')
      for (let i = 0; i < MANY; i++) await link(source, join(many, `img-${String(i).padStart(5, '0')}.png`))
    },
  })
  let data = ''
  let page: Page
  let studio: StudioPage
  let style: StylePage

  beforeAll(() => {
    ;({ root: data, page, studio } = session)
    style = new StylePage(page)
  })

  it('picks folder A and B in the folder browser, shows counts, thumbnails and skipped files', async () => {
    await studio.goTo('Style')
    // A new user sees what to do first.
    await page.getByText('Choose a folder of images').first().waitFor()
    await expect(style.startButton.isDisabled()).resolves.toBe(true)

    // The browser starts at the folders this session may read (the app home and --root).
    await style.browseTo('Folder A', [data, 'trainA'], async (dialog) => {
      await dialog.getByText(`This folder: ${IMAGES_PER_SIDE} images and 1 other file.`).waitFor()
      await studio.screenshot('folder-picker')
    })
    await expect(style.field('Folder A').inputValue()).resolves.toBe(join(data, 'trainA'))
    await style.side('A').getByText(`${IMAGES_PER_SIDE} images`, { exact: true }).waitFor()
    await style.side('A').getByText('1 file skipped').waitFor()
    await style.side('A').getByText(/notes\.txt — not an image/).waitFor()
    const thumbsA = style.side('A').getByRole('list', { name: 'Images in folder A' })
    await thumbsA.getByRole('img', { name: 'shape-0000.png' }).waitFor()
    await expect(thumbsA.getByRole('listitem').count()).resolves.toBe(IMAGES_PER_SIDE)

    // The next browse starts beside folder A.
    await style.browseTo('Folder B', ['trainB'])
    await style.side('B').getByText(`${IMAGES_PER_SIDE} images`, { exact: true }).waitFor()
    await style.side('B').getByRole('list', { name: 'Images in folder B' }).getByRole('img', { name: 'shape-0005.png' }).waitFor()
    await expect(style.side('B').getByText(/skipped/).count()).resolves.toBe(0)
  })

  it('refuses a duplicate model name, then trains with small settings; the run shows in Train with progress and a sample', async () => {
    await style.field('Model name').fill('Watercolour/Pix2Pix')
    await page.getByText(`There is already a model in your library with the folder name “${fakeModel.folder}”.`, { exact: false }).waitFor()
    await expect(style.startButton.isDisabled()).resolves.toBe(true)
    await style.field('Model name').fill(MODEL_NAME)
    await page.getByText(`Saved in your library as the folder “${MODEL_NAME}”.`).waitFor()
    await style.field('Image size').selectOption({ label: '32 px — a quick test' })
    await style.field('Steps').fill('60')
    await page.getByText('Advanced settings', { exact: true }).click()
    await style.field('Generator width').fill('4')
    await style.field('Discriminator width').fill('4')
    await style.field('Residual blocks').fill('1')
    await style.field('Sample every').fill('2')
    await studio.waitForEngineReady(ENGINE_READY_MS)
    await expect(page.getByTestId('style-estimate').innerText()).resolves.toMatch(/^Rough estimate on the CPU \(WebAssembly\): .* for 60 steps/)
    await style.startButton.click()
    await style.run.waitFor()
    const runProgress = style.run.getByRole('progressbar', { name: 'Training progress' })
    await runProgress.waitFor({ timeout: 60_000 })
    // A sample grid on the Style page itself (the Train page is being rebuilt elsewhere).
    await style.run.getByRole('img', { name: /^Latest sample, step \d+/ }).waitFor({ timeout: 60_000 })
    await style.run.scrollIntoViewIfNeeded()
    await studio.screenshot('style-run')
    await page.getByRole('main').evaluate((main) => main.scrollTo({ top: 0 }))
    await studio.screenshot('style')

    // Train (rebuilt by another section's work) lists the run; its progress bar names the model.
    await studio.goTo('Train')
    const main = page.getByRole('main')
    await main.getByText(MODEL_NAME).first().waitFor()
    const trainProgress = main.getByRole('progressbar', { name: new RegExp(MODEL_NAME) }).first()
    if (!(await trainProgress.isVisible())) await main.getByText(MODEL_NAME).first().click() // select the run
    await expect.poll(() => StylePage.progressOf(trainProgress), { timeout: 60_000 }).toBeGreaterThan(2)
    await main.getByRole('img', { name: /sample/i }).first().waitFor({ timeout: 60_000 })
    await studio.screenshot('style-in-train')

    await studio.goTo('Style')
    await style.run.getByRole('button', { name: 'Stop training' }).click()
    await style.run.getByText('Stopped', { exact: true }).waitFor({ timeout: 60_000 })
    await style.run.getByText(`The model “${MODEL_NAME}” is in your library`, { exact: false }).waitFor()

    await studio.goTo('Models')
    const cardText = await new ModelsPage(page).cardText(MODEL_NAME)
    expect(cardText).toContain('CycleGAN')
    expect(cardText).toContain('32 × 32')
  })

  it('applies the model to one image (before/after) and to a folder (progress, gallery)', async () => {
    await studio.goTo('Style')
    const apply = style.apply
    await expect(style.field('Model', apply).inputValue()).resolves.toBe(MODEL_NAME)
    await apply.getByRole('radio', { name: 'A → B' }).check()
    await style.browseTo('Folder to restyle', ['trainA'])
    await apply.getByText(`${IMAGES_PER_SIDE} images`, { exact: true }).waitFor()

    // Keyboard: the grid is a listbox; → moves to the second image, Enter previews it.
    const inputs = apply.getByRole('listbox', { name: 'Images to restyle' })
    await inputs.getByRole('option', { name: 'shape-0001.png' }).waitFor()
    await inputs.focus()
    await inputs.press('ArrowRight')
    await inputs.press('Enter')
    await inputs.getByRole('option', { name: 'shape-0001.png', selected: true }).waitFor()
    const slider = apply.getByRole('slider', { name: 'Before and after divider' })
    await slider.waitFor({ timeout: 60_000 })
    await apply.getByRole('img', { name: 'After: restyled' }).waitFor()
    const before = apply.getByRole('img', { name: 'Before: original' })
    const clip = () => before.evaluate((img) => (img as unknown as { style: { clipPath: string } }).style.clipPath)
    await expect(clip()).resolves.toMatch(/^inset\(0(px)? 50% 0(px)? 0(px)?\)$/)
    await slider.focus()
    for (let i = 0; i < 20; i++) await slider.press('ArrowLeft')
    await expect(slider.inputValue()).resolves.toBe('30')
    await expect(clip()).resolves.toMatch(/^inset\(0(px)? 70% 0(px)? 0(px)?\)$/)

    const output = join(data, `trainA-${MODEL_NAME}`)
    await expect(style.field('Output folder', apply).inputValue()).resolves.toBe(output)
    await apply.getByRole('button', { name: `Restyle ${IMAGES_PER_SIDE} images` }).click()
    await apply.getByRole('progressbar', { name: 'Restyling progress' }).waitFor({ timeout: 60_000 })
    await apply.getByText(`Done: ${IMAGES_PER_SIDE} images restyled`).waitFor({ timeout: 60_000 })
    const gallery = apply.getByRole('list', { name: 'Results' })
    await gallery.getByRole('img', { name: 'shape-0005.png' }).waitFor()
    await expect(gallery.getByRole('listitem').count()).resolves.toBe(IMAGES_PER_SIDE)
    await apply.evaluate((panel) => panel.scrollIntoView({ block: 'start' }))
    await studio.screenshot('style-apply')
    await gallery.evaluate((grid) => grid.scrollIntoView({ block: 'end' }))
    await studio.screenshot('style-results')
  })

  it(`keeps ${MANY.toLocaleString('en-US')} thumbnails to a window of DOM nodes and scrolls to the end`, async () => {
    await studio.goTo('Style')
    const field = style.field('Folder B')
    await field.fill(join(data, 'many'))
    await field.press('Enter')
    await style.side('B').getByText(`${MANY.toLocaleString('en-US')} images`, { exact: true }).waitFor({ timeout: 60_000 })
    const grid = style.side('B').getByRole('list', { name: 'Images in folder B' })
    await grid.getByRole('img', { name: 'img-00000.png' }).waitFor()
    const rendered = await grid.getByRole('listitem').count()
    expect(rendered).toBeGreaterThan(10)
    expect(rendered).toBeLessThan(200)

    // Scroll to the very end: the last images get nodes and thumbnails; the first ones are gone.
    await grid.evaluate((el) => el.scrollTo({ top: el.scrollHeight }))
    await grid.getByRole('img', { name: 'img-09999.png' }).waitFor()
    await expect(grid.getByRole('img', { name: 'img-00000.png' }).count()).resolves.toBe(0)
    expect(await grid.getByRole('listitem').count()).toBeLessThan(200)
    // Half way, by keyboard focus and Page Down from there.
    await grid.evaluate((el) => el.scrollTo({ top: el.scrollHeight / 2 }))
    await grid.getByRole('img', { name: /^img-0[45]\d{3}\.png$/ }).first().waitFor()
    await studio.screenshot('style-many')
  })
})
