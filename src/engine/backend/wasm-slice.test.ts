/** The wasm Slice replacement gives exactly what the cpu backend gives, for every kind of crop. */
import * as tf from '@tensorflow/tfjs'
import { describe, expect, it } from 'vitest'
import { on, seededTensor } from './wasm-test-helpers'

const cases: [string, number[], number[], number[]][] = [
  ['transposed-conv crop, rows', [1, 9, 9, 4], [0, 1, 0, 0], [1, 8, 9, 4]],
  ['transposed-conv crop, columns', [1, 8, 9, 4], [0, 0, 1, 0], [1, 8, 8, 4]],
  ['both, batch of 3', [3, 7, 6, 5], [1, 2, 1, 0], [2, 4, 3, 5]],
  ['channels only', [2, 3, 4, 6], [0, 0, 0, 2], [2, 3, 4, 3]],
  ['everything cut', [3, 4, 5, 6], [1, 1, 2, 3], [2, 2, 2, 2]],
  ['size −1 to the end', [2, 5, 5, 3], [0, 2, 1, 0], [-1, -1, 3, -1]],
  ['whole tensor', [2, 3, 4], [0, 0, 0], [2, 3, 4]],
  ['first axis only (contiguous)', [4, 3, 2], [1, 0, 0], [2, 3, 2]],
  ['rank 1', [10], [3], [4]],
  ['rank 5', [2, 3, 4, 3, 2], [1, 0, 1, 1, 0], [1, 3, 2, 2, 1]],
  ['empty', [3, 4], [1, 2], [0, 2]],
]

describe('wasm Slice', () => {
  it.each(cases)('%s', async (_, shape, begin, size) => {
    const run = () => [tf.slice(seededTensor(shape, 1), begin, size), tf.slice(tf.cast(tf.mul(seededTensor(shape, 2), 100), 'int32'), begin, size)]
    const [wasm, cpu] = [await on('wasm', run), await on('cpu', run)]
    expect(wasm.map((v) => Array.from(v))).toEqual(cpu.map((v) => Array.from(v)))
  })

  it('slices bool tensors and scalars', async () => {
    const run = () => [
      tf.cast(tf.slice(tf.greater(seededTensor([4, 5, 3], 3), 0), [1, 1, 0], [2, 3, 3]), 'float32'),
      tf.slice(tf.scalar(7).reshape([1]), [0], [1]),
    ]
    const [wasm, cpu] = [await on('wasm', run), await on('cpu', run)]
    expect(wasm.map((v) => Array.from(v))).toEqual(cpu.map((v) => Array.from(v)))
  })

  it('keeps the gradient (a pad of the upstream gradient)', async () => {
    const run = () => [tf.grad((x: tf.Tensor) => tf.sum(tf.mul(tf.slice(x, [0, 1, 1, 0], [1, 3, 2, 2]), seededTensor([1, 3, 2, 2], 5))))(seededTensor([1, 5, 4, 2], 4))]
    const [wasm, cpu] = [await on('wasm', run), await on('cpu', run)]
    expect(Array.from(wasm[0]!)).toEqual(Array.from(cpu[0]!))
  })
})
