import * as tf from '@tensorflow/tfjs'
import { beforeAll, describe, expect, it } from 'vitest'
import { registerMirrorPadGradient } from './mirror-pad-gradient'

beforeAll(async () => {
  await tf.setBackend('cpu')
  registerMirrorPadGradient()
})

/** The same padding spelt out with slices and concat, whose gradients TF.js gets right. */
function padByHand(x: tf.Tensor4D, p: number, mode: 'reflect' | 'symmetric'): tf.Tensor4D {
  const s = mode === 'reflect' ? 1 : 0
  const padAxis = (t: tf.Tensor4D, axis: 1 | 2) => {
    const n = t.shape[axis]
    const take = (start: number, size: number) => {
      const begin = [0, 0, 0, 0]
      const sizes = t.shape.slice()
      begin[axis] = start
      sizes[axis] = size
      return tf.slice(t, begin, sizes)
    }
    return tf.concat([tf.reverse(take(s, p), axis), t, tf.reverse(take(n - p - s, p), axis)], axis) as tf.Tensor4D
  }
  return padAxis(padAxis(x, 1), 2)
}

describe('MirrorPad gradient', () => {
  for (const mode of ['reflect', 'symmetric'] as const) {
    for (const [h, w, p] of [[5, 6, 1], [7, 7, 3], [4, 9, 2]] as const) {
      it(`${mode}, ${h}×${w}, pad ${p}: matches the slice-and-concat formulation`, () => {
        const x = tf.randomNormal([2, h, w, 3], 0, 1, 'float32', 11) as tf.Tensor4D
        const weights = tf.randomNormal([2, h + 2 * p, w + 2 * p, 3], 0, 1, 'float32', 12)
        const viaKernel = tf.grad((t: tf.Tensor) => tf.sum(tf.mul(tf.mirrorPad(t as tf.Tensor4D, [[0, 0], [p, p], [p, p], [0, 0]], mode), weights)))(x)
        const viaHand = tf.grad((t: tf.Tensor) => tf.sum(tf.mul(padByHand(t as tf.Tensor4D, p, mode), weights)))(x)
        const forward = tf.sub(tf.mirrorPad(x, [[0, 0], [p, p], [p, p], [0, 0]], mode), padByHand(x, p, mode)).abs().max().dataSync()[0]
        expect(forward).toBe(0) // the hand-written padding really is the same function
        expect(tf.sub(viaKernel, viaHand).abs().max().dataSync()[0]).toBeLessThan(1e-5)
      })
    }
  }
})
