/**
 * The registry of trainable families: how to build a fresh trainer, one that fine-tunes from
 * another model (`--from`), and one restored from a checkpoint (`--resume`).
 */
import type * as tf from '@tensorflow/tfjs'
import type { ModelManifest } from '../../shared/schemas'
import { TrainOptions } from '../../shared/training'
import { Random, type RandomState } from '../random'
import { loadNetwork, loadTrainingState, readManifest } from '../storage/model-folder'
import { CycleGanTrainer } from './cyclegan'
import { DcganTrainer } from './dcgan'
import { Pix2PixTrainer } from './pix2pix'
import type { Trainer } from './trainer'

/** What a model folder must hold to start a run from it; the rest is built fresh when missing. */
const networkNames = {
  pix2pix: { required: ['generator'], optional: ['discriminator'] },
  // An imported CycleGAN generator is one direction only: the other starts fresh.
  cyclegan: { required: [], optional: ['generator_AtoB', 'generator_BtoA', 'discriminator_A', 'discriminator_B'] },
  dcgan: { required: ['generator'], optional: ['generator_live', 'discriminator'] },
} as const

function create(options: TrainOptions, networks: Record<string, tf.LayersModel>): Trainer {
  switch (options.family) {
    case 'pix2pix':
      return new Pix2PixTrainer(options, networks as ConstructorParameters<typeof Pix2PixTrainer>[1])
    case 'cyclegan':
      return new CycleGanTrainer(options, networks)
    case 'dcgan':
      return new DcganTrainer(options, networks)
  }
}

async function loadNetworks(modelDir: string, manifest: ModelManifest, family: TrainOptions['family'], needAll: boolean) {
  const names = networkNames[family]
  const networks: Record<string, tf.LayersModel> = {}
  for (const name of names.required) networks[name] = await loadNetwork(modelDir, manifest, name)
  for (const name of names.optional) {
    try {
      networks[name] = await loadNetwork(modelDir, manifest, name)
    } catch (error) {
      if (needAll) throw error // an imported model may carry only generators; a checkpoint may not
    }
  }
  if (!Object.keys(networks).some((name) => name.startsWith('generator'))) {
    throw new Error(`${modelDir} holds no generator to start from`)
  }
  return networks
}

/** A new trainer; with `from`, its networks start from that model's weights (fine-tuning). */
export async function buildTrainer(options: TrainOptions, from?: string): Promise<Trainer> {
  if (!from) return create(options, {})
  const manifest = await readManifest(from)
  if (manifest.family !== options.family) {
    throw new Error(`--from ${from} is a ${manifest.family} model; it cannot start a ${options.family} run`)
  }
  if (manifest.resolution !== options.size) {
    throw new Error(`--from ${from} was trained at ${manifest.resolution} px; fine-tune it with --size ${manifest.resolution}`)
  }
  return create(fineTuneOptions(options, manifest, from), await loadNetworks(from, manifest, options.family, false))
}

/** The options a fine-tuning run really uses (what its manifest must record). */
export async function fineTuneOptionsFrom(options: TrainOptions, from: string): Promise<TrainOptions> {
  return fineTuneOptions(options, await readManifest(from), from)
}

/** A face generator's shape (latent size, widths, classes) is the base model's, whatever was asked. */
function fineTuneOptions(options: TrainOptions, manifest: ModelManifest, from: string): TrainOptions {
  if (options.family !== 'dcgan') return options
  const base = manifest.training as Partial<Record<'z' | 'ngf' | 'ndf' | 'classes' | 'spectralNorm' | 'loss', unknown>>
  const baseClasses = (base.classes as string[] | null | undefined) ?? null
  const classes = options.classes ?? null
  if ((baseClasses?.length ?? 0) !== (classes?.length ?? 0)) {
    const describe = (c: string[] | null) => (c ? `${c.length} classes (${c.join(', ')})` : 'no classes')
    throw new Error(`--from ${from} was trained on ${describe(baseClasses)}, but the data has ${describe(classes)}: give it the same class folders, or train a new model`)
  }
  return {
    ...options,
    z: Number(base.z ?? options.z),
    ngf: Number(base.ngf ?? options.ngf),
    ndf: Number(base.ndf ?? options.ndf),
    spectralNorm: Boolean(base.spectralNorm ?? options.spectralNorm),
  }
}

/** The trainer, options, RNG and data-loader state saved in a model's current checkpoint. */
export async function restoreTrainer(modelDir: string, manifest: ModelManifest) {
  const state = await loadTrainingState(modelDir, manifest)
  if (!state) throw new Error(`${modelDir} holds no training state to resume (it was imported or made by an older Ganvas)`)
  const options = TrainOptions.parse(state.json.options)
  const trainer = create(options, await loadNetworks(modelDir, manifest, options.family, true))
  await trainer.restoreState(state.tensors)
  return {
    trainer,
    options,
    random: new Random(state.json.random as RandomState),
    loaderState: state.json.loader,
  }
}
