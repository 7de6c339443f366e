/**
 * One-step and few-step checks of each family's trainer on the wasm backend, with in-memory
 * batches: the loss splits into its named parts, every network learns, nothing leaks, and a
 * trainer restored from saved state continues exactly as the original.
 */
import * as tf from '@tensorflow/tfjs'
import '@tensorflow/tfjs-backend-wasm'
import { beforeAll, describe, expect, it } from 'vitest'
import { CycleGanOptions, DcganOptions, Pix2PixOptions } from '../../shared/training'
import { registerWasmTrainingKernels } from '../backend/wasm-kernels'
import { Random } from '../random'
import { CycleGanTrainer } from './cyclegan'
import { DcganTrainer } from './dcgan'
import { Pix2PixTrainer } from './pix2pix'
import type { Batch, Trainer } from './trainer'

beforeAll(async () => {
  registerWasmTrainingKernels()
  await tf.setBackend('wasm')
})

const size = 32
const pix2pix = Pix2PixOptions.parse({ family: 'pix2pix', size, steps: 100, ngf: 4, ndf: 4 })
const cyclegan = CycleGanOptions.parse({ family: 'cyclegan', size, steps: 100, ngf: 4, ndf: 4, blocks: 2, poolSize: 3 })

const dcgan = { family: 'dcgan', size, steps: 100, ngf: 4, ndf: 4, z: 8 } as const
const dcganHinge = DcganOptions.parse({ ...dcgan, loss: 'hinge', classes: ['x', 'y'], spectralNorm: true, augment: ['color', 'translation', 'cutout'] })
// One critic step per batch here: these tests feed one image per step.
const dcganWgan = DcganOptions.parse({ ...dcgan, loss: 'wgan-gp', nCritic: 1 })

function batch(seed: number, n = 1): Batch {
  return tf.tidy(() => ({
    a: tf.randomUniform([n, size, size, 3], -1, 1, 'float32', seed) as tf.Tensor4D,
    b: tf.randomUniform([n, size, size, 3], -1, 1, 'float32', seed + 1) as tf.Tensor4D,
    labels: tf.tensor1d(Array.from({ length: n }, (_, i) => (seed + i) % 2), 'int32'), // for class-conditional families
  }))
}

const snapshotWeights = (trainer: Trainer) =>
  Object.fromEntries(
    Object.entries(trainer.networks).flatMap(([net, model]) =>
      model.trainableWeights.map((w) => [`${net}/${w.originalName}`, (w.read().dataSync() as Float32Array).slice()]),
    ),
  )

const families: { name: string; make: () => Trainer; losses: string[] }[] = [
  { name: 'pix2pix', make: () => new Pix2PixTrainer(pix2pix), losses: ['G_GAN', 'G_L1', 'D_real', 'D_fake'] },
  { name: 'cyclegan', make: () => new CycleGanTrainer(cyclegan), losses: ['D_A', 'G_A', 'cycle_A', 'idt_A', 'D_B', 'G_B', 'cycle_B', 'idt_B'] },
  { name: 'dcgan (hinge, conditional, spectral norm, DiffAugment)', make: () => new DcganTrainer(dcganHinge), losses: ['G', 'D_real', 'D_fake'] },
  { name: 'dcgan (WGAN-GP)', make: () => new DcganTrainer(dcganWgan), losses: ['G', 'D_real', 'D_fake', 'GP'] },
]

describe.each(families)('$name trainer', ({ make, losses: lossNames }) => {
  it('reports every loss term, finite, and moves every network', async () => {
    const trainer = make()
    const before = snapshotWeights(trainer)
    const input = batch(1)
    const losses = await trainer.step(input, new Random(1))
    expect(Object.keys(losses).sort()).toEqual([...lossNames].sort())
    for (const [name, value] of Object.entries(losses)) expect(Number.isFinite(value), name).toBe(true)
    const after = snapshotWeights(trainer)
    for (const net of Object.keys(trainer.networks)) {
      const moved = Object.keys(before).filter((k) => k.startsWith(`${net}/`) && before[k]!.some((v, i) => v !== after[k]![i]))
      expect(moved.length, `${net} did not learn`).toBeGreaterThan(0)
    }
    tf.dispose([input.a, input.b])
    trainer.dispose()
  })

  it('leaks no tensors: the count after step 50 equals the count after step 5', async () => {
    const trainer = make()
    const random = new Random(2)
    const input = batch(3)
    let afterFive = 0
    for (let step = 1; step <= 50; step++) {
      await trainer.step(input, random)
      if (step === 5) afterFive = tf.memory().numTensors
    }
    expect(tf.memory().numTensors).toBe(afterFive)
    const visuals = trainer.visuals(input)
    tf.dispose(visuals)
    expect(tf.memory().numTensors).toBe(afterFive)
    tf.dispose([input.a, input.b])
    trainer.dispose()
  })

  it('continues bit for bit after its state is saved and restored', async () => {
    const batches = [batch(10), batch(20), batch(30), batch(40)]
    const base = make()
    const initial = Object.fromEntries(Object.entries(base.networks).map(([n, m]) => [n, m.getWeights().map((w) => w.clone())]))
    const reference = make()
    const load = (t: Trainer) => Object.entries(t.networks).forEach(([n, m]) => m.setWeights(initial[n]!))
    load(reference)
    const r1 = new Random(5)
    const expected: Record<string, number>[] = []
    for (const b of batches) expected.push(await reference.step(b, r1))

    load(base)
    const r2 = new Random(5)
    for (const b of batches.slice(0, 2)) await base.step(b, r2)
    const saved = await base.stateTensors()
    const savedMap = Object.fromEntries(saved.map(({ name, tensor }) => [name, tensor]))
    const savedWeights = Object.fromEntries(Object.entries(base.networks).map(([n, m]) => [n, m.getWeights().map((w) => w.clone())]))
    const savedRandom = r2.state
    base.dispose()

    const resumed = make()
    Object.entries(resumed.networks).forEach(([n, m]) => m.setWeights(savedWeights[n]!))
    await resumed.restoreState(savedMap)
    const r3 = new Random(savedRandom)
    const continued: Record<string, number>[] = []
    for (const b of batches.slice(2)) continued.push(await resumed.step(b, r3))
    expect(continued).toEqual(expected.slice(2))
    for (const [name, model] of Object.entries(resumed.networks)) {
      const a = model.getWeights().map((w) => Array.from(w.dataSync()))
      const b = reference.networks[name]!.getWeights().map((w) => Array.from(w.dataSync()))
      expect(a, name).toEqual(b)
    }
    resumed.dispose()
    reference.dispose()
    tf.dispose([...batches.flatMap((b) => Object.values(b)), ...Object.values(initial).flat(), ...Object.values(savedWeights).flat()])
  })
})
