/** Opens the training data a run asked for: scans the folders, then batches them for its family. */
import { createLoader, type BatchLoader, type LoaderState } from '../data/loader'
import type { Skipped } from '../data/types'
import { scanPaired, scanUnpaired, summarize, type DatasetSummary } from '../data/scan'
import { scanImages } from '../data/scan-images'
import type { Random } from '../random'
import type { DataSource, TrainOptions } from '../../shared/training'

export interface TrainingData {
  loader: BatchLoader
  summary: DatasetSummary
  /** Usable pairs (Pix2Pix) or images per epoch (CycleGAN, face generators). */
  usable: number
  /** Class names (one per subfolder) for class-conditional face data; otherwise null. */
  classes: string[] | null
  /** Every file the scan could not use, with the reason. */
  skipped: Skipped[]
}

/**
 * Every image is decoded once at scan time ('decode', ~5× slower than reading headers) so the
 * counts are true and truncated files are reported up front, not discovered mid-run.
 * `random` seeds a new run's loader; `state` (from a checkpoint) continues a resumed one, whose
 * loader then draws from its own saved RNG.
 */
export async function openDataset(
  options: TrainOptions,
  source: DataSource,
  random: Random,
  state?: unknown,
  onSkip?: (skipped: Skipped) => void,
): Promise<TrainingData> {
  const dataset = await scan(options, source)
  // A face generator sees whole images (no crop jitter) unless a load size is given.
  const loadSize = options.loadSize ?? (options.family === 'dcgan' ? options.size : undefined)
  const loader = createLoader(dataset, {
    size: options.size,
    batch: options.batch,
    flip: options.flip,
    seed: random,
    ...(loadSize ? { loadSize } : {}),
    ...(state ? { state: state as LoaderState } : {}),
    ...(onSkip ? { onSkip } : {}),
  })
  const usable = dataset.kind === 'unpaired' ? Math.max(dataset.a.length, dataset.b.length) : dataset.items.length
  const classes = dataset.kind === 'images' ? dataset.classes : null
  return { loader, summary: summarize(dataset), usable, classes, skipped: dataset.skipped }
}

function scan(options: TrainOptions, source: DataSource) {
  const oneFolder = (why: string) => {
    if ('dir' in source) return source.dir
    throw new Error(why)
  }
  switch (options.family) {
    case 'pix2pix':
      return scanPaired(oneFolder('Pix2Pix trains on one folder of pairs (side-by-side A|B images, or A/ and B/ subfolders): use --data DIR'), {
        direction: options.direction,
        verify: 'decode',
      })
    case 'cyclegan':
      return scanUnpaired('dir' in source ? source.dir : source, { direction: 'AtoB', verify: 'decode' })
    case 'dcgan':
      return scanImages(oneFolder('A face generator trains on one folder of images (or one subfolder per class): use --data DIR'), { verify: 'decode' })
  }
}
