/** Saved settings and app facts (version, data folder) the views need. */
import type { Output } from '../../../shared/contract'
import type { Settings } from '../../../shared/schemas'
import { errorText, type GanvasClient } from './client'

export type AppInfo = Output<'app.info'>

export class SettingsStore {
  readonly #client: GanvasClient
  #settings = $state.raw<Settings | null>(null)
  #appInfo = $state.raw<AppInfo | null>(null)
  #loadError = $state.raw<string | null>(null)

  constructor(client: GanvasClient) {
    this.#client = client
  }

  get current(): Settings | null {
    return this.#settings
  }

  get appInfo(): AppInfo | null {
    return this.#appInfo
  }

  get loadError(): string | null {
    return this.#loadError
  }

  async refresh(): Promise<void> {
    try {
      const [settings, appInfo] = await Promise.all([
        this.#client.call('settings.get', {}),
        this.#client.call('app.info', {}),
      ])
      this.#settings = settings
      this.#appInfo = appInfo
      this.#loadError = null
    } catch (error) {
      this.#loadError = `Could not load the settings: ${errorText(error)}`
    }
  }

  /** Saving another backend makes the host restart the engine on it; throws for the caller. */
  async update(patch: Partial<Settings>): Promise<void> {
    this.#settings = await this.#client.call('settings.update', patch)
  }
}
