import * as tf from '@tensorflow/tfjs'
import { beforeAll, describe, expect, it } from 'vitest'
import { MIRROR_PAD_GRAD } from '../backend/wasm-mirror-pad-grad'
import { expectClose, on, use } from '../backend/wasm-test-helpers'
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

describe('MirrorPad gradient on wasm (one kernel)', () => {
  const cases: ['reflect' | 'symmetric', [number, number, number, number], [number, number][]][] = [
    ['reflect', [2, 6, 7, 5], [[0, 0], [3, 3], [3, 3], [0, 0]]],
    ['reflect', [1, 5, 4, 3], [[0, 0], [1, 2], [2, 0], [0, 0]]],
    ['symmetric', [2, 4, 6, 2], [[0, 0], [2, 1], [0, 3], [0, 0]]],
  ]
  it.each(cases)('%s %j padded %j: the cpu gradient, from one kernel', async (mode, shape, paddings) => {
    const run = () => {
      const x = tf.randomNormal(shape, 0, 1, 'float32', 21) as tf.Tensor4D
      const padded = shape.map((n, i) => n + paddings[i]![0] + paddings[i]![1]) as [number, number, number, number]
      const weights = tf.randomNormal(padded, 0, 1, 'float32', 22)
      return [tf.grad((t: tf.Tensor) => tf.sum(tf.mul(tf.mirrorPad(t as tf.Tensor4D, paddings as [number, number][], mode), weights)))(x)]
    }
    const expected = await on('cpu', run)
    await use('wasm')
    const { kernelNames } = await tf.profile(() => tf.dispose(run()))
    expect(kernelNames).toContain(MIRROR_PAD_GRAD)
    const actual = await on('wasm', run)
    expectClose(actual[0], expected[0], 'dx', 0.5)
  })
})
