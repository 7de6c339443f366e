/** The wasm Sum replacement gives the cpu backend's sums, and leaves other reductions to the stock kernel. */
import * as tf from '@tensorflow/tfjs'
import { describe, expect, it } from 'vitest'
import { expectClose, on, seededTensor, use } from './wasm-test-helpers'

describe('wasm Sum', () => {
  const cases: [string, number[], number | number[], boolean][] = [
    ['a bias gradient: N, H, W of NHWC', [2, 5, 6, 7], [0, 1, 2], false],
    ['the same, keepDims', [2, 5, 6, 7], [2, 0, 1], true],
    ['rows of a matrix', [9, 4], 0, false],
    ['negative axes', [3, 4, 5], [-3, -2], false],
    ['H and W only (stock kernel)', [2, 5, 6, 7], [1, 2], true],
    ['the last axis (stock kernel)', [3, 4, 5], -1, false],
    ['everything (stock kernel)', [3, 4, 5], [0, 1, 2], false],
  ]
  it.each(cases)('%s', async (_, shape, axis, keepDims) => {
    const run = () => [tf.sum(tf.mul(seededTensor(shape, 1), 10), axis, keepDims), tf.sum(tf.cast(tf.mul(seededTensor(shape, 2), 10), 'int32'), axis, keepDims)]
    const expected = await on('cpu', run)
    const actual = await on('wasm', run)
    expectClose(actual[0], expected[0], 'float32')
    expect(Array.from(actual[1]!)).toEqual(Array.from(expected[1]!))
    const shapeOn = async (backend: 'cpu' | 'wasm') => {
      await use(backend)
      return tf.tidy(() => run()[0]!.shape)
    }
    expect(await shapeOn('wasm')).toEqual(await shapeOn('cpu'))
  })

  it('gives a conv bias its cpu gradient', async () => {
    const run = () => tf.grads((b: tf.Tensor) => tf.sum(tf.mul(tf.add(tf.conv2d(seededTensor([2, 6, 6, 3], 3) as tf.Tensor4D, seededTensor([3, 3, 3, 5], 4) as tf.Tensor4D, 1, 'same'), b), seededTensor([2, 6, 6, 5], 5))))([seededTensor([5], 6)])
    expectClose((await on('wasm', run))[0], (await on('cpu', run))[0], 'bias gradient')
  })
})
