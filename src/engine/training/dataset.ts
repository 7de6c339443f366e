/** Opens the training data a run asked for: scans the folders, then batches them for its family. */
import { createLoader, type BatchLoader, type LoaderState } from '../data/loader'
import type { Skipped } from '../data/types'
import { scanPaired, scanUnpaired, summarize, type DatasetSummary } from '../data/scan'
import type { Random } from '../random'
import type { DataSource, TrainOptions } from '../../shared/training'

export interface TrainingData {
  loader: BatchLoader
  summary: DatasetSummary
  /** Usable pairs (Pix2Pix) or images per epoch (CycleGAN). */
  usable: number
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
  const direction = options.family === 'pix2pix' ? options.direction : 'AtoB'
  const dataset =
    options.family === 'pix2pix'
      ? await scanPaired('dir' in source ? source.dir : refusePairOfFolders(), { direction, verify: 'decode' })
      : await scanUnpaired('dir' in source ? source.dir : source, { direction, verify: 'decode' })
  const loader = createLoader(dataset, {
    size: options.size,
    batch: options.batch,
    flip: options.flip,
    seed: random,
    ...(options.loadSize ? { loadSize: options.loadSize } : {}),
    ...(state ? { state: state as LoaderState } : {}),
    ...(onSkip ? { onSkip } : {}),
  })
  const usable = dataset.kind === 'paired' ? dataset.items.length : Math.max(dataset.a.length, dataset.b.length)
  return { loader, summary: summarize(dataset), usable, skipped: dataset.skipped }
}

function refusePairOfFolders(): never {
  throw new Error('Pix2Pix trains on one folder of pairs (side-by-side A|B images, or A/ and B/ subfolders): use --data DIR')
}
