/** The Models section: one card per folder in the library, its actions, and the imports. */
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

  thumbnail(name: string): Locator {
    return this.card(name).getByRole('img', { name: new RegExp(`^Latest sample of ${name}, step \\d+$`) })
  }

  action(name: string, verb: 'Rename' | 'Export' | 'Delete'): Locator {
    return this.card(name).getByRole('button', { name: `${verb} ${name}`, exact: true })
  }

  async rename(from: string, to: string): Promise<void> {
    await this.action(from, 'Rename').click()
    const field = this.card(from).getByLabel(`New name for ${from}`)
    await field.fill(to)
    await field.press('Enter')
    await this.card(to).waitFor()
  }

  /** Exports through the dialog, typing the folder; returns the sentence the card shows. */
  async exportTo(name: string, folder: string): Promise<string> {
    await this.action(name, 'Export').click()
    const dialog = this.page.getByRole('dialog', { name: `Export “${name}”` })
    const field = dialog.getByRole('textbox', { name: 'Export folder', exact: true })
    await field.fill(folder)
    await field.press('Enter')
    await dialog.getByRole('button', { name: 'Export', exact: true }).click()
    await dialog.waitFor({ state: 'hidden' })
    const done = this.card(name).getByRole('status')
    await done.waitFor()
    return done.innerText()
  }

  async importModel(source: string, name: string): Promise<void> {
    const panel = this.page.getByRole('form', { name: 'Import a Ganvas model' })
    await panel.getByLabel('Zip or folder (full path)').fill(source)
    await panel.getByLabel('Name in the library').fill(name)
    await panel.getByRole('button', { name: /^Import (zip|folder)$/ }).click()
    await this.card(name).waitFor()
  }

  deleteDialog(name: string): Locator {
    return this.page.getByRole('dialog', { name: `Delete “${name}”?` })
  }
}
