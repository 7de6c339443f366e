import type { GanvasEvent } from '../shared/contract'

/** Fan-out of host events to every connected renderer (windows, WebSocket clients). */
export class EventHub {
  readonly #listeners = new Set<(event: GanvasEvent) => void>()

  subscribe(listener: (event: GanvasEvent) => void): () => void {
    this.#listeners.add(listener)
    return () => this.#listeners.delete(listener)
  }

  emit = (event: GanvasEvent): void => {
    for (const listener of this.#listeners) {
      try {
        listener(event)
      } catch (error) {
        console.warn('[events] a listener failed:', error)
      }
    }
  }
}
