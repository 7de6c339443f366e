/** The Models section: one card per folder in the library. */
import type { Locator, Page } from 'playwright-core'

export class ModelsPage {
  constructor(readonly page: Page) {}

  card(name: string): Locator {
    return this.page.getByRole('article', { name, exact: true })
  }

  async cardText(name: string): Promise<string> {
    await this.card(name).waitFor()
    return this.card(name).innerText()
  }
}
