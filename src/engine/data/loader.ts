/**
 * The two training loaders: Pix2Pix pairs and CycleGAN's unpaired domains. Shuffling, prefetch,
 * exact resume and decode-failure handling live in BatchLoader (batch-loader.ts).
 */
import { basename, extname } from 'node:path'
import type { Random, RandomState } from '../random'
import { BatchLoader, type Loaded, type Slot } from './batch-loader'
import type { DecodeFn } from './decode'
import { planCropFlip } from './preprocess'
import type { ImageFolderDataset, PairedDataset, Skipped, UnpairedDataset } from './types'

export { BatchLoader } from './batch-loader'

export interface Batch {
  /** NHWC [batch, size, size, 3] floats in [-1, 1]: tf.tensor4d(a, [batch, size, size, 3]). */
  a: Float32Array
  /** The paired or unpaired B side; null for single-image data. */
  b: Float32Array | null
  /** Class indices per image, for class-conditional data; otherwise null. */
  labels: Int32Array | null
  batch: number
  size: number
  /** The pair's name (paired) or the A image's name (unpaired), per image. */
  names: string[]
  /** 0-based epoch this batch belongs to, and 0-based index of the batch in the whole run. */
  epoch: number
  step: number
}

export interface LoaderOptions {
  /** Crop size: the model's resolution. */
  size: number
  batch?: number
  /** Square size images are resized to before cropping; default defaultLoadSize(size). */
  loadSize?: number
  /** Random horizontal flips (default true). */
  flip?: boolean
  /** A seed, or a Random the loader takes over (e.g. a fork of the run's). Ignored when resuming. */
  seed: number | Random
  /** From checkpointState(): continue exactly where that loader's delivered batches ended. */
  state?: LoaderState
  /** Injectable for tests; default loadRgb. */
  decode?: DecodeFn
  /** Called once per file that fails to decode during the run. */
  onSkip?: (skipped: Skipped) => void
}

export interface LoaderState {
  version: 1
  /** Items per epoch when saved; a different count means the dataset changed. */
  count: number
  epoch: number
  cursor: number
  step: number
  /** The RNG before this epoch's shuffle: the order is rebuilt from it rather than stored. */
  epochRng: RandomState
  rng: RandomState
}

/** Pix2Pix: A and B of a pair get the same crop and flip, so they stay aligned. */
export class PairedLoader extends BatchLoader {
  constructor(
    readonly dataset: PairedDataset,
    options: LoaderOptions,
  ) {
    super(dataset.items.length, 'pairs', options)
  }

  protected planSlot(index: number, rng: Random): Slot {
    const crop = planCropFlip(rng, this.loadSize, this.size, this.flip)
    return { a: index, b: index, cropA: crop, cropB: crop }
  }

  protected loadSlot(slot: Slot): Promise<Loaded> {
    const items = this.dataset.items
    return this.withFallback('pair', items.length, slot.a, async (i) => {
      const item = items[i]!
      const [a, b] = await Promise.all([this.decodeRef(item.a), this.decodeRef(item.b)])
      return { a, b, name: item.name }
    })
  }
}

/**
 * CycleGAN, as the reference with serial_batches off: an epoch is max(|A|, |B|) items, A in
 * shuffled order (wrapping), B drawn at random; A and B are cropped and flipped independently.
 */
export class UnpairedLoader extends BatchLoader {
  constructor(
    readonly dataset: UnpairedDataset,
    options: LoaderOptions,
  ) {
    super(Math.max(dataset.a.length, dataset.b.length), 'images', options)
  }

  protected planSlot(index: number, rng: Random): Slot {
    const b = rng.int(this.dataset.b.length)
    const cropA = planCropFlip(rng, this.loadSize, this.size, this.flip)
    const cropB = planCropFlip(rng, this.loadSize, this.size, this.flip)
    return { a: index % this.dataset.a.length, b, cropA, cropB }
  }

  protected async loadSlot(slot: Slot): Promise<Loaded> {
    const { a: listA, b: listB } = this.dataset
    const [a, b] = await Promise.all([
      this.withFallback('a', listA.length, slot.a, async (i) => ({ image: await this.decodeRef(listA[i]!), name: stem(listA[i]!.path) })),
      this.withFallback('b', listB.length, slot.b, (i) => this.decodeRef(listB[i]!)),
    ])
    return { a: a.image, b, name: a.name }
  }
}

/** A face generator's images (and their classes): each image once per epoch, in shuffled order. */
export class ImageFolderLoader extends BatchLoader {
  constructor(
    readonly dataset: ImageFolderDataset,
    options: LoaderOptions,
  ) {
    super(dataset.items.length, 'images', options)
  }

  protected planSlot(index: number, rng: Random): Slot {
    const crop = planCropFlip(rng, this.loadSize, this.size, this.flip)
    return { a: index, b: index, cropA: crop, cropB: crop }
  }

  protected loadSlot(slot: Slot): Promise<Loaded> {
    const items = this.dataset.items
    return this.withFallback('image', items.length, slot.a, async (i) => {
      const item = items[i]!
      const a = await this.decodeRef(item.ref)
      return { a, name: stem(item.ref.path), ...(this.dataset.classes ? { label: item.label } : {}) }
    })
  }
}

export function createLoader(dataset: PairedDataset | UnpairedDataset | ImageFolderDataset, options: LoaderOptions): BatchLoader {
  switch (dataset.kind) {
    case 'paired':
      return new PairedLoader(dataset, options)
    case 'unpaired':
      return new UnpairedLoader(dataset, options)
    case 'images':
      return new ImageFolderLoader(dataset, options)
  }
}

const stem = (path: string) => basename(path, extname(path))
