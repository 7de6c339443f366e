/**
 * The Winograd F(2×2, 3×3) path of the wasm Conv2D / FusedConv2D (wasm-winograd.ts) against the cpu
 * backend's direct convolution, within 1e-4: odd output sizes, every kind of padding, batches, bias
 * and activations, the input gradient (a stride-1 3×3 conv itself), and its filters' lifetime.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import * as tf from '@tensorflow/tfjs'
import { derivedFilterCount } from './wasm-filter-cache'
import type { WasmBackendLike } from './wasm-kernels'
import { conv3x3FilterGradWinograd } from './wasm-winograd-filter-grad'
import { simdTransforms } from './wasm-winograd-simd'
import { expectClose, on, seededTensor, use } from './wasm-test-helpers'

// 128 → 256 channels: the smallest pair that takes the Winograd path.
const C = 128
const CO = 256
const backend = () => tf.backend() as unknown as WasmBackendLike
const dataIds = () => tf.engine().backend.numDataIds()

type Pad = 'valid' | 'same' | [[number, number], [number, number], [number, number], [number, number]]
const cases: [string, number[], Pad, 'linear' | 'relu' | 'leakyrelu', boolean][] = [
  ['even output, valid', [1, 10, 10, C], 'valid', 'linear', false],
  ['odd output both ways, same, relu, bias', [1, 7, 9, C], 'same', 'relu', true],
  ['batch of 2, explicit pad (the input-gradient shape), leaky relu', [2, 5, 6, C], [[0, 0], [2, 2], [2, 2], [0, 0]], 'leakyrelu', true],
  ['uneven explicit pad, bias, no activation', [1, 6, 5, C], [[0, 0], [1, 0], [0, 2], [0, 0]], 'linear', true],
]

// F(4×4, 3×3) with its SIMD transforms (the default), and F(2×2, 3×3): 36 or 16 transformed filters.
describe.each([[4, 36], [2, 16]] as const)('wasm 3×3 convolutions by Winograd: output tile side %i, %i transformed filters', (tile, planes) => {
  beforeAll(() => {
    simdTransforms.tile = tile
  })
  afterAll(() => {
    simdTransforms.tile = 4
  })

  it.each(cases)('%s', async (_, shape, pad, activation, withBias) => {
    let held = 0
    const run = () => {
      const ys = [
        tf.fused.conv2d({
          x: seededTensor(shape, 1) as tf.Tensor4D, filter: tf.mul(seededTensor([3, 3, C, CO], 2), 0.1) as tf.Tensor4D,
        strides: 1, pad, activation, leakyreluAlpha: 0.2, ...(withBias ? { bias: seededTensor([CO], 3) } : {}),
      }),
      tf.conv2d(seededTensor(shape, 4) as tf.Tensor4D, tf.mul(seededTensor([3, 3, C, CO], 5), 0.1) as tf.Tensor4D, 1, pad),
      ]
      if (tf.getBackend() === 'wasm') held = derivedFilterCount(backend())
      return ys
    }
    const expected = await on('cpu', run)
    await use('wasm')
    const cached = derivedFilterCount(backend())
    const actual = await on('wasm', run)
    expectClose(actual[0], expected[0], 'fused conv2d')
    expectClose(actual[1], expected[1], 'conv2d')
    // The path really ran: each conv derived its transformed filters, freed with the filters.
    expect(held - cached).toBe(2 * planes)
    expect(derivedFilterCount(backend())).toBe(cached)
  })

  it('keeps the transformed filters with the weight at inference, and frees them with it', async () => {
    const run = (x: tf.Tensor, f: tf.Tensor) => tf.conv2d(x as tf.Tensor4D, f as tf.Tensor4D, 1, 'same')
    const expected = await on('cpu', () => [run(seededTensor([1, 6, 6, C], 1), seededTensor([3, 3, C, CO], 2))])
    await use('wasm')
    const before = dataIds()
    const cached = derivedFilterCount(backend())
    const [x, f] = [seededTensor([1, 6, 6, C], 1), seededTensor([3, 3, C, CO], 2)]
    for (let i = 0; i < 2; i++) {
      const y = run(x, f)
      expectClose(y.dataSync() as Float32Array, expected[0], `call ${i + 1}`)
      y.dispose()
      expect(derivedFilterCount(backend()) - cached).toBe(planes)
    }
    tf.dispose([x, f])
    expect(derivedFilterCount(backend())).toBe(cached)
    expect(dataIds()).toBe(before)
  })

  it('gives the cpu gradients (the input gradient is a Winograd conv too)', async () => {
    const run = () => {
      const f = tf.mul(seededTensor([3, 3, C, CO], 7), 0.1)
      const upstream = seededTensor([1, 6, 7, CO], 8)
      const loss = (x: tf.Tensor, w: tf.Tensor) => tf.sum(tf.mul(tf.conv2d(x as tf.Tensor4D, w as tf.Tensor4D, 1, 'same'), upstream))
      return tf.grads(loss)([seededTensor([1, 6, 7, C], 6), f])
    }
    const expected = await on('cpu', run)
    const actual = await on('wasm', run)
    expectClose(actual[0], expected[0], 'dx')
    expectClose(actual[1], expected[1], 'dW')
  })

  it.each<[string, number[], Pad]>([
    ['batch of 2, valid, odd output', [2, 7, 8, C], 'valid'],
    ['uneven explicit pad', [1, 5, 6, C], [[0, 0], [2, 0], [1, 2], [0, 0]]],
    ['same, odd rows and columns', [1, 9, 7, C], 'same'],
  ])('computes the filter gradient in the Winograd domain: %s', async (_, shape, pad) => {
    const info = tf.backend_util.computeConv2DInfo(shape as [number, number, number, number], [3, 3, C, CO], 1, 1, pad as 'valid')
    const inputs = () => [seededTensor(shape, 11), seededTensor(info.outShape, 12)] as [tf.Tensor4D, tf.Tensor4D]
    const attrs = { strides: 1, pad, dataFormat: 'NHWC', filterShape: [3, 3, C, CO] } as unknown as tf.NamedAttrMap
    const expected = await on('cpu', () => {
      const [x, dy] = inputs()
      return [tf.engine().runKernel('Conv2DBackpropFilter', { x, dy }, attrs) as tf.Tensor]
    })
    await use('wasm')
    const before = dataIds()
    const actual = await on('wasm', () => {
      const [x, dy] = inputs()
      const direct = tf.engine().makeTensorFromTensorInfo(conv3x3FilterGradWinograd(backend(), x, dy, info))
      return [direct, tf.engine().runKernel('Conv2DBackpropFilter', { x, dy }, attrs) as tf.Tensor]
    })
    expectClose(actual[0], expected[0], 'dW (Winograd)')
    expectClose(actual[1], expected[0], 'dW (kernel)')
    expect(dataIds()).toBe(before) // every transform plane freed
  })

  it('leaves small channel counts and strided convs to the stock kernel', async () => {
    await use('wasm')
    const cached = derivedFilterCount(backend())
    const probe = (x: tf.Tensor, f: tf.Tensor, stride: number) => {
      tf.tidy(() => tf.conv2d(x as tf.Tensor4D, f as tf.Tensor4D, stride, 'same').dataSync())
      const held = derivedFilterCount(backend()) - cached
      tf.dispose([x, f])
      return held
    }
    expect(probe(seededTensor([1, 8, 8, 64], 1), seededTensor([3, 3, 64, 64], 2), 1)).toBe(0)
    expect(probe(seededTensor([1, 8, 8, C], 1), seededTensor([3, 3, C, CO], 2), 2)).toBe(0)
  })
})
