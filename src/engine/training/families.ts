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
import { Pix2PixTrainer } from './pix2pix'
import type { Trainer } from './trainer'

/** What a model folder must hold to start a run from it; the rest is built fresh when missing. */
const networkNames = {
  pix2pix: { required: ['generator'], optional: ['discriminator'] },
  // An imported CycleGAN generator is one direction only: the other starts fresh.
  cyclegan: { required: [], optional: ['generator_AtoB', 'generator_BtoA', 'discriminator_A', 'discriminator_B'] },
} as const

function create(options: TrainOptions, networks: Record<string, tf.LayersModel>): Trainer {
  switch (options.family) {
    case 'pix2pix':
      return new Pix2PixTrainer(options, networks as ConstructorParameters<typeof Pix2PixTrainer>[1])
    case 'cyclegan':
      return new CycleGanTrainer(options, networks)
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
  return create(options, await loadNetworks(from, manifest, options.family, false))
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
