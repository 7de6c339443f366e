/**
 * How a training run reads to an artist: remaining time, speed, its settings as labelled rows,
 * and what it was trained on. Pure functions over the contract's loose records (a manifest's
 * `training` and `dataset` are free-form), tested beside this file.
 */
import type { ModelFamily } from '../../../../shared/schemas'
import { formatMetric, metricLabel } from '../format'

export const FAMILY_LABELS: Record<ModelFamily, string> = { pix2pix: 'Pix2Pix', cyclegan: 'CycleGAN', dcgan: 'Face generator (DCGAN)' }
/** Short names for badges. */
export const FAMILY_SHORT: Record<ModelFamily, string> = { pix2pix: 'Pix2Pix', cyclegan: 'CycleGAN', dcgan: 'DCGAN' }

export const isFamily = (value: unknown): value is ModelFamily => value === 'pix2pix' || value === 'cyclegan' || value === 'dcgan'

/** Time left: "45 s", "12 min", "2 h 5 min"; null (unknown) for anything not a finite, non-negative number. */
export function formatEta(seconds: number | null | undefined): string | null {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds) || seconds < 0) return null
  const s = Math.round(seconds)
  if (s < 60) return `${s} s`
  const minutes = Math.round(s / 60)
  if (minutes < 60) return `${minutes} min`
  const hours = Math.floor(minutes / 60)
  const rest = minutes % 60
  if (hours >= 48) return `${Math.round(hours / 24)} days`
  return rest === 0 ? `${hours} h` : `${hours} h ${rest} min`
}

/** Speed: "8.7 images/s", or "1 image every 12 s" when slower than one a second. */
export function formatRate(imagesPerSec: number | null | undefined): string | null {
  if (imagesPerSec === null || imagesPerSec === undefined || !Number.isFinite(imagesPerSec) || imagesPerSec <= 0) return null
  if (imagesPerSec >= 1) return `${formatMetric(imagesPerSec)} images/s`
  return `1 image every ${formatMetric(1 / imagesPerSec)} s`
}

/** The last path segment of a file or folder path, either separator. */
export const baseName = (path: string): string => path.split(/[\\/]/).filter(Boolean).pop() ?? path

export interface ConfigRow {
  key: string
  label: string
  value: string
}

const yesNo = (value: unknown) => (value ? 'on' : 'off')
const words: Record<string, string> = {
  vanilla: 'vanilla (cross-entropy)',
  lsgan: 'least squares (LSGAN)',
  bce: 'cross-entropy (BCE)',
  'wgan-gp': 'Wasserstein with gradient penalty (WGAN-GP)',
  hinge: 'hinge',
  AtoB: 'A → B',
  BtoA: 'B → A',
  auto: 'automatic',
}
const word = (value: unknown) => words[String(value)] ?? String(value)
const count = (value: unknown) => (typeof value === 'number' ? value.toLocaleString('en-US') : String(value))
const number = (value: unknown) => (typeof value === 'number' ? formatMetric(value) : String(value))

/** Options in the order an artist thinks of them; each with its label and how its value reads. */
const FIELDS: ReadonlyArray<readonly [key: string, label: string, show: (value: unknown) => string]> = [
  ['family', 'Family', (v) => (isFamily(v) ? FAMILY_LABELS[v] : String(v))],
  ['size', 'Image size', (v) => `${v} × ${v} px`],
  ['steps', 'Steps', count],
  ['batch', 'Batch size', count],
  ['direction', 'Direction', word],
  ['from', 'Fine-tuned from', (v) => baseName(String(v))],
  ['ngf', 'Generator width', count],
  ['ndf', 'Discriminator width', count],
  ['blocks', 'Residual blocks', count],
  ['z', 'Latent size', count],
  ['ganLoss', 'GAN loss', word],
  ['loss', 'Loss', word],
  ['lambdaL1', 'L1 weight (λ)', number],
  ['lambdaA', 'Cycle weight A (λ)', number],
  ['lambdaB', 'Cycle weight B (λ)', number],
  ['lambdaIdentity', 'Identity weight', number],
  ['poolSize', 'Image pool', count],
  ['nCritic', 'Critic steps per generator step', count],
  ['gpWeight', 'Gradient-penalty weight', number],
  ['spectralNorm', 'Spectral normalisation', yesNo],
  ['ema', 'Generator moving average', (v) => (v === 0 ? 'off' : `decay ${number(v)}`)],
  ['augment', 'Augmentation', (v) => (Array.isArray(v) && v.length > 0 ? v.join(', ') : 'none')],
  ['freezeD', 'Frozen discriminator blocks', count],
  ['classes', 'Classes', (v) => (Array.isArray(v) && v.length > 0 ? `${v.length}: ${v.join(', ')}` : 'none (unconditional)')],
  ['lr', 'Learning rate', number],
  ['beta1', 'Adam β1', number],
  ['beta2', 'Adam β2', number],
  ['decayFrom', 'Learning rate decays from', (v) => (v === 1 ? 'never (constant)' : `${Math.round(Number(v) * 100)}% of the run`)],
  ['flip', 'Random flips', yesNo],
  ['loadSize', 'Load size', (v) => `${v} px`],
  ['seed', 'Seed', String],
  ['sampleEvery', 'Sample grid every', (v) => `${count(v)} steps`],
  ['checkpointEvery', 'Checkpoint every', (v) => `${count(v)} steps`],
  ['backend', 'Backend', word],
  ['ganvasVersion', 'Ganvas version', String],
]
const KNOWN = new Set(FIELDS.map(([key]) => key))

/**
 * A run's options (TrainOptions, or a manifest's `training` record) as labelled rows. Unset
 * values are left out (an unset DCGAN learning rate follows its loss); keys this list does not
 * know are shown last with a label made from their name, so nothing the run used is hidden.
 */
export function configRows(options: Readonly<Record<string, unknown>>): ConfigRow[] {
  const shown = (value: unknown) => value !== undefined && value !== null && value !== ''
  const rows: ConfigRow[] = []
  for (const [key, label, show] of FIELDS) {
    const value = options[key]
    // An unconditional face generator still says so; other unset values are left out.
    if (shown(value) || (key === 'classes' && options.family === 'dcgan')) rows.push({ key, label, value: show(value) })
  }
  for (const [key, value] of Object.entries(options)) {
    if (KNOWN.has(key) || !shown(value)) continue
    rows.push({ key, label: metricLabel(key), value: typeof value === 'object' ? JSON.stringify(value) : String(value) })
  }
  return rows
}

const num = (record: Readonly<Record<string, unknown>>, key: string): number | null =>
  typeof record[key] === 'number' ? (record[key] as number) : null
const str = (record: Readonly<Record<string, unknown>>, key: string): string | null =>
  typeof record[key] === 'string' ? (record[key] as string) : null

const counted = (n: number, one: string, many = `${one}s`) => `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`

/**
 * A manifest's `dataset` in one line: "12 pairs from shapes", "40 images in 3 classes from faces",
 * "A: 30, B: 28 images", with skipped files counted. Null when there is none (an imported model).
 */
export function datasetSummary(dataset: Readonly<Record<string, unknown>> | null | undefined): string | null {
  if (!dataset) return null
  const kind = str(dataset, 'kind')
  const root = str(dataset, 'root')
  const from = root ? ` from ${baseName(root)}` : ''
  let text: string | null = null
  if (kind === 'paired' && num(dataset, 'pairs') !== null) {
    text = `${counted(num(dataset, 'pairs')!, 'pair')}${from}`
  } else if (kind === 'images' && num(dataset, 'images') !== null) {
    const classes = dataset.classes && typeof dataset.classes === 'object' ? Object.keys(dataset.classes as object).length : 0
    text = `${counted(num(dataset, 'images')!, 'image')}${classes > 0 ? ` in ${counted(classes, 'class', 'classes')}` : ''}${from}`
  } else if (kind === 'unpaired' && num(dataset, 'a') !== null && num(dataset, 'b') !== null) {
    const a = str(dataset, 'dirA')
    const b = str(dataset, 'dirB')
    text = `${counted(num(dataset, 'a')!, 'image')} in ${a ? baseName(a) : 'A'}, ${counted(num(dataset, 'b')!, 'image')} in ${b ? baseName(b) : 'B'}`
  }
  if (text === null) return null
  const skipped = num(dataset, 'skipped') ?? 0
  return skipped > 0 ? `${text} (${counted(skipped, 'file')} skipped)` : text
}

/** The data a run reads, in words: the folder (or both folders). */
export function describeDataSource(data: { dir: string } | { dirA: string; dirB: string }): string {
  return 'dir' in data ? data.dir : `${data.dirA} and ${data.dirB}`
}
