/**
 * The transport's connection state as something components can read reactively. The source is
 * plain TypeScript outside Svelte, so it enters reactivity through createSubscriber: listening
 * starts when a component reads it and stops when none does.
 */
import { createSubscriber } from 'svelte/reactivity'
import type { ConnectionSource, ConnectionState } from './ws-bridge'

export class ConnectionStore {
  readonly #source: ConnectionSource
  readonly #subscribe: () => void

  constructor(source: ConnectionSource) {
    this.#source = source
    this.#subscribe = createSubscriber((update) => source.onStateChange(update))
  }

  get state(): ConnectionState {
    this.#subscribe()
    return this.#source.state
  }

  get failedAttempts(): number {
    this.#subscribe()
    return this.#source.failedAttempts
  }
}
