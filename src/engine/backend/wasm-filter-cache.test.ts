/**
 * The wasm transposed convolution keeps its rearranged taps with the weight outside gradient
 * recording (wasm-filter-cache.ts). Cached or not, results must equal the cpu reference within 1e-4,
 * new weights must never meet old taps, and disposing the weight must free them.
 */
import { describe, expect, it } from 'vitest'
import * as tf from '@tensorflow/tfjs'
import { derivedFilterCount } from './wasm-filter-cache'
import type { WasmBackendLike } from './wasm-kernels'
import { expectClose, on, seededTensor, use } from './wasm-test-helpers'

const xShape = [2, 5, 6, 8]
const fShape = [4, 4, 3, 8] // [kh, kw, out, in] of conv2dTranspose
const outShape: [number, number, number, number] = [2, 10, 12, 3]

const deconv = (x: tf.Tensor, f: tf.Tensor) => tf.conv2dTranspose(x as tf.Tensor4D, f as tf.Tensor4D, outShape, 2, 'same')
const backend = () => tf.backend() as unknown as WasmBackendLike
const dataIds = () => tf.engine().backend.numDataIds()

describe('derived filters of the wasm Conv2DBackpropInput', () => {
  it('are reused across inference calls, give the cpu result every time, and go with the weight', async () => {
    const expected = await on('cpu', () => [deconv(seededTensor(xShape, 1), seededTensor(fShape, 2))])
    await use('wasm')
    const before = dataIds()
    const [x, f] = [seededTensor(xShape, 1), seededTensor(fShape, 2)]
    const cachedBefore = derivedFilterCount(backend())
    for (let i = 0; i < 3; i++) {
      const y = deconv(x, f)
      expectClose(y.dataSync() as Float32Array, expected[0], `call ${i + 1}`)
      y.dispose()
      // stride 2 in both axes: four output phases, each with its own taps, made on the first call only
      expect(derivedFilterCount(backend()) - cachedBefore).toBe(4)
    }
    f.dispose()
    expect(derivedFilterCount(backend())).toBe(cachedBefore)
    x.dispose()
    expect(dataIds()).toBe(before)
  })

  it('follow a variable whose value changes (an optimiser step)', async () => {
    const [first, second] = await Promise.all([2, 3].map((seed) => on('cpu', () => [deconv(seededTensor(xShape, 1), seededTensor(fShape, seed))])))
    await use('wasm')
    const x = seededTensor(xShape, 1)
    const f = tf.variable(seededTensor(fShape, 2))
    const run = () => tf.tidy(() => deconv(x, f).dataSync() as Float32Array)
    expectClose(run(), first![0], 'before assign')
    f.assign(seededTensor(fShape, 3))
    expectClose(run(), second![0], 'after assign (new taps, not the cached ones)')
    tf.dispose([x, f])
  })

  it('are not kept while gradients are recorded', async () => {
    await use('wasm')
    const before = [dataIds(), derivedFilterCount(backend())]
    const [x, f] = [seededTensor(xShape, 1), seededTensor(fShape, 2)]
    const grads = tf.grads((xx: tf.Tensor, ff: tf.Tensor) => tf.sum(deconv(xx, ff)))([x, f])
    expect(derivedFilterCount(backend())).toBe(before[1])
    tf.dispose([...grads, x, f])
    expect([dataIds(), derivedFilterCount(backend())]).toEqual(before)
  })
})
