import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import * as tf from '@tensorflow/tfjs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CycleGanOptions, Pix2PixOptions } from '../../shared/training'
import { saveSnapshot } from '../storage/model-folder'
import { buildTrainer } from './families'
import { CycleGanTrainer } from './cyclegan'
import { Pix2PixTrainer } from './pix2pix'

let dir: string
let sourceWeights: Float32Array[]
const options = Pix2PixOptions.parse({ family: 'pix2pix', size: 32, steps: 10, ngf: 4, ndf: 4 })

beforeAll(async () => {
  await tf.setBackend('cpu')
  dir = await mkdtemp(join(tmpdir(), 'ganvas-from-'))
  const source = new Pix2PixTrainer(options)
  await saveSnapshot(
    dir,
    {
      format: 'ganvas-model', formatVersion: 1, name: 'base', family: 'pix2pix', resolution: 32, channels: 3,
      training: { ...options }, stepsDone: 10, dataset: null, metrics: {}, created: new Date().toISOString(),
    },
    10,
    { networks: { generator: source.networks.generator } }, // as an imported model: generator only
  )
  sourceWeights = source.networks.generator.getWeights().map((w) => w.dataSync() as Float32Array)
  source.dispose()
})
afterAll(() => rm(dir, { recursive: true, force: true }))

describe('fine-tuning with --from', () => {
  it('starts the generator from the given model and builds a fresh discriminator when it has none', async () => {
    const trainer = await buildTrainer(options, dir)
    const expected = sourceWeights
    const actual = trainer.networks.generator!.getWeights().map((w) => w.dataSync() as Float32Array)
    expect(actual.map((a) => Array.from(a))).toEqual(expected.map((e) => Array.from(e)))
    expect(trainer.networks.discriminator).toBeDefined()
    trainer.dispose()
  })

  it('starts a CycleGAN run from an imported one-direction generator, the other built fresh', async () => {
    const cyclegan = CycleGanOptions.parse({ family: 'cyclegan', size: 32, steps: 10, ngf: 4, ndf: 4, blocks: 1 })
    const source = new CycleGanTrainer(cyclegan)
    const oneWay = join(dir, 'one-way')
    await saveSnapshot(
      oneWay,
      {
        format: 'ganvas-model', formatVersion: 1, name: 'imported', family: 'cyclegan', resolution: 32, channels: 3,
        training: { importedFrom: 'x.pth', direction: 'BtoA' }, stepsDone: 0, dataset: null, metrics: {}, created: new Date().toISOString(),
      },
      0,
      { networks: { generator_BtoA: source.networks.generator_BtoA } },
    )
    const expected = source.networks.generator_BtoA.getWeights().map((w) => Array.from(w.dataSync()))
    source.dispose()
    const trainer = await buildTrainer(cyclegan, oneWay)
    expect(trainer.networks.generator_BtoA!.getWeights().map((w) => Array.from(w.dataSync()))).toEqual(expected)
    expect(trainer.networks.generator_AtoB).toBeDefined()
    trainer.dispose()
  })

  it('refuses another family or another size, saying what to do', async () => {
    await expect(buildTrainer({ ...options, size: 64 }, dir)).rejects.toThrow(/--size 32/)
    const cyclegan = { family: 'cyclegan', size: 32 } as unknown as Parameters<typeof buildTrainer>[0]
    await expect(buildTrainer(cyclegan, dir)).rejects.toThrow(/is a pix2pix model/)
    await expect(buildTrainer(options, join(dir, 'nope'))).rejects.toThrow(/manifest.json is missing/)
  })
})
