/**
 * The Winograd transforms in WebAssembly SIMD (wasm-winograd-simd.ts) against their JavaScript
 * versions and the cpu backend's direct convolutions, within 1e-4: every transform (input, filter,
 * output with bias and activations, output gradient, channel-major input, filter gradient), odd
 * output sizes (a last tile with one column or one row), and a batch.
 */
import { afterEach, describe, expect, it } from 'vitest'
import * as tf from '@tensorflow/tfjs'
import { expectClose, on, seededTensor, use, type Pad } from './wasm-test-helpers'
import { simdTransforms, winogradSimdOf, winogradWat } from './wasm-winograd-simd'

const C = 128
const CO = 256

/** A fused conv (bias, activation), a plain one, and both gradients of a loss through it. */
const convAndGradients = (shape: number[], pad: Pad, activation: 'relu' | 'leakyrelu' | 'linear') => () => {
  const x = seededTensor(shape, 1)
  const f = tf.mul(seededTensor([3, 3, C, CO], 2), 0.1)
  const bias = seededTensor([CO], 3)
  const fused = tf.fused.conv2d({ x: x as tf.Tensor4D, filter: f as tf.Tensor4D, bias, strides: 1, pad: pad as 'same', activation, leakyreluAlpha: 0.2 })
  const upstream = seededTensor(fused.shape, 4)
  const loss = (xx: tf.Tensor, ff: tf.Tensor) => tf.sum(tf.mul(tf.conv2d(xx as tf.Tensor4D, ff as tf.Tensor4D, 1, pad as 'same'), upstream))
  return [fused, ...tf.grads(loss)([x, f])]
}

describe('Winograd transforms in WebAssembly SIMD', () => {
  afterEach(() => {
    simdTransforms.enabled = true
  })

  it('assembles for both kinds of wasm memory', async () => {
    expect(winogradWat(true)).toMatch(/\(memory 1 65536 shared\)/)
    expect(winogradWat(false)).not.toMatch(/shared/)
    await use('wasm')
    expect(winogradSimdOf(tf.backend()), 'the SIMD module is ready on the wasm backend').toBeDefined()
  })

  it.each<[string, number[], Pad, 'relu' | 'leakyrelu' | 'linear']>([
    ['even sizes, 4 tiles a row (channel-major SIMD too), relu', [1, 8, 16, C], 'same', 'relu'],
    ['batch of 2, odd rows, leaky relu', [2, 9, 8, C], 'same', 'leakyrelu'],
    ['odd columns (a last tile of one column), valid', [1, 10, 11, C], 'valid', 'linear'],
  ])('gives what the JavaScript transforms and the cpu give: %s', async (_, shape, pad, activation) => {
    const run = convAndGradients(shape, pad, activation)
    const expected = await on('cpu', run)
    simdTransforms.enabled = false
    const javascript = await on('wasm', run)
    simdTransforms.enabled = true
    const simd = await on('wasm', run)
    const names = ['fused conv', 'dx', 'dW']
    names.forEach((name, i) => {
      expectClose(simd[i], expected[i], `${name} (SIMD vs cpu)`)
      expectClose(simd[i], javascript[i], `${name} (SIMD vs JavaScript)`)
    })
  })
})
