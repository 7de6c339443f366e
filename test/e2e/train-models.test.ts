/**
 * Train and Models end to end in serve mode, as a user: start a tiny Pix2Pix run from Train and
 * watch it (live loss chart, sample grids), pause and resume it, let it finish, scrub its grids;
 * start a face generator, stop it and resume it from its checkpoint; then in Models see the model,
 * rename it, export it as a zip, import the zip under another name and delete that copy.
 */
import { stat } from 'node:fs/promises'
import { join } from 'node:path'
import type { Page } from 'playwright-core'
import { beforeAll, describe, expect, it } from 'vitest'
import { writeCartoonFaces } from '../helpers/cartoon-faces'
import { writePairedShapes } from '../helpers/synthetic-images'
import { ModelsPage } from './pages/models-page'
import type { StudioPage } from './pages/studio-page'
import { ENGINE_READY_MS, useStudioSession } from './pages/studio-session'
import { TrainPage } from './pages/train-page'

const PIX_STEPS = 40
const FACE_STEPS = 30

describe('Train and Models in serve mode', { timeout: 180_000 }, () => {
  const session = useStudioSession({
    name: 'train',
    prepareRoot: async (root) => {
      await writePairedShapes(join(root, 'pairs'), { count: 8, size: 32, layout: 'aligned', seed: 5 })
      await writeCartoonFaces(join(root, 'faces'), { count: 16, size: 32, seed: 6 })
    },
  })
  let home = ''
  let root = ''
  let page: Page
  let studio: StudioPage
  let train: TrainPage
  let models: ModelsPage

  beforeAll(() => {
    ;({ home, root, page, studio } = session)
    train = new TrainPage(page)
    models = new ModelsPage(page)
  })

  it('starts a Pix2Pix run, charts every loss term live, pauses, resumes, finishes, and scrubs its grids', async () => {
    await studio.goTo('Train')
    await page.getByText('No training runs yet.').waitFor()
    await studio.waitForEngineReady(ENGINE_READY_MS)
    await train.fillRun({ family: 'Pix2Pix', folder: join(root, 'pairs'), name: 'shapes', size: '32', steps: PIX_STEPS, widths: 4, sampleEvery: 10 })
    await expect(train.form.innerText()).resolves.toContain('8 training pairs.')
    await studio.screenshot('train-new-run')
    await train.form.getByRole('button', { name: 'Start training' }).click()

    // The chart: a uPlot canvas with one series per loss term of Pix2Pix.
    const chart = train.chart('shapes')
    await chart.locator('canvas').first().waitFor({ timeout: 60_000 })
    await expect.poll(() => chart.getAttribute('data-series')).toBe('4')
    await expect(chart.locator('.u-legend .u-series').allInnerTexts()).resolves.toEqual(
      expect.arrayContaining([expect.stringContaining('G_GAN'), expect.stringContaining('G_L1'), expect.stringContaining('D_real'), expect.stringContaining('D_fake')]),
    )
    await train.sampleImage('shapes').waitFor({ timeout: 60_000 })
    await expect(train.detail('shapes').innerText()).resolves.toMatch(/Speed[\s\S]*images\/s[\s\S]*Time left/i)

    // Pause: the steps stop moving; Resume: they move again.
    await train.button('shapes', 'Pause').click()
    await train.waitForState('shapes', 'paused')
    const pausedAt = await train.chartStep('shapes')
    await page.waitForTimeout(1500)
    const stillAt = await train.chartStep('shapes')
    expect(stillAt - pausedAt).toBeLessThanOrEqual(1) // the step in flight may still land
    expect(stillAt).toBeLessThan(PIX_STEPS)
    await train.button('shapes', 'Resume').click()
    await train.waitForState('shapes', 'running')
    await train.waitForState('shapes', 'done', 90_000)
    await expect.poll(() => train.chartStep('shapes')).toBe(PIX_STEPS)
    await expect(chart.getAttribute('data-points')).resolves.toBe(String(PIX_STEPS))

    // The scrubber follows the newest grid, and moves back over every earlier one.
    const scrubber = train.scrubber('shapes')
    await expect.poll(() => scrubber.getAttribute('max')).toBe(String(PIX_STEPS / 10 - 1))
    await expect.poll(() => train.shownSampleStep('shapes')).toBe(PIX_STEPS)
    await scrubber.fill('0')
    await expect.poll(() => train.shownSampleStep('shapes')).toBe(10)
    await scrubber.focus()
    await page.keyboard.press('ArrowRight')
    await expect.poll(() => train.shownSampleStep('shapes')).toBe(20)
    await train.button('shapes', 'Newest').click()
    await expect.poll(() => train.shownSampleStep('shapes')).toBe(PIX_STEPS)
    // Its settings, as the run used them.
    const detail = await train.detail('shapes').innerText()
    expect(detail).toMatch(/Image size\s+32 × 32 px/)
    expect(detail).toMatch(/Generator width\s+4/)
    expect(detail).toMatch(/Trained on\s+8 pairs from pairs/)
    await studio.screenshot('train')
  })

  it('stops a face-generator run and resumes it from its checkpoint to the end', async () => {
    await train.startRun({ family: 'Face generator', folder: join(root, 'faces'), name: 'faces', size: '32', steps: FACE_STEPS, batch: 4, latent: 16, widths: 4, sampleEvery: 5 })
    const chart = train.chart('faces')
    await expect.poll(() => chart.getAttribute('data-series'), { timeout: 60_000 }).toBe('3') // G, D_real, D_fake
    await expect.poll(() => train.chartStep('faces'), { timeout: 60_000 }).toBeGreaterThanOrEqual(3)
    await train.button('faces', 'Stop').click()
    await train.waitForState('faces', 'stopped')
    const stoppedAt = await train.chartStep('faces')
    expect(stoppedAt).toBeLessThan(FACE_STEPS)
    await train.detail('faces').getByText(/^Stopped at step \d+; Resume continues from that checkpoint\.$/).waitFor()

    await train.button('faces', 'Resume').click()
    await train.waitForState('faces', 'running')
    await train.waitForState('faces', 'done', 90_000)
    await expect.poll(() => train.chartStep('faces')).toBe(FACE_STEPS)
    // One run with two attempts, its history continuous across the stop.
    await expect(train.chart('faces').getAttribute('data-points')).resolves.toBe(String(FACE_STEPS))
    await expect(train.runButton('faces').innerText()).resolves.toMatch(new RegExp(`Finished[\\s\\S]*DCGAN · ${FACE_STEPS} / ${FACE_STEPS}`))
    await expect(train.detail('faces').innerText()).resolves.toContain('2 attempts this session')
  })

  it('fine-tunes a new face generator from the one just trained; the base fixes its shape', async () => {
    await train.startRun({ family: 'Face generator', folder: join(root, 'faces'), name: 'faces tuned', from: 'faces', steps: 6, batch: 4, sampleEvery: 3 })
    await train.waitForState('faces tuned', 'done', 60_000)
    const detail = await train.detail('faces tuned').innerText()
    expect(detail).toMatch(/Fine-tuned from\s+faces/)
    expect(detail).toMatch(/Image size\s+32 × 32 px/)
    expect(detail).toMatch(/Latent size\s+16/)
    await expect(train.chart('faces tuned').getAttribute('data-series')).resolves.toBe('3')
  })

  it('shows the trained model in Models; renames, exports, imports and deletes (after a confirmation)', async () => {
    await studio.goTo('Models')
    const text = await models.cardText('shapes')
    expect(text).toContain('Pix2Pix')
    expect(text).toContain('32 × 32')
    expect(text).toContain(`${PIX_STEPS} steps`)
    expect(text).toContain('8 pairs from pairs')
    expect(text).toMatch(/Created\s+\w+/)
    await models.thumbnail('shapes').waitFor()
    expect(await models.cardText('faces')).toContain('DCGAN')
    expect(await models.cardText('faces tuned')).toMatch(/Fine-tuned from\s+faces/)

    await models.rename('shapes', 'Shapes v2')
    await expect(models.card('shapes').count()).resolves.toBe(0)

    const exported = await models.exportTo('Shapes v2', root)
    const zip = join(root, 'shapes.ganvas.zip')
    expect(exported).toContain(`Exported to ${zip}`)
    expect((await stat(zip)).size).toBeGreaterThan(1000)

    await models.importModel(zip, 'shapes copy')
    const copy = await models.cardText('shapes copy')
    expect(copy).toContain(`${PIX_STEPS} steps`)
    await models.thumbnail('shapes copy').waitFor()
    await studio.screenshot('models')

    // Delete: Cancel keeps it, the second time it goes.
    await models.action('shapes copy', 'Delete').click()
    const dialog = models.deleteDialog('shapes copy')
    await dialog.waitFor()
    await dialog.getByRole('button', { name: 'Cancel' }).click()
    await dialog.waitFor({ state: 'hidden' })
    await models.card('shapes copy').waitFor()
    await expect(stat(join(home, 'models', 'shapes copy'))).resolves.toBeTruthy()

    await models.action('shapes copy', 'Delete').click()
    await dialog.getByRole('button', { name: 'Delete model' }).click()
    await models.card('shapes copy').waitFor({ state: 'detached' })
    await expect(stat(join(home, 'models', 'shapes copy'))).rejects.toThrow()
    await models.card('Shapes v2').waitFor()
  })
})
