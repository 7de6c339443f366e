/**
 * InstanceNorm's hand-written gradient against TF.js's gradient of the plain formula, on cpu and
 * wasm: output and input gradient within 1e-4, including a constant channel (σ = 0, ε decides).
 */
import { describe, expect, it } from 'vitest'
import * as tf from '@tensorflow/tfjs'
import { expectClose, seeded, use } from '../backend/wasm-test-helpers'
import { instanceNorm, normalizeInstances } from './instance-norm'

const plain = (x: tf.Tensor, epsilon: number) => {
  const { mean, variance } = tf.moments(x, [1, 2], true)
  return tf.div(tf.sub(x, mean), tf.sqrt(tf.add(variance, epsilon)))
}

function input(): tf.Tensor {
  const values = seeded(2 * 5 * 7 * 4, 11).map((v, i) => (i % 4 === 3 ? 0.25 : 3 * v + (i % 4))) // channel 3 constant
  return tf.tensor(values, [2, 5, 7, 4])
}

describe('InstanceNorm', () => {
  for (const backend of ['cpu', 'wasm'] as const) {
    it(`matches the plain formula and its TF.js gradient (${backend})`, async () => {
      await use(backend)
      const before = tf.memory().numTensors
      const [x, r] = [input(), tf.tensor(seeded(2 * 5 * 7 * 4, 12), [2, 5, 7, 4])]
      const loss = (norm: (t: tf.Tensor) => tf.Tensor) => (t: tf.Tensor) => tf.sum(tf.mul(norm(t), r))
      const ours = (t: tf.Tensor) => normalizeInstances(t, 1e-5)
      const reference = (t: tf.Tensor) => plain(t, 1e-5)
      const values = tf.tidy(() => [ours(x), reference(x), tf.grad(loss(ours))(x), tf.grad(loss(reference))(x)].map((t) => t.dataSync() as Float32Array))
      expectClose(values[0], values[1], 'output')
      expectClose(values[2], values[3], 'input gradient')
      // the layer is the same function
      const layer = instanceNorm()
      expectClose(tf.tidy(() => (layer.apply(x) as tf.Tensor).dataSync() as Float32Array), values[1], 'layer output')
      tf.dispose([x, r])
      expect(tf.memory().numTensors).toBe(before)
    })
  }
})

describe('InstanceNorm under a gradient of a gradient', () => {
  it('gives the plain formula its second derivative (as a gradient penalty needs)', async () => {
    await use('wasm')
    const [x, r] = [input(), tf.tensor(seeded(2 * 5 * 7 * 4, 13), [2, 5, 7, 4])]
    // ‖∂(Σ norm(x)·r)/∂x‖², differentiated again with respect to x
    const penalty = (norm: (t: tf.Tensor) => tf.Tensor) => (t: tf.Tensor) => tf.sum(tf.square(tf.grad((u: tf.Tensor) => tf.sum(tf.mul(norm(u), r)))(t)))
    const [ours, reference] = tf.tidy(() => [
      tf.grad(penalty((t) => normalizeInstances(t, 1e-5)))(x),
      tf.grad(penalty((t) => plain(t, 1e-5)))(x),
    ].map((t) => t.dataSync() as Float32Array))
    expectClose(ours, reference, 'second-order gradient', 1e-3)
    tf.dispose([x, r])
  })
})
