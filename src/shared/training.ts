/**
 * Training options for each model family, with the published defaults. Validated wherever a run
 * is started (CLI, studio) and stored in the model's manifest so a run can be resumed or repeated.
 */
import { z } from 'zod'
import { BackendPreference } from './schemas'

const powerOfTwo = (min: number, max: number) =>
  z
    .number()
    .int()
    .min(min)
    .max(max)
    .refine((n) => (n & (n - 1)) === 0, 'must be a power of two (32, 64, 128, 256, 512)')

export const Direction = z.enum(['AtoB', 'BtoA'])
export type Direction = z.infer<typeof Direction>

/** Options every family shares: schedule, optimiser, bookkeeping. */
const common = {
  size: powerOfTwo(16, 1024).default(256),
  batch: z.number().int().min(1).max(256).default(1),
  /** Total optimiser steps; the learning rate is constant for the first half, then decays linearly to 0. */
  steps: z.number().int().min(1).max(10_000_000),
  lr: z.number().positive().max(1).default(2e-4),
  beta1: z.number().min(0).max(1).default(0.5),
  /** Fraction of the run after which the learning rate starts its linear decay to zero. */
  decayFrom: z.number().min(0).max(1).default(0.5),
  seed: z.number().int().min(0).max(2 ** 32 - 1).default(0),
  flip: z.boolean().default(true),
  /** Resize to this before the random crop to `size`; default ≈ size × 286/256 as published. */
  loadSize: z.number().int().min(16).max(4096).optional(),
  sampleEvery: z.number().int().min(1).default(100),
  checkpointEvery: z.number().int().min(1).default(500),
  backend: BackendPreference.default('auto'),
}

export const Pix2PixOptions = z.object({
  family: z.literal('pix2pix'),
  ...common,
  direction: Direction.default('AtoB'),
  ngf: z.number().int().min(1).max(512).default(64),
  ndf: z.number().int().min(1).max(512).default(64),
  ganLoss: z.enum(['vanilla', 'lsgan']).default('vanilla'),
  lambdaL1: z.number().min(0).default(100),
})
export type Pix2PixOptions = z.infer<typeof Pix2PixOptions>

export const CycleGanOptions = z.object({
  family: z.literal('cyclegan'),
  ...common,
  ngf: z.number().int().min(1).max(512).default(64),
  ndf: z.number().int().min(1).max(512).default(64),
  /** Residual blocks; default 9 at 256 px and above, 6 below (resnet_9blocks / resnet_6blocks). */
  blocks: z.number().int().min(1).max(32).optional(),
  ganLoss: z.enum(['vanilla', 'lsgan']).default('lsgan'),
  lambdaA: z.number().min(0).default(10),
  lambdaB: z.number().min(0).default(10),
  lambdaIdentity: z.number().min(0).default(0.5),
  poolSize: z.number().int().min(0).max(1000).default(50),
})
export type CycleGanOptions = z.infer<typeof CycleGanOptions>

export const DcganLoss = z.enum(['bce', 'wgan-gp', 'hinge'])
export type DcganLoss = z.infer<typeof DcganLoss>
export const AugmentOp = z.enum(['color', 'translation', 'cutout'])
export type AugmentOp = z.infer<typeof AugmentOp>

/**
 * DCGAN (Radford et al. 2016) and its loss variants. Learning rate, Adam betas and critic steps
 * follow the chosen loss unless given (see `optimiserSettings`): WGAN-GP's published 1e-4, β=(0, 0.9),
 * n_critic 5; 2e-4, β=(0.5, 0.999), 1 otherwise.
 */
export const DcganOptions = z.object({
  family: z.literal('dcgan'),
  ...common,
  size: powerOfTwo(16, 256).default(64),
  batch: z.number().int().min(1).max(256).default(64),
  lr: z.number().positive().max(1).optional(),
  beta1: z.number().min(0).max(1).optional(),
  beta2: z.number().min(0).max(1).optional(),
  /** GANs on faces keep a constant rate (no published decay). */
  decayFrom: z.number().min(0).max(1).default(1),
  loss: DcganLoss.default('bce'),
  /** Latent size: z ~ N(0, I) of this many dimensions. */
  z: z.number().int().min(1).max(1024).default(128),
  ngf: z.number().int().min(1).max(512).default(64),
  ndf: z.number().int().min(1).max(512).default(64),
  nCritic: z.number().int().min(1).max(20).optional(),
  /** Gradient-penalty weight λ for WGAN-GP. */
  gpWeight: z.number().min(0).default(10),
  spectralNorm: z.boolean().default(false),
  /** Decay of the generator's exponential moving average used for samples; 0 turns it off. */
  ema: z.number().min(0).max(0.99999).default(0.999),
  /** DiffAugment (Zhao et al. 2020) on everything D sees: for small data sets. */
  augment: z.array(AugmentOp).default([]),
  /** Discriminator blocks, from the input, kept frozen while fine-tuning (FreezeD). */
  freezeD: z.number().int().min(0).max(8).default(0),
  /** Class names, one per subfolder of the data, set by the run from the data set; null: unconditional. */
  classes: z.array(z.string().min(1)).max(1000).nullable().default(null),
})
export type DcganOptions = z.infer<typeof DcganOptions>

export const TrainOptions = z.discriminatedUnion('family', [Pix2PixOptions, CycleGanOptions, DcganOptions])
export type TrainOptions = z.infer<typeof TrainOptions>
export type TrainOptionsInput = z.input<typeof TrainOptions>

/** The optimiser settings a run uses, filling the DCGAN loss-dependent defaults. */
export function optimiserSettings(options: TrainOptions): { lr: number; beta1: number; beta2: number; nCritic: number } {
  if (options.family !== 'dcgan') return { lr: options.lr, beta1: options.beta1, beta2: 0.999, nCritic: 1 }
  const wgan = options.loss === 'wgan-gp'
  return {
    lr: options.lr ?? (wgan ? 1e-4 : 2e-4),
    beta1: options.beta1 ?? (wgan ? 0 : 0.5),
    beta2: options.beta2 ?? (wgan ? 0.9 : 0.999),
    nCritic: options.nCritic ?? (wgan ? 5 : 1),
  }
}

/** Where the data is: one folder (layout detected), or two folders for unpaired training. */
export const DataSource = z.union([
  z.object({ dir: z.string().min(1) }),
  z.object({ dirA: z.string().min(1), dirB: z.string().min(1) }),
])
export type DataSource = z.infer<typeof DataSource>

/** The folders a run read, from a manifest's dataset summary (paired/images: root; unpaired: dirA, dirB). */
export function dataSourceOf(dataset: Readonly<Record<string, unknown>> | null | undefined): DataSource | null {
  if (!dataset) return null
  const text = (key: string) => (typeof dataset[key] === 'string' ? (dataset[key] as string) : null)
  const root = text('root')
  if (root) return { dir: root }
  const [dirA, dirB] = [text('dirA'), text('dirB')]
  return dirA && dirB ? { dirA, dirB } : null
}

export const TrainRequest = z.object({
  options: TrainOptions,
  data: DataSource,
  /** The model folder to create (or to continue with `resume`). */
  out: z.string().min(1),
  name: z.string().min(1).max(200).optional(),
  /** Continue a stopped or crashed run in `out` from its last checkpoint. */
  resume: z.boolean().default(false),
  /** Start from this model's weights (fine-tuning). */
  from: z.string().min(1).optional(),
  /** Train for this many passes over the data instead of `options.steps` (counted once the data is scanned). */
  epochs: z.number().int().min(1).max(100_000).optional(),
})
export type TrainRequest = z.infer<typeof TrainRequest>
export type TrainRequestInput = z.input<typeof TrainRequest>
