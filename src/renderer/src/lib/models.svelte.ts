/** The model library ($GANVAS_HOME/models) as models.list reports it. */
import type { ModelEntry } from '../../../shared/schemas'
import { errorText, type GanvasClient } from './client'

export class ModelsStore {
  readonly #client: GanvasClient
  #entries = $state.raw<readonly ModelEntry[] | null>(null)
  #loading = $state.raw(false)
  #loadError = $state.raw<string | null>(null)

  constructor(client: GanvasClient) {
    this.#client = client
  }

  /** Null until the first answer arrives. */
  get entries(): readonly ModelEntry[] | null {
    return this.#entries
  }

  get loading(): boolean {
    return this.#loading
  }

  get loadError(): string | null {
    return this.#loadError
  }

  async refresh(): Promise<void> {
    this.#loading = true
    try {
      this.#entries = await this.#client.call('models.list', {})
      this.#loadError = null
    } catch (error) {
      this.#loadError = `Could not read the model library: ${errorText(error)}`
    } finally {
      this.#loading = false
    }
  }
}
