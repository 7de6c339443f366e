/**
 * Sample grids and thumbnails read through images.read, kept for a while: scrubbing back and forth
 * over a run's grids must not ask the host again for each one. Least recently used first out.
 */
import type { GanvasClient } from '../client'

export interface ReadImage {
  image: string
  width: number
  height: number
}

export class ImageCache {
  readonly #entries = new Map<string, Promise<ReadImage>>()

  constructor(
    private readonly client: GanvasClient,
    private readonly maxSize: number,
    private readonly limit = 48,
  ) {}

  read(path: string): Promise<ReadImage> {
    const hit = this.#entries.get(path)
    if (hit) {
      // Most recently used last.
      this.#entries.delete(path)
      this.#entries.set(path, hit)
      return hit
    }
    const reading = this.client.call('images.read', { path, maxSize: this.maxSize })
    this.#entries.set(path, reading)
    // A failure is not remembered: the file may appear (it is written atomically) or be readable later.
    reading.catch(() => this.#entries.delete(path))
    while (this.#entries.size > this.limit) this.#entries.delete(this.#entries.keys().next().value!)
    return reading
  }
}
