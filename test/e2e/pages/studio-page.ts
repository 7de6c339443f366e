/** The studio shell as a user sees it: navigation, headings and the status bar. */
import { mkdir } from 'node:fs/promises'
import { join } from 'node:path'
import type { Locator, Page } from 'playwright-core'

export const SECTION_LABELS = ['Sketch', 'Style', 'Faces', 'Train', 'Models'] as const
export type SectionLabel = (typeof SECTION_LABELS)[number]

export class StudioPage {
  readonly errors: string[] = []

  constructor(readonly page: Page) {
    // Any script error or CSP violation in the page fails the test that caused it.
    page.on('pageerror', (error) => this.errors.push(`pageerror: ${error.message}`))
    page.on('console', (message) => {
      const text = message.text()
      if (message.type() === 'error') {
        this.errors.push(`console: ${text}`)
      }
    })
  }

  async open(tokenedUrl: string): Promise<void> {
    await this.page.goto(tokenedUrl)
    await this.navLink('Sketch').waitFor()
  }

  navLink(label: SectionLabel): Locator {
    return this.page.getByRole('navigation', { name: 'Studio sections' }).getByRole('link', { name: label, exact: true })
  }

  heading(label: SectionLabel): Locator {
    return this.page.getByRole('heading', { level: 1, name: label, exact: true })
  }

  async goTo(label: SectionLabel): Promise<void> {
    await this.navLink(label).click()
    await this.heading(label).waitFor()
  }

  get backend(): Locator {
    return this.page.getByTestId('engine-backend')
  }

  get engineState(): Locator {
    return this.page.locator('.status-bar .engine')
  }

  get connection(): Locator {
    return this.page.locator('.status-bar .connection')
  }

  async waitForEngineReady(timeout: number): Promise<void> {
    await this.page.locator('.status-bar .engine[data-state="ready"]').waitFor({ timeout })
  }

  async openBackendSettings(): Promise<Locator> {
    await this.page.getByRole('button', { name: 'Backend settings' }).click()
    const dialog = this.page.getByRole('dialog', { name: 'Engine' })
    await dialog.waitFor()
    return dialog
  }

  async screenshot(name: string): Promise<string> {
    const dir = join('test-results', 'screenshots')
    await mkdir(dir, { recursive: true })
    const path = join(dir, `${name}.png`)
    await this.page.screenshot({ path, animations: 'disabled' })
    return path
  }
}
