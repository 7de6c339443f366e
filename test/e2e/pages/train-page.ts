/** The Train section: the engine check and the job list. */
import type { Locator, Page } from 'playwright-core'

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
}
