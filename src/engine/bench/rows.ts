/**
 * The benchmark's rows (issue 7): the published architectures at their published sizes, keyed by
 * id. A row's plan (sizes, widths, repetitions) is plain JSON, and the same plan drives the Ganvas
 * measurement (measure.ts, in a child process per row) and the PyTorch one (bench/pytorch_bench.py),
 * so both sides always time the same thing.
 */

export const ROW_IDS = [
  'unet.infer',
  'resnet.infer',
  'dcgan.infer',
  'pix2pix.train',
  'cyclegan.train',
  'dcgan.train',
  'unet.load',
  'resnet.load',
  'dcgan.load',
] as const
export type RowId = (typeof ROW_IDS)[number]
export type RowKind = 'infer' | 'train' | 'load'

export const isRowId = (id: string): id is RowId => (ROW_IDS as readonly string[]).includes(id)
export const rowKind = (id: RowId) => id.split('.')[1] as RowKind

/** Sizes and repetitions of a whole run; `ganvas bench` uses `fullSettings` or `quickSettings`. */
export interface BenchSettings {
  /** U-Net, ResNet and Pix2Pix side length (256: unet_256, resnet_9blocks). */
  size: number
  /** CycleGAN's side length: 256 (resnet_9blocks) or 128 (resnet_6blocks) in --quick. */
  cycleganSize: number
  dcganSize: number
  dcganBatch: number
  /** DCGAN latent size. */
  z: number
  /** ngf and ndf of every network (64 as published). */
  width: number
  /** Untimed runs first (kernel set-up, optimiser slots), then timed runs whose median is reported. */
  warmup: number
  reps: number
  /** Timed runs of the rows that take about a second (model loading). */
  lightReps: number
}

export const fullSettings: BenchSettings = {
  size: 256,
  cycleganSize: 256,
  dcganSize: 64,
  dcganBatch: 64,
  z: 128,
  width: 64,
  warmup: 1,
  reps: 3,
  lightReps: 5,
}

export const quickSettings: BenchSettings = { ...fullSettings, cycleganSize: 128, reps: 2, lightReps: 3 }

/** Everything one row needs, on either side; JSON. */
export interface RowPlan {
  id: RowId
  size: number
  batch: number
  ngf: number
  ndf: number
  /** DCGAN latent size. */
  z: number
  /** ResNet blocks (resnet rows and CycleGAN). */
  blocks: number
  warmup: number
  reps: number
}

export interface RowInfo {
  id: RowId
  label: string
  /** What a number in the row means. */
  unit: 'ms/image' | 'ms/iteration' | 'ms'
}

/** CycleGAN's published generator depth for a size: resnet_9blocks at 256 px and up, 6 below. */
const cycleganBlocks = (size: number) => (size >= 256 ? 9 : 6)

export function planRow(id: RowId, s: BenchSettings): RowPlan {
  const kind = rowKind(id)
  const family = id.split('.')[0]
  const base = { id, ngf: s.width, ndf: s.width, z: s.z, blocks: 9, warmup: s.warmup, reps: kind === 'load' ? s.lightReps : s.reps }
  if (family === 'dcgan') return { ...base, size: s.dcganSize, batch: s.dcganBatch }
  if (family === 'cyclegan') return { ...base, size: s.cycleganSize, batch: 1, blocks: cycleganBlocks(s.cycleganSize) }
  return { ...base, size: s.size, batch: 1 }
}

export function describeRow(plan: RowPlan): RowInfo {
  const { id, size, batch } = plan
  const unet = `unet_${size}`
  const resnet = `resnet_${plan.blocks}blocks`
  const labels: Record<RowId, string> = {
    'unet.infer': `${unet} inference, batch ${batch}`,
    'resnet.infer': `${resnet} inference ${size}×${size}, batch ${batch}`,
    'dcgan.infer': `DCGAN ${size} G inference, batch ${batch}`,
    'pix2pix.train': `Pix2Pix ${size} training, batch ${batch}`,
    'cyclegan.train': `CycleGAN ${size} training (${resnet}), batch ${batch}`,
    'dcgan.train': `DCGAN ${size} training, batch ${batch}`,
    'unet.load': `load ${unet}`,
    'resnet.load': `load ${resnet}`,
    'dcgan.load': `load DCGAN ${size} G`,
  }
  const unit = rowKind(id) === 'infer' ? 'ms/image' : rowKind(id) === 'train' ? 'ms/iteration' : 'ms'
  return { id, label: labels[id] ?? id, unit }
}
