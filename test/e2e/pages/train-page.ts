/** The Train section: the engine check, the runs (list and detail), the new-run form, other jobs. */
import type { Locator, Page } from 'playwright-core'

export interface RunSettings {
  family: 'Pix2Pix' | 'Face generator'
  folder: string
  name: string
  /** Image size; leave out when fine-tuning (the base model fixes it). */
  size?: string
  /** Fine-tune from this library model (its option text starts with “Fine-tune “<name>””). */
  from?: string
  steps: number
  batch?: number
  /** Face generator only. */
  latent?: number
  /** Under "More settings". */
  widths?: number
  sampleEvery?: number
}

export class TrainPage {
  constructor(readonly page: Page) {}

  get runCheckButton(): Locator {
    return this.page.getByRole('button', { name: 'Run engine check' })
  }

  get checkResult(): Locator {
    return this.page.locator('section[aria-labelledby="engine-check-heading"] .result')
  }

  jobCard(title: RegExp): Locator {
    return this.page.getByRole('article').filter({ has: this.page.getByRole('heading', { name: title }) })
  }

  /** Starts the check and waits until it is no longer running; returns the final sentence. */
  async runEngineCheck(timeout: number): Promise<{ state: string; text: string }> {
    await this.runCheckButton.click()
    await this.page.locator('.result[data-state="running"], .result[data-state="done"]').first().waitFor({ timeout: 30_000 })
    const finished = this.page.locator('.result[data-state="done"], .result[data-state="failed"], .result[data-state="cancelled"]')
    await finished.first().waitFor({ timeout })
    return {
      state: (await this.checkResult.getAttribute('data-state')) ?? '',
      text: (await this.checkResult.innerText()).trim(),
    }
  }

  get form(): Locator {
    return this.page.getByRole('form', { name: 'New training run' })
  }

  /** Opens the new-run form, fills it as a user would and presses Start training. */
  async startRun(settings: RunSettings): Promise<void> {
    await this.fillRun(settings)
    await this.form.getByRole('button', { name: 'Start training' }).click()
    await this.form.waitFor({ state: 'detached' })
  }

  /** Opens the new-run form and fills it, without starting. */
  async fillRun(settings: RunSettings): Promise<void> {
    await this.page.getByRole('button', { name: 'New run' }).click()
    const form = this.form
    await form.getByRole('radio', { name: new RegExp(`^${settings.family}`) }).check()
    const folder = form.getByRole('textbox', { name: 'Data folder', exact: true })
    await folder.fill(settings.folder)
    await folder.press('Enter') // commits the path: the folder is scanned
    await form.getByText(/^\d+ training (pair|image)s?/).waitFor()
    await form.getByLabel('Model name', { exact: true }).fill(settings.name)
    if (settings.from !== undefined) {
      const from = form.getByLabel('Start from', { exact: true })
      const option = from.getByRole('option', { name: new RegExp(`^Fine-tune “${settings.from}”`) })
      await from.selectOption({ label: (await option.textContent())!.trim() })
    }
    if (settings.size !== undefined) await form.getByLabel('Image size', { exact: true }).selectOption(settings.size)
    await form.getByLabel('Steps', { exact: true }).fill(String(settings.steps))
    if (settings.batch !== undefined) await form.getByLabel('Batch size', { exact: true }).fill(String(settings.batch))
    if (settings.latent !== undefined) await form.getByLabel('Latent size', { exact: true }).fill(String(settings.latent))
    await form.getByText('More settings').click()
    if (settings.widths !== undefined) {
      await form.getByLabel('Generator width', { exact: true }).fill(String(settings.widths))
      await form.getByLabel('Discriminator width', { exact: true }).fill(String(settings.widths))
    }
    if (settings.sampleEvery !== undefined) await form.getByLabel('Sample every', { exact: true }).fill(String(settings.sampleEvery))
  }

  /** The run list's entry for a model (a button naming the run). */
  runButton(model: string): Locator {
    return this.page.getByRole('list', { name: 'Training runs' }).locator(`button[data-model="${model}"]`)
  }

  /** The shown run's detail (one at a time). */
  detail(model: string): Locator {
    return this.page.locator(`article.run-detail[data-model="${model}"]`)
  }

  async waitForState(model: string, state: string, timeout = 60_000): Promise<void> {
    await this.page.locator(`article.run-detail[data-model="${model}"][data-state="${state}"]`).waitFor({ timeout })
  }

  chart(model: string): Locator {
    return this.detail(model).getByRole('img', { name: /^Loss chart of / })
  }

  /** The step each drawn point of the chart's newest point is at, from its accessible description. */
  async chartStep(model: string): Promise<number> {
    const label = (await this.chart(model).getAttribute('aria-label')) ?? ''
    return Number(/at step (\d+)/.exec(label)?.[1] ?? -1)
  }

  sampleImage(model: string): Locator {
    return this.detail(model).getByRole('img', { name: /^Sample grid of .* at step \d+$/ })
  }

  scrubber(model: string): Locator {
    return this.detail(model).getByRole('slider', { name: 'Sample grid' })
  }

  async shownSampleStep(model: string): Promise<number> {
    const alt = (await this.sampleImage(model).getAttribute('alt')) ?? ''
    return Number(/at step (\d+)$/.exec(alt)?.[1] ?? -1)
  }

  button(model: string, name: string): Locator {
    return this.detail(model).getByRole('button', { name, exact: true })
  }
}
