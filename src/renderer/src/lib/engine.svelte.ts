/** The engine's status, loaded once and then kept current by 'engine.status' events. */
import type { GanvasEvent } from '../../../shared/contract'
import type { BackendPreference, EngineStatus } from '../../../shared/schemas'
import { errorText, type GanvasClient } from './client'

export class EngineStore {
  readonly #client: GanvasClient
  #status = $state.raw<EngineStatus | null>(null)
  #loadError = $state.raw<string | null>(null)

  constructor(client: GanvasClient) {
    this.#client = client
  }

  get status(): EngineStatus | null {
    return this.#status
  }

  get loadError(): string | null {
    return this.#loadError
  }

  get isReady(): boolean {
    return this.#status?.state === 'ready'
  }

  async refresh(): Promise<void> {
    try {
      this.#status = await this.#client.call('engine.status', {})
      this.#loadError = null
    } catch (error) {
      this.#loadError = `Could not read the engine status: ${errorText(error)}`
    }
  }

  /** Throws so the caller can show the error beside its button. */
  async restart(backend?: BackendPreference): Promise<void> {
    this.#status = await this.#client.call('engine.restart', backend ? { backend } : {})
  }

  receive(event: GanvasEvent): void {
    if (event.type === 'engine.status') this.#status = event.status
  }
}
