/**
 * Batches for training, epoch after epoch in a seeded shuffled order, with the next batch always
 * decoding while the current one trains.
 *
 * Exact resume: every random choice for a batch (which items, crops, flips) is drawn synchronously
 * when the batch is planned, before any pixel is decoded; checkpointState() is the state right
 * after planning the last batch handed out, so a prefetched-but-unused batch is planned again,
 * identically, by a loader resumed from it.
 *
 * A file that fails to decode mid-run (truncated, deleted) is reported once and replaced by the
 * next item in name order that decodes: the same substitute every time, so resume stays exact.
 */
import { Random, type RandomState } from '../random'
import { loadRgb, type DecodeFn, type RgbImage } from './decode'
import type { Batch, LoaderOptions, LoaderState } from './loader'
import { cropFlipToFloat, defaultLoadSize, type CropFlip } from './preprocess'
import { describeDecodeError } from './probe'
import { DatasetError, type ImageRef, type Skipped } from './types'

/** One image slot of a batch, as planned: item indices into the A and B lists, and their crops. */
export interface Slot {
  a: number
  b: number
  cropA: CropFlip
  cropB: CropFlip
}
export interface Loaded {
  a: RgbImage
  /** Absent for single-image data (a face generator's). */
  b?: RgbImage
  name: string
  /** The image's class, for class-conditional data. */
  label?: number
}
interface Planned {
  state: LoaderState
  promise: Promise<Batch>
}

/** A decode failure, carrying the file to report. */
class SkipError extends Error {
  constructor(readonly skipped: Skipped) {
    super(skipped.reason)
  }
}

export abstract class BatchLoader {
  readonly size: number
  readonly loadSize: number
  readonly batch: number
  readonly flip: boolean
  readonly stepsPerEpoch: number
  /** Files that failed to decode during this loader's life. */
  readonly skipped: Skipped[] = []
  /** False when resumed with a dataset of a different size: the RNG continues, in a new epoch. */
  readonly resumedExactly: boolean = true
  #rng: Random
  #epochRng: RandomState
  #order: number[] = []
  #cursor = 0
  #epoch = 0
  #step = 0
  #delivered: LoaderState
  #pending: Planned | undefined
  #bad = new Set<string>()
  #disposed = false
  #decode: DecodeFn
  #onSkip: ((s: Skipped) => void) | undefined

  protected constructor(
    protected readonly count: number,
    what: string,
    options: LoaderOptions,
  ) {
    this.size = options.size
    this.loadSize = options.loadSize ?? defaultLoadSize(options.size)
    this.batch = options.batch ?? 1
    this.flip = options.flip ?? true
    this.#decode = options.decode ?? loadRgb
    this.#onSkip = options.onSkip
    if (!Number.isInteger(this.batch) || this.batch < 1) throw new Error(`batch must be a positive integer, got ${this.batch}`)
    if (this.loadSize < this.size) throw new Error(`load size ${this.loadSize} is smaller than the crop size ${this.size}`)
    if (count < this.batch) {
      const message = `The batch size ${this.batch} is larger than the ${count} ${what} in the dataset.`
      throw new DatasetError(`${message} Use a batch of ${count} or fewer.`)
    }
    this.stepsPerEpoch = Math.floor(count / this.batch) // the last partial batch of an epoch is dropped
    const s = options.state
    if (s && s.version !== 1) throw new Error(`unknown data loader state version ${String(s.version)}`)
    this.#rng = s ? new Random(s.rng) : typeof options.seed === 'number' ? new Random(options.seed) : options.seed
    this.#epochRng = this.#rng.state
    if (s && s.count === count) {
      ;[this.#epoch, this.#cursor, this.#step, this.#epochRng] = [s.epoch, s.cursor, s.step, s.epochRng]
      this.#order = new Random(s.epochRng).shuffled(range(count))
    } else {
      if (s) {
        // The dataset changed since the checkpoint: the old order means nothing now, start a new epoch.
        this.resumedExactly = false
        ;[this.#epoch, this.#step] = [s.epoch + 1, s.step]
      }
      this.#order = this.#rng.shuffled(range(count))
    }
    this.#delivered = this.#snapshot()
  }

  /** Epoch of the last batch handed out (0 before the first). */
  get epoch(): number {
    return this.#delivered.epoch
  }

  /** Batches handed out so far, including those before a resume. */
  get step(): number {
    return this.#delivered.step
  }

  /** The next batch; the one after it starts decoding before this returns. */
  async next(): Promise<Batch> {
    if (this.#disposed) throw new Error('this data loader was disposed')
    const current = this.#pending ?? this.#plan()
    this.#pending = this.#plan()
    const batch = await current.promise
    if (current.state.step > this.#delivered.step) this.#delivered = current.state
    return batch
  }

  /** JSON-able; a loader built with { state } continues right after the last batch handed out. */
  checkpointState(): LoaderState {
    return structuredClone(this.#delivered)
  }

  /** Stops prefetching and waits for decoding already under way, so nothing is left running. */
  async dispose(): Promise<void> {
    this.#disposed = true
    const pending = this.#pending
    this.#pending = undefined
    await pending?.promise.catch(() => undefined)
  }

  protected abstract planSlot(index: number, rng: Random): Slot
  protected abstract loadSlot(slot: Slot): Promise<Loaded>

  /** Decodes at load size; a failure becomes a SkipError naming the file. */
  protected decodeRef(ref: ImageRef): Promise<RgbImage> {
    return this.#decode(ref, this.loadSize).catch((error: unknown) => {
      throw new SkipError({ path: ref.path, reason: describeDecodeError(error) })
    })
  }

  /** Loads item `start` of `list`, or the next one after it (wrapping) that decodes. */
  protected async withFallback<T>(list: string, n: number, start: number, load: (i: number) => Promise<T>): Promise<T> {
    for (let k = 0; k < n; k++) {
      const i = (start + k) % n
      const key = `${list}:${i}`
      if (this.#bad.has(key)) continue
      try {
        return await load(i)
      } catch (error) {
        if (!(error instanceof SkipError)) throw error
        if (this.#bad.has(key)) continue // a concurrent slot already reported it
        this.#bad.add(key)
        this.skipped.push(error.skipped)
        this.#onSkip?.(error.skipped)
      }
    }
    const first = this.skipped[0]
    const example = first ? ` (${first.path}: ${first.reason})` : ''
    throw new DatasetError(`None of the ${n} images could be decoded any more${example}. Check that the files still exist and are readable.`)
  }

  #plan(): Planned {
    if (this.#cursor + this.batch > this.count) {
      this.#epoch++
      this.#cursor = 0
      this.#epochRng = this.#rng.state
      this.#order = this.#rng.shuffled(range(this.count))
    }
    const slots = Array.from({ length: this.batch }, () => this.planSlot(this.#order[this.#cursor++]!, this.#rng))
    const [epoch, step] = [this.#epoch, this.#step++]
    const promise = this.#assemble(slots, epoch, step)
    promise.catch(() => undefined) // an abandoned prefetch must not become an unhandled rejection
    return { state: this.#snapshot(), promise }
  }

  async #assemble(slots: Slot[], epoch: number, step: number): Promise<Batch> {
    const px = this.size * this.size * 3
    const a = new Float32Array(this.batch * px)
    let b: Float32Array | null = null
    let labels: Int32Array | null = null
    const names = new Array<string>(this.batch)
    await Promise.all(
      slots.map(async (slot, k) => {
        const loaded = await this.loadSlot(slot)
        cropFlipToFloat(loaded.a, slot.cropA, this.size, a, k * px)
        if (loaded.b) cropFlipToFloat(loaded.b, slot.cropB, this.size, (b ??= new Float32Array(this.batch * px)), k * px)
        if (loaded.label !== undefined) (labels ??= new Int32Array(this.batch))[k] = loaded.label
        names[k] = loaded.name
      }),
    )
    return { a, b, labels, batch: this.batch, size: this.size, names, epoch, step }
  }

  #snapshot(): LoaderState {
    const [epoch, cursor, step] = [this.#epoch, this.#cursor, this.#step]
    return { version: 1, count: this.count, epoch, cursor, step, epochRng: this.#epochRng, rng: this.#rng.state }
  }
}

const range = (n: number) => Array.from({ length: n }, (_, i) => i)
