/**
 * The wasm Conv2DBackpropInput (ours, replacing the stock loop) against TF.js's 'cpu' kernels, with the
 * closeness check of wasm-kernels.test.ts: max|wasm − cpu| / max|cpu| < 1e-4 and max|cpu| non-trivial.
 */
import { describe, it, expect } from 'vitest'
import * as tf from '@tensorflow/tfjs'
import { registerWasmTrainingKernels } from './wasm-kernels'
import { conv2dBackpropInputWasm } from './wasm-conv2d-backprop-input'
import { type Backend, type Pad, type Shape4, expectClose, on, seededTensor, use } from './wasm-test-helpers'

interface Case { n: number; h: number; w: number; cin: number; cout: number; k: number; stride: number; pad: Pad }
const explicit: Pad = [[0, 0], [1, 2], [0, 3], [0, 0]]
const shapes = [
  { n: 1, h: 7, w: 7, cin: 3, cout: 8, k: 3 },
  { n: 2, h: 8, w: 6, cin: 1, cout: 3, k: 4 },
  { n: 3, h: 5, w: 9, cin: 8, cout: 1, k: 1 }, // k1 with pad 1: dy rows that reach no dx (sliced off)
  { n: 2, h: 10, w: 10, cin: 16, cout: 8, k: 4 },
  { n: 1, h: 9, w: 8, cin: 3, cout: 16, k: 7 },
]
const cases: Case[] = shapes.flatMap((s) =>
  [1, 2].flatMap((stride) => (['same', 'valid', 1, explicit] as Pad[]).map((pad) => ({ ...s, stride, pad }))))
const label = (c: Case) => `[${c.n},${c.h},${c.w},${c.cin}] k${c.k} →${c.cout} s${c.stride} ${JSON.stringify(c.pad)}`
/** Padding rows (axis 1) or columns (axis 2) in total. */
const padSum = (c: Case, axis: 1 | 2) => (typeof c.pad === 'number' ? 2 * c.pad : Array.isArray(c.pad) ? c.pad[axis][0] + c.pad[axis][1] : 0)

/** [dx] of sum(conv2d(x, f) · r). */
function conv2dDx(c: Case) {
  const x = seededTensor([c.n, c.h, c.w, c.cin], 1)
  const f = seededTensor([c.k, c.k, c.cin, c.cout], 2) as tf.Tensor4D
  const conv = (x: tf.Tensor) => tf.conv2d(x as tf.Tensor4D, f, c.stride, c.pad as 'same')
  const r = seededTensor(conv(x).shape, 3)
  return [tf.grad((x: tf.Tensor) => tf.sum(tf.mul(conv(x), r)))(x)]
}

/** [y, dx, dFilter] of y = conv2dTranspose(x, f) (x has cin channels, y cout) and sum(y · r). */
function conv2dTransposeAll(c: Case) {
  const side = (d: number, axis: 1 | 2) => (c.pad === 'same' ? d * c.stride : (d - 1) * c.stride + c.k - padSum(c, axis))
  const outShape: Shape4 = [c.n, side(c.h, 1), side(c.w, 2), c.cout]
  const x = seededTensor([c.n, c.h, c.w, c.cin], 4)
  const f = seededTensor([c.k, c.k, c.cout, c.cin], 5)
  const op = (x: tf.Tensor, f: tf.Tensor) =>
    tf.conv2dTranspose(x as tf.Tensor4D, f as tf.Tensor4D, outShape, c.stride, c.pad as 'same')
  const r = seededTensor(outShape, 6)
  return [op(x, f), ...tf.grads((x: tf.Tensor, f: tf.Tensor) => tf.sum(tf.mul(op(x, f), r)))([x, f])]
}

type Attrs = { strides: number | [number, number]; pad: Pad; dimRoundingMode?: 'ceil' | 'floor' | 'round' }
/** The kernel alone: dx of shape xShape from seeded dy (seed 8) and filter (seed 9). */
function runKernel(xShape: Shape4, fShape: Shape4, attrs: Attrs) {
  const info = tf.backend_util.computeConv2DInfo(xShape, fShape, attrs.strides, 1, attrs.pad, attrs.dimRoundingMode)
  return () => [tf.engine().runKernel('Conv2DBackpropInput', { dy: seededTensor(info.outShape, 8), filter: seededTensor(fShape, 9) },
    { ...attrs, inputShape: xShape, dataFormat: 'NHWC' }) as tf.Tensor]
}

describe('Conv2DBackpropInput on wasm', () => {
  it(`conv2d input gradients match cpu (${cases.length} configurations)`, async () => {
    for (const c of cases) expectClose((await on('wasm', () => conv2dDx(c)))[0], (await on('cpu', () => conv2dDx(c)))[0], `dx ${label(c)}`)
  })

  it(`conv2dTranspose output and its gradients match cpu (${cases.length} configurations)`, async () => {
    for (const c of cases) {
      const cpu = await on('cpu', () => conv2dTransposeAll(c))
      const wasm = await on('wasm', () => conv2dTransposeAll(c))
      ;['y', 'dx', 'dFilter'].forEach((what, i) => expectClose(wasm[i], cpu[i], `conv2dTranspose ${what} ${label(c)}`))
    }
  })

  it('matches cpu for stride 3, mixed strides, large pads, ceil rounding, tiny inputs', async () => {
    const runs: [Shape4, Shape4, Attrs][] = [
      [[2, 11, 10, 3], [3, 3, 3, 4], { strides: 3, pad: 'same' }],
      [[1, 13, 12, 8], [7, 7, 8, 3], { strides: 3, pad: 'valid' }],
      [[1, 9, 7, 2], [4, 4, 2, 5], { strides: 3, pad: explicit }],
      [[2, 10, 9, 16], [4, 4, 16, 8], { strides: 3, pad: 1 }],
      [[1, 9, 12, 2], [4, 2, 2, 5], { strides: [1, 2], pad: 'valid' }],
      [[1, 8, 9, 3], [3, 5, 3, 2], { strides: [3, 2], pad: 'same' }],
      [[1, 4, 4, 2], [3, 3, 2, 3], { strides: 2, pad: 2 }], // some phases start before dy's first row
      [[1, 6, 7, 2], [2, 3, 2, 3], { strides: 2, pad: 1, dimRoundingMode: 'ceil' }],
      [[2, 8, 8, 3], [1, 1, 3, 4], { strides: 3, pad: 'valid' }], // phases with no taps: zeros
      [[1, 1, 1, 3], [3, 3, 3, 2], { strides: 2, pad: 'same' }],
    ]
    for (const [xs, fs, attrs] of runs) {
      expectClose((await on('wasm', runKernel(xs, fs, attrs)))[0], (await on('cpu', runKernel(xs, fs, attrs)))[0],
        `x[${xs}] f[${fs}] ${JSON.stringify(attrs)}`)
    }
  })

  it('matches cpu on the model layers: U-Net k4 s2 and ResNet k3 s2 (+output pad) upsampling, 3×3 s1 res conv', async () => {
    const layers = (): tf.Tensor[] => {
      const x = seededTensor([1, 6, 6, 256], 10) as tf.Tensor4D
      const unet = tf.conv2dTranspose(x, seededTensor([4, 4, 128, 256], 11) as tf.Tensor4D, [1, 14, 14, 128], 2, 'valid')
      const resnet = tf.conv2dTranspose(x, seededTensor([3, 3, 128, 256], 12) as tf.Tensor4D, [1, 13, 13, 128], 2, 'valid')
      const resConv = runKernel([1, 8, 8, 256], [3, 3, 256, 256], { strides: 1, pad: 'valid' })()[0]!
      return [unet.slice([0, 1, 1, 0], [1, 12, 12, 128]), resnet.slice([0, 1, 1, 0], [1, 12, 12, 128]), resConv]
    }
    const [cpu, wasm] = [await on('cpu', layers), await on('wasm', layers)]
    ;['U-Net deconv', 'ResNet deconv', 'res-block conv dx'].forEach((what, i) => expectClose(wasm[i], cpu[i], what))
  })

  it('gives a conv + U-Net/ResNet deconv model (as models/blocks.ts builds them) the same gradients as cpu', async () => {
    // blocks.ts layers, built with tf.layers here: zero padding + 'valid' conv; 'valid' conv2dTranspose + crop.
    const apply = (layer: tf.layers.Layer, x: tf.SymbolicTensor | tf.SymbolicTensor[]) => layer.apply(x) as tf.SymbolicTensor
    const conv = (x: tf.SymbolicTensor, filters: number, kernel: number, stride: number, pad: number) =>
      apply(tf.layers.conv2d({ filters, kernelSize: kernel, strides: stride, padding: 'valid' }), apply(tf.layers.zeroPadding2d({ padding: pad }), x))
    const deconv = (x: tf.SymbolicTensor, kernel: number, pad: number, outputPad: number) => apply(tf.layers.cropping2D(
      { cropping: [[pad, pad - outputPad], [pad, pad - outputPad]] }), apply(tf.layers.conv2dTranspose({ filters: 8, kernelSize: kernel, strides: 2, padding: 'valid' }), x))
    const grads = async (backend: Backend) => {
      await use(backend)
      const input = tf.input({ shape: [8, 8, 3] })
      const mid = conv(apply(tf.layers.leakyReLU({ alpha: 0.2 }), conv(input, 8, 4, 2, 1)), 16, 3, 1, 1)
      const joined = apply(tf.layers.concatenate(), [deconv(mid, 4, 1, 0), deconv(mid, 3, 1, 1)]) // U-Net, ResNet
      const model = tf.model({ inputs: input, outputs: conv(joined, 3, 7, 1, 3) })
      model.setWeights(model.getWeights().map((w, i) => tf.mul(seededTensor(w.shape, 30 + i), 0.5)))
      const vars = model.trainableWeights.map((w) => w.read() as tf.Variable)
      const r = seededTensor([2, 8, 8, 3], 21)
      const { value, grads } = tf.variableGrads(() => tf.sum(tf.mul(model.apply(seededTensor([2, 8, 8, 3], 20)) as tf.Tensor, r)), vars)
      const out = vars.map((v) => grads[v.name]!.dataSync() as Float32Array)
      tf.dispose([value, r, ...Object.values(grads)])
      model.dispose()
      return out
    }
    const cpu = await grads('cpu')
    const wasm = await grads('wasm')
    expect(wasm.length).toBe(10) // 5 kernels, 5 biases
    cpu.forEach((g, i) => expectClose(wasm[i], g, `trainable weight ${i}`))
  })

  it('rejects NCHW and a dy of the wrong shape with clear errors', async () => {
    await use('wasm')
    const [dy, f] = [tf.zeros([1, 4, 4, 3]), tf.zeros([3, 3, 2, 3])]
    const run = (attrs: object) => () => tf.engine().runKernel('Conv2DBackpropInput', { dy, filter: f },
      { strides: 1, pad: 'same', dataFormat: 'NHWC', inputShape: [1, 4, 4, 2], ...attrs })
    expect(run({ dataFormat: 'NCHW', inputShape: [1, 2, 4, 4] })).toThrow(/NHWC/)
    expect(run({ pad: 'valid' })).toThrow(/dy shape/)
    tf.dispose([dy, f])
  })

  it('leaks no tensors and no wasm buffers', async () => {
    await use('wasm')
    const count = () => [tf.memory().numTensors, tf.memory().numBytes, tf.engine().backend.numDataIds()]
    const before = count()
    for (let i = 0; i < 3; i++) {
      for (const c of [cases[1]!, cases[13]!, cases[27]!, cases[38]!]) tf.dispose(tf.tidy(() => [...conv2dDx(c), ...conv2dTransposeAll(c)]))
      tf.dispose(tf.tidy(runKernel([1, 4, 4, 2], [3, 3, 2, 3], { strides: 2, pad: 2 })))
      tf.dispose(tf.tidy(runKernel([1, 7, 8, 3], [3, 3, 3, 4], { strides: 3, pad: 'same' })))
      tf.dispose(tf.tidy(runKernel([0, 4, 4, 2], [3, 3, 2, 3], { strides: 1, pad: 'same' }))) // stock fallback
    }
    expect(count()).toEqual(before)
  })

  it('replaces the stock kernel once, idempotently, and keeps it for empty inputs', async () => {
    for (let i = 0; i < 3; i++) registerWasmTrainingKernels()
    expect(tf.getKernel('Conv2DBackpropInput', 'wasm')?.kernelFunc).toBe(conv2dBackpropInputWasm)
    expect(tf.getKernel('Conv2DBackpropFilter', 'wasm')).toBeDefined()
    const [empty] = await on('wasm', runKernel([0, 5, 5, 2], [3, 3, 2, 3], { strides: 2, pad: 'same' }))
    expect(empty!.length).toBe(0)
    const c = cases[9]!
    expectClose((await on('wasm', () => conv2dDx(c)))[0], (await on('cpu', () => conv2dDx(c)))[0], `after re-registering: ${label(c)}`)
  })
})
