/**
 * The Pix2Pix step runs G forward once and takes D's step inside G's gradient recording. This checks
 * it against the straightforward form it replaced (G forward for the D step, then again inside G's
 * step): after two iterations every trainable weight and every loss agrees within 1e-4. Batch
 * statistics differ on purpose (updated once per iteration now, twice before), so they are not compared.
 */
import * as tf from '@tensorflow/tfjs'
import '@tensorflow/tfjs-backend-wasm'
import { beforeAll, describe, expect, it } from 'vitest'
import { Pix2PixOptions } from '../../shared/training'
import { registerWasmTrainingKernels } from '../backend/wasm-kernels'
import { ganLosses, l1 } from '../losses'
import { Random } from '../random'
import { Pix2PixTrainer } from './pix2pix'
import { adam, variablesOf } from './trainer'

beforeAll(async () => {
  registerWasmTrainingKernels()
  await tf.setBackend('wasm')
})

const options = Pix2PixOptions.parse({ family: 'pix2pix', size: 32, steps: 10, ngf: 8, ndf: 8, seed: 4 })

/** The two-forward iteration, as Ganvas ran it before. */
function referenceStep(trainer: Pix2PixTrainer, optG: tf.AdamOptimizer, optD: tf.AdamOptimizer, a: tf.Tensor4D, b: tf.Tensor4D, random: Random) {
  const { generator: G, discriminator: D } = trainer.networks
  const gan = ganLosses[options.ganLoss]
  const train = { training: true, dropoutSeed: random.uint32() }
  return tf.tidy(() => {
    const fake = G.apply(a, train) as tf.Tensor4D
    let dReal!: tf.Scalar
    let dFake!: tf.Scalar
    optD.minimize(() => {
      dFake = tf.keep(gan.asFake(D.apply(tf.concat([a, fake], 3), { training: true }) as tf.Tensor))
      dReal = tf.keep(gan.asReal(D.apply(tf.concat([a, b], 3), { training: true }) as tf.Tensor))
      return tf.mul(tf.add(dReal, dFake), 0.5) as tf.Scalar
    }, false, variablesOf(D))
    let gGan!: tf.Scalar
    let gL1!: tf.Scalar
    optG.minimize(() => {
      const fakeAgain = G.apply(a, train) as tf.Tensor4D
      gGan = tf.keep(gan.asReal(D.apply(tf.concat([a, fakeAgain], 3), { training: true }) as tf.Tensor))
      gL1 = tf.keep(tf.mul(l1(fakeAgain, b), options.lambdaL1) as tf.Scalar)
      return tf.add(gGan, gL1) as tf.Scalar
    }, false, variablesOf(G))
    const values = [gGan, gL1, dReal, dFake].map((t) => t.dataSync()[0]!)
    return { G_GAN: values[0]!, G_L1: values[1]!, D_real: values[2]!, D_fake: values[3]! }
  })
}

const trainables = (trainer: Pix2PixTrainer) =>
  [...trainer.networks.generator.trainableWeights, ...trainer.networks.discriminator.trainableWeights].map((w) => w.read().dataSync() as Float32Array)

describe('Pix2Pix step with one G forward pass', () => {
  it('trains exactly as the two-pass step (weights and losses within 1e-4)', async () => {
    const [ours, reference] = [new Pix2PixTrainer(options), new Pix2PixTrainer(options)]
    const [optG, optD] = [adam(options.lr, options.beta1), adam(options.lr, options.beta1)]
    const [randomOurs, randomReference] = [new Random(9), new Random(9)]
    const initial = trainables(ours)
    for (let i = 0; i < 2; i++) {
      const a = tf.randomUniform([1, 32, 32, 3], -1, 1, 'float32', 10 + i) as tf.Tensor4D
      const b = tf.randomUniform([1, 32, 32, 3], -1, 1, 'float32', 20 + i) as tf.Tensor4D
      const lossesOurs = await ours.step({ a, b }, randomOurs)
      const lossesReference = referenceStep(reference, optG, optD, a, b, randomReference)
      for (const [name, value] of Object.entries(lossesReference)) expect(lossesOurs[name], name).toBeCloseTo(value, 4)
      tf.dispose([a, b])
    }
    const [after, expected] = [trainables(ours), trainables(reference)]
    expect(after).toHaveLength(expected.length)
    after.forEach((w, i) => {
      const ref = expected[i]!
      const scale = Math.max(1e-3, ...ref.map(Math.abs))
      const diff = Math.max(...w.map((v, j) => Math.abs(v - ref[j]!)))
      expect(diff / scale, `trainable weight ${i}`).toBeLessThan(1e-4)
    })
    // and the iterations did train: some weight moved
    expect(after.some((w, i) => w.some((v, j) => v !== initial[i]![j]))).toBe(true)
    ours.dispose()
    reference.dispose()
    optG.dispose()
    optD.dispose()
  })
})
