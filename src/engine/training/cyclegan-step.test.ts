/**
 * The CycleGAN generator step takes its loss's gradient term by term (to hold one term's activations
 * at a time). This checks it against the gradient of the whole loss at once, as it was computed
 * before: after one iteration the generators' weights and the loss terms agree within 1e-4.
 */
import * as tf from '@tensorflow/tfjs'
import '@tensorflow/tfjs-backend-wasm'
import { beforeAll, describe, expect, it } from 'vitest'
import { CycleGanOptions } from '../../shared/training'
import { registerWasmTrainingKernels } from '../backend/wasm-kernels'
import { ganLosses, l1 } from '../losses'
import { Random } from '../random'
import { CycleGanTrainer } from './cyclegan'
import { adam, variablesOf } from './trainer'

beforeAll(async () => {
  registerWasmTrainingKernels()
  await tf.setBackend('wasm')
})

const options = CycleGanOptions.parse({ family: 'cyclegan', size: 32, steps: 10, ngf: 4, ndf: 4, blocks: 2, seed: 6 })

/** The generators' step on the whole loss at once. */
function wholeLossStep(trainer: CycleGanTrainer, optG: tf.AdamOptimizer, a: tf.Tensor4D, b: tf.Tensor4D): Record<string, number> {
  const { generator_AtoB: GA, generator_BtoA: GB, discriminator_A: DA, discriminator_B: DB } = trainer.networks
  const { lambdaA, lambdaB, lambdaIdentity } = options
  const gan = ganLosses[options.ganLoss]
  const run = (m: tf.LayersModel, x: tf.Tensor) => m.apply(x, { training: true }) as tf.Tensor4D
  const terms: Record<string, number> = {}
  const note = (name: string, t: tf.Scalar) => ((terms[name] = t.dataSync()[0]!), t)
  tf.tidy(() => {
    optG.minimize(() => {
    const fakeB = run(GA, a)
    const fakeA = run(GB, b)
    return tf.addN([
      note('G_A', gan.asReal(run(DA, fakeB))),
      note('G_B', gan.asReal(run(DB, fakeA))),
      note('cycle_A', tf.mul(l1(run(GB, fakeB), a), lambdaA) as tf.Scalar),
      note('cycle_B', tf.mul(l1(run(GA, fakeA), b), lambdaB) as tf.Scalar),
      note('idt_A', tf.mul(l1(run(GA, b), b), lambdaB * lambdaIdentity) as tf.Scalar),
      note('idt_B', tf.mul(l1(run(GB, a), a), lambdaA * lambdaIdentity) as tf.Scalar),
    ]) as tf.Scalar
  }, false, variablesOf(GA, GB))
  })
  return terms
}

const generatorWeights = (t: CycleGanTrainer) =>
  [...t.networks.generator_AtoB.trainableWeights, ...t.networks.generator_BtoA.trainableWeights].map((w) => w.read().dataSync() as Float32Array)

describe('CycleGAN generator step, term by term', () => {
  it('moves the generators as the whole loss does (weights and losses within 1e-4)', async () => {
    expect(options.lambdaIdentity).toBeGreaterThan(0) // all three terms are exercised
    const [ours, reference] = [new CycleGanTrainer(options), new CycleGanTrainer(options)]
    const optG = adam(options.lr, options.beta1)
    const initial = generatorWeights(ours)
    const a = tf.randomUniform([1, 32, 32, 3], -1, 1, 'float32', 1) as tf.Tensor4D
    const b = tf.randomUniform([1, 32, 32, 3], -1, 1, 'float32', 2) as tf.Tensor4D
    const lossesOurs = await ours.step({ a, b }, new Random(3))
    const lossesReference = wholeLossStep(reference, optG, a, b)
    for (const [name, value] of Object.entries(lossesReference)) expect(lossesOurs[name], name).toBeCloseTo(value, 4)
    const [after, expected] = [generatorWeights(ours), generatorWeights(reference)]
    after.forEach((w, i) => {
      const ref = expected[i]!
      const scale = Math.max(1e-3, ...ref.map(Math.abs))
      expect(Math.max(...w.map((v, j) => Math.abs(v - ref[j]!))) / scale, `generator weight ${i}`).toBeLessThan(1e-4)
    })
    expect(after.some((w, i) => w.some((v, j) => v !== initial[i]![j]))).toBe(true)
    tf.dispose([a, b])
    optG.dispose()
    ours.dispose()
    reference.dispose()
  })
})
