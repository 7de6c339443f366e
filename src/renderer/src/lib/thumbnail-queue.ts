/**
 * Fetches thumbnails for whatever a virtualised grid shows, in batches (images.thumbnails takes
 * ≤ 200 paths), at most a couple of requests at a time. Scrolling replaces the wanted set, so a
 * fast fling never queues the thousands of images it flew past. Results land in `cache`, which
 * the component passes in as a SvelteMap (reactive per key); tests pass a plain Map.
 */

export interface Thumb {
  /** A data: URL, or null when the file could not be thumbnailed. */
  image: string | null
  problem: string | null
}

export type FetchThumbnails = (paths: string[]) => Promise<ReadonlyArray<{ path: string; image: string | null; problem: string | null }>>

export interface ThumbnailQueueOptions {
  fetch: FetchThumbnails
  cache: Map<string, Thumb>
  /** Paths per request (the contract allows 200; smaller batches show the first images sooner). */
  batchSize?: number
  maxInFlight?: number
  /** Thumbnails kept; the least recently wanted go first, never the ones wanted now. */
  capacity?: number
}

export class ThumbnailQueue {
  readonly #fetch: FetchThumbnails
  readonly #cache: Map<string, Thumb>
  readonly #batchSize: number
  readonly #maxInFlight: number
  readonly #capacity: number
  /** Recency of use, oldest first (kept apart from the cache so touching it re-renders nothing). */
  readonly #recency = new Map<string, true>()
  readonly #pending = new Set<string>()
  #wanted: readonly string[] = []
  #wantedSet = new Set<string>()
  #inFlight = 0
  #disposed = false

  constructor(options: ThumbnailQueueOptions) {
    this.#fetch = options.fetch
    this.#cache = options.cache
    this.#batchSize = Math.min(200, Math.max(1, options.batchSize ?? 48))
    this.#maxInFlight = Math.max(1, options.maxInFlight ?? 2)
    this.#capacity = Math.max(1, options.capacity ?? 1500)
  }

  get inFlight(): number {
    return this.#inFlight
  }

  /** The paths on screen now, in display order; replaces what was wanted before. */
  want(paths: readonly string[]): void {
    this.#wanted = paths
    this.#wantedSet = new Set(paths)
    for (const path of paths) {
      if (!this.#cache.has(path)) continue
      this.#recency.delete(path)
      this.#recency.set(path, true)
    }
    this.#pump()
  }

  dispose(): void {
    this.#disposed = true
    this.#wanted = []
    this.#wantedSet.clear()
  }

  #nextBatch(): string[] {
    const batch: string[] = []
    for (const path of this.#wanted) {
      if (batch.length >= this.#batchSize) break
      if (!this.#cache.has(path) && !this.#pending.has(path)) batch.push(path)
    }
    return batch
  }

  #pump(): void {
    while (!this.#disposed && this.#inFlight < this.#maxInFlight) {
      const batch = this.#nextBatch()
      if (batch.length === 0) return
      for (const path of batch) this.#pending.add(path)
      this.#inFlight++
      void this.#run(batch)
    }
  }

  async #run(batch: string[]): Promise<void> {
    let results: ReadonlyArray<{ path: string; image: string | null; problem: string | null }>
    try {
      results = await this.#fetch(batch)
    } catch (error) {
      // Mark them, so a broken connection does not turn into a request loop; a new grid retries.
      const problem = error instanceof Error ? error.message : String(error)
      results = batch.map((path) => ({ path, image: null, problem }))
    }
    this.#inFlight--
    for (const path of batch) this.#pending.delete(path)
    if (this.#disposed) return
    for (const { path, image, problem } of results) {
      this.#cache.set(path, { image, problem })
      this.#recency.delete(path)
      this.#recency.set(path, true)
    }
    this.#evict()
    this.#pump()
  }

  #evict(): void {
    if (this.#cache.size <= this.#capacity) return
    for (const path of this.#recency.keys()) {
      if (this.#cache.size <= this.#capacity) break
      if (this.#wantedSet.has(path)) continue
      this.#recency.delete(path)
      this.#cache.delete(path)
    }
  }
}
