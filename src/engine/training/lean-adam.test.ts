import { describe, expect, it } from 'vitest'
import * as tf from '@tensorflow/tfjs'
import '@tensorflow/tfjs-backend-wasm'
import { Random } from '../random'
import { LeanAdamOptimizer } from './lean-adam'

/** Three steps of a small regression on two variables (one left without a gradient once). */
async function train(optimizer: tf.Optimizer) {
  const random = new Random(3)
  const values = (n: number) => Float32Array.from({ length: n }, () => random.normal())
  const [w, b] = tf.tidy(() => [tf.variable(tf.tensor2d(values(12), [4, 3]), true, `w${Math.random()}`), tf.variable(tf.tensor1d(values(3)), true, `b${Math.random()}`)])
  const x = tf.tensor2d(values(20), [5, 4])
  const y = tf.tensor2d(values(15), [5, 3])
  for (let step = 0; step < 3; step++) {
    const vars = step === 1 ? [w] : [w, b]
    optimizer.minimize(() => tf.mean(tf.square(tf.sub(tf.add(tf.matMul(x, w), b), y))) as tf.Scalar, false, vars)
  }
  const slots = await optimizer.getWeights()
  const result = {
    w: Array.from(w.dataSync()),
    b: Array.from(b.dataSync()),
    slots: slots.map((s) => [s.name.replace(/^[wb][\d.e-]+/, (m) => m[0]!), Array.from(s.tensor.dataSync())]),
  }
  tf.dispose([w, b, x, y, slots[0]!.tensor]) // getWeights makes a fresh iteration count
  optimizer.dispose()
  return result
}

describe('LeanAdamOptimizer', () => {
  for (const backend of ['cpu', 'wasm']) {
    it(`updates bit for bit as TF.js's Adam, with the same slots (${backend})`, async () => {
      await tf.setBackend(backend)
      const before = tf.memory().numTensors
      const reference = await train(tf.train.adam(1e-2, 0.5, 0.999, 1e-8))
      const lean = await train(new LeanAdamOptimizer(1e-2, 0.5, 0.999, 1e-8))
      expect(lean).toEqual(reference)
      expect(lean.slots.map(([name]) => name)).toEqual(['iter', 'w/m', 'b/m', 'w/v', 'b/v'])
      expect(lean.w).not.toEqual(reference.w.map(() => 0)) // it trained
      expect(tf.memory().numTensors).toBe(before)
    })
  }
})
