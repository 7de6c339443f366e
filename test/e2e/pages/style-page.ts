/** The Style section as a user drives it: folder pickers, training settings, the run, and Apply. */
import type { Locator, Page } from 'playwright-core'

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')

export class StylePage {
  constructor(readonly page: Page) {}

  /** One side's panel ("Folder A" / "Folder B"). */
  side(letter: 'A' | 'B'): Locator {
    return this.page.getByRole('region', { name: `Folder ${letter}`, exact: true })
  }

  browserDialog(label: string): Locator {
    return this.page.getByRole('dialog', { name: `Choose ${label}` })
  }

  /**
   * Picks a folder through the serve-mode folder browser, with the keyboard: type-ahead to each
   * folder in `names` (an allowed root by its full path, then folder names) and Enter to open it,
   * then "Choose this folder". `beforeChoose` runs with the
   * dialog open on the last folder (for a screenshot).
   */
  async browseTo(label: string, names: string[], beforeChoose?: (dialog: Locator) => Promise<void>): Promise<void> {
    await this.page.getByRole('button', { name: `Browse for ${label}` }).click()
    const dialog = this.browserDialog(label)
    await dialog.waitFor()
    const list = dialog.getByRole('listbox')
    for (const name of names) {
      await dialog.getByRole('option', { name, exact: true }).waitFor()
      await list.focus()
      await list.pressSequentially(name, { delay: 20 })
      await dialog.getByRole('option', { name, exact: true, selected: true }).waitFor()
      await list.press('Enter')
      await dialog.locator('.where', { hasText: new RegExp(`${escape(name)}$`) }).waitFor()
    }
    await beforeChoose?.(dialog)
    await dialog.getByRole('button', { name: 'Choose this folder' }).click()
    await dialog.waitFor({ state: 'hidden' })
  }

  /** The input or select labelled `label` (regions share the folder pickers' names). */
  field(label: string, within: Locator | Page = this.page): Locator {
    return within.locator('input, select').and(within.getByLabel(label, { exact: true }))
  }

  get startButton(): Locator {
    return this.page.getByRole('button', { name: 'Start training' })
  }

  get run(): Locator {
    return this.page.getByRole('region', { name: /^(Train cyclegan|Starting the run)/ })
  }

  get apply(): Locator {
    return this.page.getByRole('region', { name: 'Apply a style' })
  }

  /** aria-valuenow of a progress bar, as a number. */
  static async progressOf(bar: Locator): Promise<number> {
    return Number(await bar.getAttribute('aria-valuenow'))
  }
}
