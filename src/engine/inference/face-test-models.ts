/** Tiny untrained DCGAN model folders (32 px, ngf 4, z 16) for the face-generator tests. */
import * as tf from '@tensorflow/tfjs'
import { DcganOptions } from '../../shared/training'
import { saveSnapshot } from '../storage/model-folder'
import { DcganTrainer } from '../training/dcgan'

export const FACE_SIZE = 32
export const FACE_Z = 16

/**
 * Saves a DCGAN generator at step 1 (`classes` null: unconditional). Its conv kernels are scaled ×10:
 * a freshly initialised DCGAN (weights ~ N(0, 0.02)) outputs nearly flat grey, which would let
 * "different seeds differ" pass or fail on rounding alone; scaled, images span most of 0–255.
 */
export async function saveFaceModel(dir: string, classes: string[] | null, name = 'Tiny faces'): Promise<DcganOptions> {
  const options = DcganOptions.parse({ family: 'dcgan', size: FACE_SIZE, steps: 1, ngf: 4, ndf: 4, z: FACE_Z, classes })
  const trainer = new DcganTrainer(options)
  for (const layer of trainer.networks.generator.layers) {
    const weights = layer.getWeights()
    if (weights.some((w) => w.rank === 4)) {
      const scaled = weights.map((w) => (w.rank === 4 ? tf.mul(w, 10) : w))
      layer.setWeights(scaled)
      tf.dispose(scaled.filter((w, i) => w !== weights[i]))
    }
  }
  await saveSnapshot(
    dir,
    {
      format: 'ganvas-model',
      formatVersion: 1,
      name,
      family: 'dcgan',
      resolution: FACE_SIZE,
      channels: 3,
      training: { ...options },
      stepsDone: 1,
      dataset: null,
      metrics: {},
      created: '2026-01-01T00:00:00.000Z',
    },
    1,
    { networks: trainer.networks },
  )
  trainer.dispose()
  return options
}
