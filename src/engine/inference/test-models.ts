/** Tiny untrained Pix2Pix and CycleGAN model folders for the inference tests. */
import type * as tf from '@tensorflow/tfjs'
import type { ModelManifest } from '../../shared/schemas'
import { resnetGenerator } from '../models/resnet'
import { unetGenerator } from '../models/unet'
import { saveSnapshot } from '../storage/model-folder'

export const TEST_SIZE = 32
const rgb = { inputChannels: 3, outputChannels: 3, size: TEST_SIZE }

const manifest = (name: string, family: ModelManifest['family'], training: Record<string, unknown>): Omit<ModelManifest, 'weights'> => ({
  format: 'ganvas-model',
  formatVersion: 1,
  name,
  family,
  resolution: TEST_SIZE,
  channels: 3,
  training,
  stepsDone: 0,
  dataset: null,
  metrics: {},
  created: '2026-01-01T00:00:00.000Z',
})

async function save(dir: string, m: Omit<ModelManifest, 'weights'>, step: number, networks: Record<string, tf.LayersModel>) {
  await saveSnapshot(dir, m, step, { networks })
  for (const net of Object.values(networks)) net.dispose()
}

/** A Pix2Pix U-Net (5 levels, ngf 4) trained in `direction`, saved at step 7. */
export async function savePix2pix(dir: string, direction: 'AtoB' | 'BtoA') {
  await save(dir, manifest('Tiny sketches', 'pix2pix', { direction }), 7, { generator: unetGenerator({ levels: 5, ngf: 4, ...rgb }) })
}

/** A CycleGAN with two ResNet generators (2 blocks, ngf 4) of different random weights, saved at step 3. */
export async function saveCyclegan(dir: string) {
  await save(dir, manifest('Tiny styles', 'cyclegan', {}), 3, {
    generator_AtoB: resnetGenerator({ blocks: 2, ngf: 4, ...rgb, seed: 1 }),
    generator_BtoA: resnetGenerator({ blocks: 2, ngf: 4, ...rgb, seed: 2 }),
  })
}
