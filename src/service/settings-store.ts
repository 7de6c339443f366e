import { readFile } from 'node:fs/promises'
import { Settings, defaultSettings } from '../shared/schemas'
import { writeFileAtomic } from '../engine/storage/atomic-write'

/** settings.json under the app home. A damaged file falls back to defaults and is not overwritten until the user changes a setting. */
export class SettingsStore {
  #current: Settings = defaultSettings
  #problem: string | null = null

  constructor(private readonly file: string) {}

  async load(): Promise<Settings> {
    let text: string
    try {
      text = await readFile(this.file, 'utf8')
    } catch {
      return (this.#current = { ...defaultSettings })
    }
    let json: unknown
    try {
      json = JSON.parse(text)
    } catch {
      this.#problem = `${this.file} is not valid JSON; using default settings`
      return (this.#current = { ...defaultSettings })
    }
    const parsed = Settings.partial().safeParse(json)
    if (!parsed.success) {
      this.#problem = `${this.file} has invalid values; using default settings`
      return (this.#current = { ...defaultSettings })
    }
    return (this.#current = { ...defaultSettings, ...parsed.data })
  }

  get current(): Settings {
    return this.#current
  }

  get problem(): string | null {
    return this.#problem
  }

  async update(patch: Partial<Settings>): Promise<Settings> {
    this.#current = Settings.parse({ ...this.#current, ...patch })
    await writeFileAtomic(this.file, JSON.stringify(this.#current, null, 2) + '\n')
    this.#problem = null
    return this.#current
  }
}
