/**
 * The engine's gradients with early freeing (lean-gradients.ts) against TF.js's own, on the layers
 * the GANs are made of: the same gradients bit for bit, nothing left allocated, and a gradient of a
 * gradient (WGAN-GP's penalty) still right.
 */
import { afterEach, describe, expect, it } from 'vitest'
import * as tf from '@tensorflow/tfjs'
import { resnetGenerator } from '../models/resnet'
import { unetGenerator } from '../models/unet'
import { gradientPenalty } from '../losses'
import { installLeanGradients } from './lean-gradients'
import { seededTensor, use } from './wasm-test-helpers'

let restore: (() => void) | undefined
afterEach(() => restore?.())

/** Gradients of a scalar function of the model with respect to its weights and its input, as plain arrays. */
function weightAndInputGradients(model: tf.LayersModel, x: tf.Tensor, training: boolean): Float32Array[] {
  return tf.tidy(() => {
    const weights = model.trainableWeights.map((w) => w.read() as tf.Variable)
    const { grads } = tf.variableGrads(() => tf.mean(tf.square(model.apply(x, { training, dropoutSeed: 3 } as object) as tf.Tensor)) as tf.Scalar, weights)
    const dx = tf.grad((input: tf.Tensor) => tf.sum(tf.mul(model.apply(input, { training }) as tf.Tensor, 0.5)))(x)
    return [...weights.map((w) => grads[w.name]!), dx].map((g) => g.dataSync() as Float32Array)
  })
}

const cases = {
  'ResNet generator (reflection pad, instance norm, residual adds, transposed convs)': () =>
    resnetGenerator({ blocks: 2, ngf: 4, size: 16, inputChannels: 3, outputChannels: 3, seed: 1 }),
  'U-Net generator (batch norm, dropout, skip concatenations)': () =>
    unetGenerator({ levels: 4, ngf: 4, size: 16, inputChannels: 3, outputChannels: 3, seed: 2 }),
}

describe('lean gradients', () => {
  for (const backend of ['cpu', 'wasm'] as const) {
    for (const [label, build] of Object.entries(cases)) {
      it(`equal TF.js's bit for bit and free everything: ${label} (${backend})`, async () => {
        await use(backend)
        const model = build()
        const x = seededTensor([2, 16, 16, 3], 7)
        const reference = weightAndInputGradients(model, x, true)
        const before = [tf.memory().numTensors, tf.engine().backend.numDataIds()]
        restore = installLeanGradients()
        const lean = weightAndInputGradients(model, x, true)
        expect([tf.memory().numTensors, tf.engine().backend.numDataIds()]).toEqual(before)
        expect(lean).toHaveLength(reference.length)
        lean.forEach((g, i) => expect(g, `gradient ${i}`).toEqual(reference[i]))
        expect(lean.some((g) => g.some((v) => v !== 0))).toBe(true)
        tf.dispose(x)
        model.dispose()
      })
    }
  }

  it('keeps what a gradient of a gradient needs (gradient penalty on a critic)', async () => {
    await use('wasm')
    const critic = tf.sequential({ layers: [tf.layers.dense({ inputShape: [2], units: 8, activation: 'tanh', kernelInitializer: tf.initializers.glorotUniform({ seed: 1 }) }), tf.layers.dense({ units: 1, kernelInitializer: tf.initializers.glorotUniform({ seed: 2 }) })] })
    const [real, fake] = [seededTensor([4, 2], 1), seededTensor([4, 2], 2)]
    const penaltyGrads = () => {
      const weights = critic.trainableWeights.map((w) => w.read() as tf.Variable)
      const { value, grads } = tf.variableGrads(() => gradientPenalty((t) => critic.apply(t) as tf.Tensor, real, fake, [0.1, 0.4, 0.6, 0.9]), weights)
      // the output bias has no gradient: the penalty depends on ∂D/∂x only
      const arrays = weights.map((w) => (grads[w.name]?.dataSync() as Float32Array | undefined) ?? null)
      tf.dispose([value, ...Object.values(grads)])
      return arrays
    }
    const reference = penaltyGrads()
    restore = installLeanGradients()
    expect(penaltyGrads()).toEqual(reference)
    expect(reference.some((g) => g?.some((v) => v !== 0))).toBe(true)
    tf.dispose([real, fake])
    critic.dispose()
  })
})
