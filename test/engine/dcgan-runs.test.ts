/**
 * Face-generator runs end to end on wasm at toy sizes: exact resume, fine-tuning with --from (and
 * its class check), FreezeD, the EMA generator saved for sampling, and bad input.
 */
import { join } from 'node:path'
import * as tf from '@tensorflow/tfjs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadNetwork, readManifest } from '../../src/engine/storage/model-folder'
import { runTraining } from '../../src/engine/training/run'
import { TrainRequest, type TrainRequestInput } from '../../src/shared/training'
import { writeUnpairedDomains } from '../helpers/synthetic-images'
import { hashTree, recordingHooks, tempDir, useWasm } from '../helpers/train-harness'

let root: { dir: string; cleanup(): Promise<void> }
const tiny = { family: 'dcgan', size: 32, steps: 6, batch: 4, ngf: 4, ndf: 4, z: 8, sampleEvery: 100, checkpointEvery: 100 } as const
const at = (...parts: string[]) => join(root.dir, ...parts)
const request = (input: Omit<Partial<TrainRequestInput>, 'options'> & { options?: Record<string, unknown> }) =>
  TrainRequest.parse({ data: { dir: at('data', 'trainA') }, out: at('model'), ...input, options: { ...tiny, ...input.options } })
const weightsOf = async (dir: string, network: string) => {
  const model = await loadNetwork(dir, await readManifest(dir), network)
  const weights = Object.fromEntries(model.weights.map((w) => [w.originalName, Array.from(w.read().dataSync())]))
  model.dispose()
  return weights
}

beforeAll(async () => {
  await useWasm()
  root = await tempDir('ganvas-dcgan-runs-')
  await writeUnpairedDomains(at('data'), { count: 12, size: 32, seed: 3 }) // trainA/, trainB/: two classes at data/
})
afterAll(() => root.cleanup())

describe('DCGAN runs', () => {
  it('resumes a stopped run exactly, for each loss', async () => {
    for (const loss of ['bce', 'wgan-gp', 'hinge'] as const) {
      const options = { loss, augment: ['color', 'translation', 'cutout'], ...(loss === 'wgan-gp' ? { nCritic: 2 } : {}) }
      const full = await runTraining(request({ out: at(`full-${loss}`), options }), recordingHooks())
      const stopped = await runTraining(request({ out: at(`resumed-${loss}`), options }), recordingHooks({ stopAfter: 3 }))
      expect(stopped).toMatchObject({ steps: 3, stopped: true })
      const resumed = await runTraining(request({ out: at(`resumed-${loss}`), options, resume: true }), recordingHooks())
      expect(resumed.losses).toEqual(full.losses)
      expect(await weightsOf(at(`resumed-${loss}`), 'generator')).toEqual(await weightsOf(at(`full-${loss}`), 'generator'))
    }
  }, 120_000)

  it('saves the moving average as the generator and the optimised one beside it; a class-conditional manifest', async () => {
    const hooks = recordingHooks()
    await runTraining(request({ data: { dir: at('data') }, out: at('conditional') }), hooks)
    expect(hooks.events[0]!.message).toMatch(/24 training images in 2 classes \(trainA, trainB\)/)
    const manifest = await readManifest(at('conditional'))
    expect(manifest).toMatchObject({ family: 'dcgan', resolution: 32, training: { classes: ['trainA', 'trainB'], z: 8 } })
    expect(manifest.dataset).toMatchObject({ kind: 'images', images: 24, classes: { trainA: 12, trainB: 12 } })
    const average = await weightsOf(at('conditional'), 'generator')
    const live = await weightsOf(at('conditional'), 'generator_live')
    expect(Object.keys(average)).toEqual(Object.keys(live))
    expect(average['project/kernel']).not.toEqual(live['project/kernel'])

    await runTraining(request({ out: at('no-ema'), options: { ema: 0 } }), recordingHooks())
    await expect(loadNetwork(at('no-ema'), await readManifest(at('no-ema')), 'generator_live')).rejects.toThrow()
  }, 60_000)

  it('fine-tunes from a model, keeping FreezeD blocks fixed, and refuses data with other classes', async () => {
    await runTraining(request({ out: at('base'), options: { z: 12, ngf: 6 } }), recordingHooks())
    const base = await weightsOf(at('base'), 'discriminator')
    await runTraining(request({ out: at('tuned'), from: at('base'), options: { freezeD: 1, steps: 3 } }), recordingHooks())
    const manifest = await readManifest(at('tuned'))
    expect(manifest.training).toMatchObject({ z: 12, ngf: 6, from: at('base') }) // the base model's shape wins
    const tuned = await weightsOf(at('tuned'), 'discriminator')
    expect(tuned['down0_conv/kernel']).toEqual(base['down0_conv/kernel'])
    expect(tuned['down1_conv/kernel']).not.toEqual(base['down1_conv/kernel'])

    await expect(runTraining(request({ data: { dir: at('data') }, out: at('wrong-classes'), from: at('base') }), recordingHooks())).rejects.toThrow(
      /trained on no classes, but the data has 2 classes \(trainA, trainB\)/,
    )
  }, 60_000)

  it('says what is wrong with the data, and never touches it', async () => {
    const before = await hashTree(at('data'))
    await expect(runTraining(request({ out: at('big-batch'), options: { batch: 64 } }), recordingHooks())).rejects.toThrow(
      /batch size 64 is larger than the 12 images.*Use a batch of 12 or fewer/,
    )
    await expect(
      runTraining(request({ data: { dirA: at('data', 'trainA'), dirB: at('data', 'trainB') }, out: at('two-folders') }), recordingHooks()),
    ).rejects.toThrow(/one folder of images \(or one subfolder per class\)/)
    expect(await hashTree(at('data'))).toEqual(before)
    expect(tf.memory().numTensors).toBeLessThan(50)
  }, 30_000)
})
