/** The face generator's pieces on their own: losses, gradient penalty, DiffAugment, spectral norm. */
import * as tf from '@tensorflow/tfjs'
import { beforeAll, describe, expect, it } from 'vitest'
import { SpectralConv2D } from '../layers/spectral-conv'
import { adversarialLosses, gradientPenalty } from '../losses'
import { Random } from '../random'
import { diffAugment } from './diff-augment'

beforeAll(async () => {
  await tf.setBackend('cpu')
})

const value = (t: tf.Tensor) => t.dataSync()[0]!

describe('adversarial losses', () => {
  const real = tf.tensor1d([2, -1])
  const fake = tf.tensor1d([0.5, -3])
  it('hinge: D pays for real scores below 1 and fake above −1; G maximises the fake score', () => {
    const d = adversarialLosses.hinge.discriminator(real, fake)
    expect(value(d.real)).toBeCloseTo((0 + 2) / 2, 6)
    expect(value(d.fake)).toBeCloseTo((1.5 + 0) / 2, 6)
    expect(value(adversarialLosses.hinge.generator(fake))).toBeCloseTo(1.25, 6)
  })
  it('WGAN: the critic maximises real − fake', () => {
    const d = adversarialLosses['wgan-gp'].discriminator(real, fake)
    expect(value(d.real) + value(d.fake)).toBeCloseTo(-0.5 + -1.25, 6)
  })
  it('BCE: softplus forms of −log σ(x) and −log(1 − σ(x))', () => {
    const d = adversarialLosses.bce.discriminator(real, fake)
    const softplus = (x: number) => Math.log1p(Math.exp(x))
    expect(value(d.real)).toBeCloseTo((softplus(-2) + softplus(1)) / 2, 5)
    expect(value(d.fake)).toBeCloseTo((softplus(0.5) + softplus(-3)) / 2, 5)
    expect(value(adversarialLosses.bce.generator(fake))).toBeCloseTo((softplus(-0.5) + softplus(3)) / 2, 5)
  })
})

describe('gradient penalty', () => {
  it('is (‖w‖ − 1)² for a linear critic, and its gradient in w is 2(‖w‖ − 1)·w/‖w‖', () => {
    const w = tf.variable(tf.tensor2d([[3], [4]])) // ‖w‖ = 5
    const critic = (x: tf.Tensor) => tf.matMul(x as tf.Tensor2D, w)
    const real = tf.tensor2d([[1, 2], [3, 4]])
    const fake = tf.tensor2d([[0, 0], [5, -1]])
    const { value: gp, grads } = tf.variableGrads(() => gradientPenalty(critic, real, fake, [0.3, 0.8]), [w])
    expect(value(gp)).toBeCloseTo(16, 4)
    expect(Array.from(grads[w.name]!.dataSync())).toEqual([expect.closeTo(2 * 4 * 0.6, 4), expect.closeTo(2 * 4 * 0.8, 4)])
  })

  it('differentiates through LeakyReLU (second-order gradients of comparisons are zero)', () => {
    const dense = tf.layers.dense({ units: 1, inputShape: [3], kernelInitializer: tf.initializers.ones() })
    const critic = (x: tf.Tensor) => dense.apply(tf.leakyRelu(x, 0.2)) as tf.Tensor
    const real = tf.tensor2d([[1, -1, 2]])
    const fake = tf.tensor2d([[-1, -2, 0.5]])
    critic(real)
    const kernel = dense.trainableWeights[0]!.read() as tf.Variable
    const { grads } = tf.variableGrads(() => gradientPenalty(critic, real, fake, [1]), [kernel])
    // At x = real: ∇ₓ = w ⊙ slope = [1, 0.2, 1], ‖·‖ = √2.04; d/dw of (‖w ⊙ s‖ − 1)² = 2(n − 1)·w·s²/n.
    const n = Math.sqrt(2.04)
    const expected = [1, 0.04, 1].map((s2) => (2 * (n - 1) * s2) / n)
    Array.from(grads[kernel.name]!.dataSync()).forEach((g, i) => expect(g).toBeCloseTo(expected[i]!, 4))
  })
})

describe('DiffAugment', () => {
  const images = tf.randomUniform([4, 16, 16, 3], -1, 1, 'float32', 7) as tf.Tensor4D
  it('is repeatable from the RNG state and changes the images', () => {
    const a = diffAugment(images, ['color', 'translation', 'cutout'], new Random(1))
    const b = diffAugment(images, ['color', 'translation', 'cutout'], new Random(1))
    const c = diffAugment(images, ['color', 'translation', 'cutout'], new Random(2))
    expect(a.shape).toEqual(images.shape)
    expect(Array.from(a.dataSync())).toEqual(Array.from(b.dataSync()))
    expect(Array.from(a.dataSync())).not.toEqual(Array.from(c.dataSync()))
  })
  it('cutout blanks a quarter of each image or less; translation keeps the pixel values', () => {
    const ones = tf.ones([8, 16, 16, 1]) as tf.Tensor4D
    const cut = diffAugment(ones, ['cutout'], new Random(3)).dataSync()
    for (let i = 0; i < 8; i++) {
      const zeros = cut.slice(i * 256, (i + 1) * 256).filter((v) => v === 0).length
      expect(zeros).toBeGreaterThan(0)
      expect(zeros).toBeLessThanOrEqual(64)
    }
    const ramp = tf.add(tf.range(0, 256).reshape([1, 16, 16, 1]), 1) as tf.Tensor4D
    const moved = Array.from(diffAugment(ramp, ['translation'], new Random(4)).dataSync())
    expect(moved.every((v) => v === 0 || (Number.isInteger(v) && v >= 1 && v <= 256))).toBe(true)
  })
  it('lets gradients through to the images', () => {
    const g = tf.grad((x: tf.Tensor) => tf.sum(diffAugment(x as tf.Tensor4D, ['color', 'translation', 'cutout'], new Random(5))))(images)
    expect(value(tf.sum(tf.abs(g)))).toBeGreaterThan(0)
  })
})

describe('spectral normalisation', () => {
  it('drives the largest singular value of the kernel to 1 with power iteration, only while training', () => {
    const kernelInitializer = tf.initializers.randomNormal({ mean: 0, stddev: 0.02, seed: 11 })
    const layer = new SpectralConv2D({ filters: 6, kernelSize: 3, strides: 1, useBias: false, uSeed: 1, kernelInitializer })
    const x = tf.randomNormal([1, 8, 8, 4], 0, 1, 'float32', 2)
    layer.apply(x)
    const sigmaOf = (k: tf.Tensor) => {
      // Largest singular value by many power iterations, independently of the layer's.
      const w = k.reshape([-1, 6]) as tf.Tensor2D
      let v = tf.ones([6, 1]) as tf.Tensor2D
      for (let i = 0; i < 200; i++) v = tf.div(tf.matMul(w, tf.matMul(w, v), true), tf.norm(tf.matMul(w, tf.matMul(w, v), true)))
      return value(tf.norm(tf.matMul(w, v)))
    }
    const frozen = layer.normalizedKernel(false)
    expect(Array.from(layer.normalizedKernel(false).dataSync())).toEqual(Array.from(frozen.dataSync()))
    for (let i = 0; i < 100; i++) layer.normalizedKernel(true).dispose()
    expect(sigmaOf(layer.normalizedKernel(false))).toBeCloseTo(1, 3)
    expect(Math.abs(sigmaOf(layer.getWeights()[0]!) - 1)).toBeGreaterThan(0.5) // the raw kernel is not (N(0, 0.02): σ ≈ 0.16)
  })
})
