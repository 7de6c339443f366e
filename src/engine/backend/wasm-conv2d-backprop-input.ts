/**
 * Conv2DBackpropInput for the wasm backend, replacing TF.js 4.22's naive loop with XNNPack convolutions.
 * It is the input gradient of conv2d and the forward op of conv2dTranspose.
 *
 * With the forward conv y[o] = Σ_k x[o·s + k − pad] · W[k] along one axis, dx splits by output phase
 * φ = i mod s: with ρ = (φ + pad) mod s and c = ⌊(φ + pad) / s⌋,
 *   dx[q·s + φ] = Σ_{m < M} dy[q + c − m] · W[m·s + ρ],   M = ⌈(K − ρ) / s⌉,
 * a stride-1 convolution of dy with the taps W[ρ], W[ρ + s], … reversed (channels swapped), padded by
 * M − 1 − c before. So every phase is one XNNPack Conv2D and no FLOP is spent on zeros; the s_h·s_w
 * phase results are then interleaved with row copies and one 3-D transpose (stride 1: no interleave).
 */
import * as tf from '@tensorflow/tfjs'
// The stock kernel must be registered before ours replaces it: load the package that registers it.
import '@tensorflow/tfjs-backend-wasm'
import type { WasmBackendLike } from './wasm-kernels'
import { derivedFilter } from './wasm-filter-cache'
import { free, heapOf, replaceKeepingStock, runStock, runWasm, view } from './wasm-ops'
import { sliceInHeap } from './wasm-slice'

type Info = tf.backend_util.Conv2DInfo

/** One output phase along one axis: taps W[ρ + s·j] (j < M), dy rows read from `first` (may be < 0). */
interface AxisPhase { rho: number; M: number; first: number }

function axisPhases(K: number, s: number, pad: number): AxisPhase[] {
  return Array.from({ length: s }, (_, phi) => {
    const rho = (phi + pad) % s
    const c = Math.floor((phi + pad) / s)
    const M = rho < K ? Math.ceil((K - rho) / s) : 0
    return { rho, M, first: c - M + 1 }
  })
}

export function conv2dBackpropInputWasm(args: Parameters<tf.KernelFunc>[0]): tf.TensorInfo {
  const backend = args.backend as WasmBackendLike
  const { dy, filter } = args.inputs as { dy: tf.TensorInfo; filter: tf.TensorInfo }
  const a = args.attrs as unknown as tf.Conv2DBackpropInputAttrs
  if (a.dataFormat === 'NCHW') {
    throw new Error("Conv2DBackpropInput on wasm supports only dataFormat 'NHWC' (got 'NCHW')")
  }
  const info = tf.backend_util.computeConv2DInfo(a.inputShape, filter.shape as [number, number, number, number],
    a.strides, 1, a.pad, a.dimRoundingMode, false, 'channelsLast')
  if (dy.shape.join() !== info.outShape.join()) {
    throw new Error(`Conv2DBackpropInput: dy shape [${dy.shape}] does not match the conv output [${info.outShape}]`)
  }
  if (dy.dtype !== 'float32' || filter.dtype !== 'float32' || tf.util.sizeFromShape(dy.shape) === 0 ||
      tf.util.sizeFromShape(info.inShape) === 0 || tf.util.sizeFromShape(filter.shape) === 0) {
    return runStock(tf.Conv2DBackpropInput, args)
  }
  const { strideHeight: sh, strideWidth: sw, inHeight: H, inWidth: W } = info
  const rows = axisPhases(info.filterHeight, sh, info.padInfo.top)
  const cols = axisPhases(info.filterWidth, sw, info.padInfo.left)
  const Qh = Math.ceil(H / sh)
  const Qw = Math.ceil(W / sw)
  const temps: tf.TensorInfo[] = []
  try {
    if (sh === 1 && sw === 1) return phaseConv(backend, dy, filter, info, rows[0]!, cols[0]!, Qh, Qw) ?? zeros(backend, info.inShape)
    // Phase (φh, φw) row (n, q) is dx row h = q·sh + φh at column phase φw: gather them as [sw, N, H, Qw, Cin]
    // so that one [sw, N·H·Qw, Cin] → [N·H·Qw, sw, Cin] transpose interleaves the columns.
    const { batchSize: N, inChannels: C } = info
    const rowLen = Qw * C
    const gathered = backend.makeOutput([sw, N * H * rowLen], 'float32')
    temps.push(gathered)
    for (let ph = 0; ph < sh; ph++) {
      for (let pw = 0; pw < sw; pw++) {
        const phase = phaseConv(backend, dy, filter, info, rows[ph]!, cols[pw]!, Qh, Qw)
        const [heap, src] = phase ? heapOf(backend, phase) : [null, 0]
        const [dst, base] = heapOf(backend, gathered)
        for (let n = 0; n < N; n++) {
          for (let q = 0, h = ph; h < H; q++, h += sh) {
            const o = base + ((pw * N + n) * H + h) * rowLen
            if (heap) dst.copyWithin(o, src + (n * Qh + q) * rowLen, src + (n * Qh + q + 1) * rowLen)
            else dst.fill(0, o, o + rowLen)
          }
        }
        if (phase) free(backend, phase)
      }
    }
    const wide = sw === 1 ? view(gathered, [N, H, W, C])
      : runWasm(backend, 'Transpose', { x: view(gathered, [sw, N * H * Qw, C]) }, { perm: [1, 0, 2] })
    if (sw === 1) temps.pop() // the gathered rows are dx itself
    if (Qw * sw === W) return view(wide, [N, H, W, C])
    temps.push(wide)
    return sliceInHeap(backend, view(wide, [N, H, Qw * sw, C]), [0, 0, 0, 0], [N, H, W, C]) // the columns past W
  } finally {
    free(backend, ...temps)
  }
}

function zeros(backend: WasmBackendLike, shape: number[]) {
  const out = backend.makeOutput(shape, 'float32')
  backend.typedArrayFromHeap(out).fill(0) // wasm allocations are not zeroed
  return out
}

/** dx of one phase, [N, Qh, Qw, Cin] (rows past dx's end included), or null if the phase is all zeros. */
function phaseConv(backend: WasmBackendLike, dy: tf.TensorInfo, filter: tf.TensorInfo, info: Info,
  r: AxisPhase, c: AxisPhase, Qh: number, Qw: number): tf.TensorInfo | null {
  const { outHeight: OH, outWidth: OW } = info
  // dy rows [first, first + Q + M − 1) are read; those outside dy are zero padding, or cut off when unread.
  const [h0, h1] = [Math.max(0, r.first), Math.min(OH, r.first + Qh + r.M - 1)]
  const [w0, w1] = [Math.max(0, c.first), Math.min(OW, c.first + Qw + c.M - 1)]
  if (r.M === 0 || c.M === 0 || h1 <= h0 || w1 <= w0) return null
  const pad = [[0, 0], [h0 - r.first, r.first + Qh + r.M - 1 - h1], [w0 - c.first, c.first + Qw + c.M - 1 - w1], [0, 0]]
  const x = h0 > 0 || w0 > 0 || h1 < OH || w1 < OW
    ? sliceInHeap(backend, dy, [0, h0, w0, 0], [dy.shape[0]!, h1 - h0, w1 - w0, dy.shape[3]!])
    : dy
  // XNNPack's packed operator is cached under the taps' id and freed with them: kept with the weight in
  // inference, made fresh (and freed) per call in training.
  const key = `${info.strideHeight},${info.strideWidth}:${r.rho},${r.M}:${c.rho},${c.M}`
  const { filter: taps, callerFrees } = derivedFilter(backend, filter, key, () => subFilter(backend, filter, info, r, c))
  try {
    return runWasm(backend, 'Conv2D', { x, filter: taps },
      { strides: 1, pad: pad as tf.backend_util.ExplicitPadding, dataFormat: 'NHWC', dilations: 1 })
  } finally {
    if (callerFrees) free(backend, taps)
    if (x !== dy) free(backend, x)
  }
}

/**
 * The phase's taps, reversed, with in/out channels swapped: [M_h, M_w, Cout, Cin]. A plain JS loop: it
 * beats the wasm Transpose kernel (~1.8 vs ~4 ms for 3×3×256×256) and also does the tap selection.
 */
function subFilter(backend: WasmBackendLike, filter: tf.TensorInfo, info: Info, r: AxisPhase, c: AxisPhase) {
  const { filterWidth: KW, strideHeight: sh, strideWidth: sw, inChannels: C, outChannels: CO } = info
  const out = backend.makeOutput([r.M, c.M, CO, C], 'float32')
  const src = backend.typedArrayFromHeap(filter) as Float32Array // views after the allocation
  const dst = backend.typedArrayFromHeap(out) as Float32Array
  const block = CO * C
  for (let i = 0; i < r.M; i++) {
    for (let j = 0; j < c.M; j++) {
      const s0 = ((r.rho + sh * (r.M - 1 - i)) * KW + c.rho + sw * (c.M - 1 - j)) * block
      const d0 = (i * c.M + j) * block
      for (let ci = 0; ci < C; ci++) {
        for (let co = 0, s = s0 + ci * CO, d = d0 + ci; co < CO; co++, s++, d += C) dst[d] = src[s] as number
      }
    }
  }
  return out
}

/**
 * Swaps the stock kernel (a naive loop) for this one, keeping the stock one for the cases the fast
 * path leaves to it. Idempotent: once ours is registered, nothing changes.
 */
export function replaceStockConv2dBackpropInput(): void {
  replaceKeepingStock(tf.Conv2DBackpropInput, conv2dBackpropInputWasm)
}
