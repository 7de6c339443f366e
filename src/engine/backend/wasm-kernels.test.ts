/**
 * The wasm training kernels against TF.js's own 'cpu' kernels as the reference.
 *
 * Comparison: max|wasm − cpu| / max(1e-6, max|cpu|) ≤ 1e-4, i.e. the error relative to the largest
 * reference value of the tensor. Float32 sums taken in another order differ by ~1e-7 of the size of
 * their terms, so an element near zero can have a large relative error with nothing wrong; a broken
 * kernel (zeros, wrong layout, wrong tap) is off by O(1) on this scale. The reference must also be
 * non-trivial (max|cpu| > 0.1) so that an all-zero result can never pass.
 */
import { describe, it, expect } from 'vitest'
import * as tf from '@tensorflow/tfjs'
import { registerWasmTrainingKernels } from './wasm-kernels'
import { im2colLimits } from './wasm-conv2d-backprop-filter'
import { type Backend, type Pad, type Shape4, expectClose, on, seeded, seededTensor, size, use } from './wasm-test-helpers'

interface ConvCase { n: number; h: number; w: number; cin: number; cout: number; k: number; stride: number; pad: Pad }
const shapes = [
  { n: 1, h: 7, w: 7, cin: 3, cout: 8, k: 3 },
  { n: 2, h: 8, w: 6, cin: 1, cout: 3, k: 4 },
  { n: 3, h: 5, w: 9, cin: 8, cout: 1, k: 1 },
  { n: 2, h: 10, w: 10, cin: 8, cout: 8, k: 4 },
  { n: 1, h: 6, w: 6, cin: 1, cout: 16, k: 3 }, // Cout > KH·KW·Cin: the dyᵀ × Aᵀ orientation
]
const cases: ConvCase[] = shapes.flatMap((s) =>
  [1, 2].flatMap((stride) => (['same', 'valid', 1] as Pad[]).map((pad) => ({ ...s, stride, pad }))))
const label = (c: ConvCase) => `x[${c.n},${c.h},${c.w},${c.cin}] k${c.k} →${c.cout} s${c.stride} ${JSON.stringify(c.pad)}`

/** Gradients [dx, dFilter] of sum(conv2d(x, f) · r). */
function conv2dGrads(c: ConvCase) {
  const x = seededTensor([c.n, c.h, c.w, c.cin], 1) as tf.Tensor4D
  const f = seededTensor([c.k, c.k, c.cin, c.cout], 2) as tf.Tensor4D
  const conv = (x: tf.Tensor4D, f: tf.Tensor4D) => tf.conv2d(x, f, c.stride, c.pad as 'same')
  const r = seededTensor(conv(x, f).shape, 3)
  return tf.grads((x: tf.Tensor, f: tf.Tensor) => tf.sum(tf.mul(conv(x as tf.Tensor4D, f as tf.Tensor4D), r)))([x, f])
}

/** Gradients [dx, dFilter] of sum(conv2dTranspose(x, f) · r); x has cin channels, the output cout. */
function conv2dTransposeGrads(c: ConvCase) {
  const p = typeof c.pad === 'number' ? c.pad : 0
  const side = (d: number) => (c.pad === 'same' ? d * c.stride : (d - 1) * c.stride + c.k - 2 * p)
  const outShape: Shape4 = [c.n, side(c.h), side(c.w), c.cout]
  const x = seededTensor([c.n, c.h, c.w, c.cin], 4) as tf.Tensor4D
  const f = seededTensor([c.k, c.k, c.cout, c.cin], 5) as tf.Tensor4D
  const r = seededTensor(outShape, 6)
  return tf.grads((x: tf.Tensor, f: tf.Tensor) =>
    tf.sum(tf.mul(tf.conv2dTranspose(x as tf.Tensor4D, f as tf.Tensor4D, outShape, c.stride, c.pad as 'same'), r)))([x, f])
}

/** The kernel alone, on seeded x (seed 7) and dy (seed 8) of the matching shape. */
function runKernel(xShape: Shape4, fShape: Shape4, attrs: { strides: number | [number, number]; pad: Pad; [k: string]: unknown }) {
  const info = tf.backend_util.computeConv2DInfo(xShape, fShape, attrs.strides, (attrs.dilations as number) ?? 1,
    attrs.pad, attrs.dimRoundingMode as 'ceil' | undefined)
  const inputs = { x: seededTensor(xShape, 7), dy: seededTensor(info.outShape, 8) }
  return { info, run: () => [tf.engine().runKernel('Conv2DBackpropFilter', inputs, { dataFormat: 'NHWC', filterShape: fShape, ...attrs }) as tf.Tensor] }
}

/** Runs body with the tap-group limit at its default and at 1 (one filter tap per GEMM). */
async function withBothGroupings(body: () => Promise<void> | void) {
  const saved = im2colLimits.maxElements
  try {
    for (const limit of [saved, 1]) {
      im2colLimits.maxElements = limit
      await body()
    }
  } finally {
    im2colLimits.maxElements = saved
  }
}

describe('Conv2DBackpropFilter on wasm', () => {
  for (const [name, grads] of [['conv2d', conv2dGrads], ['conv2dTranspose', conv2dTransposeGrads]] as const) {
    it(`${name}: filter and input gradients match cpu (${cases.length} configurations)`, async () => {
      for (const c of cases) {
        const [cpuDx, cpuDf] = await on('cpu', () => grads(c))
        const [wasmDx, wasmDf] = await on('wasm', () => grads(c))
        expectClose(wasmDf, cpuDf, `${name} dFilter ${label(c)}`)
        expectClose(wasmDx, cpuDx, `${name} dx ${label(c)}`)
      }
    })
  }

  it('matches cpu for strides 3 and [1, 2], explicit padding, ceil rounding, split tap groups', async () => {
    const runs: [Shape4, Shape4, { strides: number | [number, number]; pad: Pad; dimRoundingMode?: string }][] = [
      [[2, 11, 10, 3], [3, 3, 3, 4], { strides: 3, pad: 'same' }],
      [[1, 9, 12, 2], [4, 2, 2, 5], { strides: [1, 2], pad: 'valid' }],
      [[2, 7, 8, 3], [3, 4, 3, 2], { strides: 2, pad: [[0, 0], [1, 2], [0, 3], [0, 0]] }],
      [[1, 6, 7, 2], [2, 3, 2, 3], { strides: 2, pad: 1, dimRoundingMode: 'ceil' }],
    ]
    await withBothGroupings(async () => {
      for (const [xs, fs, attrs] of runs) {
        const [cpu] = await on('cpu', runKernel(xs, fs, attrs).run)
        const [wasm] = await on('wasm', runKernel(xs, fs, attrs).run)
        expectClose(wasm, cpu, `x[${xs}] f[${fs}] ${JSON.stringify(attrs)} group limit ${im2colLimits.maxElements}`)
      }
    })
  })

  it('handles dilations (which the cpu kernel ignores) like a direct sum', async () => {
    const xs: Shape4 = [2, 9, 8, 3]
    const fs: Shape4 = [3, 2, 3, 4]
    const [N, H, W, C] = xs
    const [KH, KW, , CO] = fs
    const x = seeded(size(xs), 7)
    for (const [strides, pad] of [[1, 'same'], [2, 'valid'], [2, 'same']] as const) {
      const { info, run } = runKernel(xs, fs, { strides, pad, dilations: 2 })
      const [wasm] = await on('wasm', run)
      const { outHeight: OH, outWidth: OW, padInfo } = info
      const dy = seeded(N * OH * OW * CO, 8)
      const expected = new Float32Array(size(fs))
      for (let n = 0; n < N; n++) for (let oh = 0; oh < OH; oh++) for (let ow = 0; ow < OW; ow++)
        for (let kh = 0; kh < KH; kh++) for (let kw = 0; kw < KW; kw++) {
          const ih = oh * strides + kh * 2 - padInfo.top
          const iw = ow * strides + kw * 2 - padInfo.left
          if (ih < 0 || ih >= H || iw < 0 || iw >= W) continue
          for (let c = 0; c < C; c++) for (let co = 0; co < CO; co++) {
            expected[((kh * KW + kw) * C + c) * CO + co]! +=
              x[((n * H + ih) * W + iw) * C + c]! * dy[((n * OH + oh) * OW + ow) * CO + co]!
          }
        }
      expectClose(wasm, expected, `dilations 2, strides ${strides}, ${pad}`)
    }
  })

  it('rejects NCHW with a clear error', async () => {
    await use('wasm')
    const [x, dy] = [tf.zeros([1, 2, 4, 4]), tf.zeros([1, 3, 4, 4])]
    expect(() => tf.engine().runKernel('Conv2DBackpropFilter', { x, dy },
      { strides: 1, pad: 'same', dataFormat: 'NCHW', filterShape: [3, 3, 2, 3] })).toThrow(/NHWC/)
    tf.dispose([x, dy])
  })

  it('leaks no tensors and no wasm buffers over repeated gradient calls', async () => {
    await use('wasm')
    const count = () => [tf.memory().numTensors, tf.engine().backend.numDataIds()]
    const before = count()
    await withBothGroupings(() => {
      for (let i = 0; i < 3; i++) {
        for (const c of [cases[4]!, cases[20]!, cases[25]!]) tf.dispose(tf.tidy(() => [...conv2dGrads(c), ...conv2dTransposeGrads(c)]))
      }
    })
    expect(count()).toEqual(before)
  })

  it('registers idempotently', () => {
    registerWasmTrainingKernels()
    registerWasmTrainingKernels()
    expect(tf.getKernel('Conv2DBackpropFilter', 'wasm')).toBeDefined()
    expect(tf.getKernel('UnsortedSegmentSum', 'wasm')).toBeDefined()
  })
})

describe('a conv2d + batchNorm + leakyReLU + conv2dTranspose model on wasm', () => {
  const build = () => {
    const m = tf.sequential()
    m.add(tf.layers.conv2d({ inputShape: [8, 8, 3], filters: 8, kernelSize: 4, strides: 2, padding: 'same',
      useBias: false, kernelInitializer: tf.initializers.glorotUniform({ seed: 1 }) }))
    m.add(tf.layers.batchNormalization())
    m.add(tf.layers.leakyReLU({ alpha: 0.2 }))
    m.add(tf.layers.conv2dTranspose({ filters: 3, kernelSize: 4, strides: 2, padding: 'same', activation: 'tanh',
      kernelInitializer: tf.initializers.glorotUniform({ seed: 2 }) }))
    return { m, vars: m.trainableWeights.map((w) => w.read() as tf.Variable) }
  }
  const loss = (m: tf.Sequential) => () => tf.losses.meanSquaredError(tf.mul(seededTensor([4, 8, 8, 3], 22), 0.8),
    m.apply(seededTensor([4, 8, 8, 3], 21), { training: true }) as tf.Tensor) as tf.Scalar

  it('has the same first-step gradients as cpu', async () => {
    const firstGrads = async (backend: Backend) => {
      await use(backend)
      const { m, vars } = build()
      const { value, grads } = tf.variableGrads(loss(m), vars)
      const out = vars.map((v) => grads[v.name]!.dataSync() as Float32Array)
      tf.dispose([value, ...Object.values(grads)])
      m.dispose()
      return out
    }
    const cpu = await firstGrads('cpu')
    const wasm = await firstGrads('wasm')
    expect(wasm.length).toBe(5) // conv kernel, BN gamma and beta, transposed-conv kernel and bias
    // The mean loss gives small gradients (~1e-2), hence the lower floor for a non-trivial reference.
    cpu.forEach((g, i) => expectClose(wasm[i], g, `trainable weight ${i}`, 1e-3))
  })

  it('lowers its loss over 20 Adam steps', async () => {
    await use('wasm')
    const { m, vars } = build()
    const optimizer = tf.train.adam(0.01)
    const lossNow = () => tf.tidy(() => loss(m)().dataSync()[0]!)
    const start = lossNow()
    for (let step = 0; step < 20; step++) tf.dispose(optimizer.minimize(loss(m), true, vars) ?? [])
    const end = lossNow()
    optimizer.dispose()
    m.dispose()
    expect(end).toBeLessThan(0.5 * start) // typically 0.32 → 0.10
  })
})

describe('other gradients GAN training needs, wasm vs cpu', () => {
  const x = () => seededTensor([2, 6, 5, 4], 11) as tf.Tensor4D
  const crop = (t: tf.Tensor4D, top = 0) => t.slice([0, top, 0, 0], [2, 6, 5, 4])
  const ops: Record<string, (x: tf.Tensor4D) => tf.Tensor> = {
    'leakyRelu, relu, tanh, sigmoid': (x) => tf.addN([tf.leakyRelu(x, 0.2), tf.relu(x), tf.tanh(x), tf.sigmoid(x)]),
    'moments + batchNorm, instance norm': (x) => {
      const batch = tf.moments(x, [0, 1, 2])
      const instance = tf.moments(x, [1, 2], true)
      return tf.add(tf.batchNorm(x, batch.mean, batch.variance, tf.fill([4], 0.1), tf.fill([4], 1.5), 1e-3),
        tf.div(tf.sub(x, instance.mean), tf.sqrt(tf.add(instance.variance, 1e-5))))
    },
    'pad, mirrorPad, concat, resizeBilinear': (x) => tf.concat([
      crop(tf.pad(x, [[0, 0], [1, 2], [2, 1], [0, 0]])),
      crop(tf.mirrorPad(x, [[0, 0], [1, 1], [1, 1], [0, 0]], 'reflect'), 1),
      // Square: the cpu backend's ResizeBilinearGrad throws when height ≠ width.
      crop(tf.image.resizeBilinear(x.slice([0, 0, 0, 0], [2, 5, 5, 4]), [10, 10])),
    ], 3),
    'gather (UnsortedSegmentSum)': (x) => tf.gather(x.reshape([12, 20]), tf.tensor1d([3, 0, 3, 7, 11, 3], 'int32')),
  }
  for (const [name, op] of Object.entries(ops)) {
    it(`${name}: input gradient matches cpu`, async () => {
      const grad = () => {
        const r = seededTensor(op(x()).shape, 12)
        return [tf.grad((x: tf.Tensor) => tf.sum(tf.mul(op(x as tf.Tensor4D), r)))(x())]
      }
      expectClose((await on('wasm', grad))[0], (await on('cpu', grad))[0], name)
    })
  }

  it('resizeNearestNeighbor ×2 (UpSampling2D): gradient is the 2×2 block sum', async () => {
    // Checked against the exact answer, not cpu: the cpu backend's ResizeNearestNeighborGrad is wrong.
    const grad = () => {
      const r = seededTensor([2, 12, 10, 4], 12)
      return [tf.grad((x: tf.Tensor) => tf.sum(tf.mul(tf.image.resizeNearestNeighbor(x as tf.Tensor4D, [12, 10]), r)))(x()),
        tf.sum(r.reshape([2, 6, 2, 5, 2, 4]), [2, 4])]
    }
    const [wasm, expected] = await on('wasm', grad)
    expectClose(wasm, expected, 'resizeNearestNeighbor gradient')
  })

  it('UnsortedSegmentSum matches cpu for float32 and int32, dropping out-of-range ids', async () => {
    for (const dtype of ['float32', 'int32'] as const) {
      const sums = () => {
        const data = tf.tensor2d(seeded(7 * 3, 13).map((v) => (dtype === 'int32' ? Math.round(v * 9) : v)), [7, 3], dtype)
        return [tf.cast(tf.unsortedSegmentSum(data, tf.tensor1d([2, 0, 2, -1, 4, 9, 0], 'int32'), 5), 'float32')]
      }
      expectClose((await on('wasm', sums))[0], (await on('cpu', sums))[0], `UnsortedSegmentSum ${dtype}`)
    }
  })
})

describe('Identity on wasm', () => {
  it('shares the data instead of copying it, and each tensor outlives the other', async () => {
    await use('wasm')
    const before = [tf.memory().numTensors, tf.engine().backend.numDataIds()]
    const x = tf.tensor([1, 2, 3, 4], [2, 2])
    const y = x.clone()
    const backend = tf.backend() as unknown as { getMemoryOffset(id: tf.DataId): number }
    expect(backend.getMemoryOffset(y.dataId)).toBe(backend.getMemoryOffset(x.dataId))
    expect(tf.engine().backend.numDataIds()).toBe(before[1]! + 1) // one buffer for both
    x.dispose()
    expect(Array.from(y.dataSync())).toEqual([1, 2, 3, 4])
    // gradients save clones of their inputs: a saved tensor must survive its original
    const w = tf.tidy(() => tf.variable(tf.tensor([0.5, -1, 2])))
    const g = tf.tidy(() => tf.grad((v: tf.Tensor) => tf.sum(tf.mul(v, w)))(tf.tensor([1, 1, 1])))
    tf.tidy(() => w.assign(tf.tensor([7, 7, 7])))
    expect(Array.from(g.dataSync())).toEqual([0.5, -1, 2])
    tf.dispose([y, w, g])
    expect([tf.memory().numTensors, tf.engine().backend.numDataIds()]).toEqual(before)
  })
})
