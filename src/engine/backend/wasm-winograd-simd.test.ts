/**
 * The Winograd transforms in WebAssembly SIMD, F(2×2, 3×3) (wasm-winograd-simd.ts) and F(4×4, 3×3)
 * (wasm-winograd4*.ts), against the JavaScript F(2×2) transforms and the cpu backend's direct
 * convolutions, within 1e-4: every transform (input, filter, output with bias and activations,
 * output gradient, channel-major input, filter gradient), odd output sizes (last tiles with fewer
 * columns or rows), and a batch.
 */
import { afterEach, describe, expect, it } from 'vitest'
import * as tf from '@tensorflow/tfjs'
import { expectClose, on, seededTensor, use, type Pad } from './wasm-test-helpers'
import { simdTransforms, winograd4Of, winogradSimdOf, winogradWat } from './wasm-winograd-simd'
import { AT, BT, G } from './wasm-winograd4-wat'

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
    Object.assign(simdTransforms, { enabled: true, tile: 4 })
  })

  it('has F(4×4, 3×3) matrices that compute a 1-D correlation: Aᵀ [(G g) ⊙ (Bᵀ d)] = d ⋆ g', () => {
    const d = [0.3, -1.2, 2.5, 0.7, -0.4, 1.9]
    const g = [0.8, -0.5, 1.3]
    const mul = (m: readonly (readonly number[])[], v: number[]) => m.map((row) => row.reduce((s, c, k) => s + c * v[k]!, 0))
    const u = mul(G, g)
    const y = mul(AT, mul(BT, d).map((v, k) => v * u[k]!))
    const direct = [0, 1, 2, 3].map((i) => d[i]! * g[0]! + d[i + 1]! * g[1]! + d[i + 2]! * g[2]!)
    y.forEach((v, i) => expect(v).toBeCloseTo(direct[i]!, 12))
  })

  it('assembles for both kinds of wasm memory', async () => {
    expect(winogradWat(true)).toMatch(/\(memory 1 65536 shared\)/)
    expect(winogradWat(false)).not.toMatch(/shared/)
    await use('wasm')
    expect(winogradSimdOf(tf.backend()), 'the F(2×2) SIMD module is ready on the wasm backend').toBeDefined()
    expect(winograd4Of(tf.backend()), 'the F(4×4) SIMD module too').toBeDefined()
  })

  it.each<[string, number[], Pad, 'relu' | 'leakyrelu' | 'linear']>([
    ['even sizes, 4 tiles a row (channel-major SIMD too), relu', [1, 8, 16, C], 'same', 'relu'],
    ['batch of 2, odd rows, leaky relu', [2, 9, 8, C], 'same', 'leakyrelu'],
    ['odd columns (a last tile of one column), valid', [1, 10, 11, C], 'valid', 'linear'],
    ['a last row of 4×4 tiles with 3 rows, 4 tiles a row (F(4×4) filter gradient too)', [1, 7, 16, C], 'same', 'leakyrelu'],
  ])('gives what the JavaScript transforms and the cpu give: %s', async (_, shape, pad, activation) => {
    const run = convAndGradients(shape, pad, activation)
    const expected = await on('cpu', run)
    simdTransforms.enabled = false
    const javascript = await on('wasm', run)
    for (const tile of [2, 4] as const) {
      Object.assign(simdTransforms, { enabled: true, tile })
      const simd = await on('wasm', run)
      ;['fused conv', 'dx', 'dW'].forEach((name, i) => {
        expectClose(simd[i], expected[i], `${name} (F(${tile}×${tile}) SIMD vs cpu)`)
        expectClose(simd[i], javascript[i], `${name} (F(${tile}×${tile}) SIMD vs JavaScript)`)
      })
    }
  })
})
