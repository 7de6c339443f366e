/**
 * Conv2DBackpropFilter for the wasm backend (TF.js 4.22 ships none, so conv nets cannot train there).
 *
 *   dW[kh,kw,c,co] = Σ_{n,oh,ow} xPadded[n, oh·sh + kh·dh, ow·sw + kw·dw, c] · dy[n,oh,ow,co]
 *
 * Done as GEMMs on the wasm backend's own XNNPack matmul, with no per-element JavaScript:
 *  1. x is zero-padded and split by stride phase into planes [sh, sw, C, N, Hq, Wq] (PadV2 + Transpose),
 *     so that tap (kh, kw) reads plane (kh·dh mod sh, kw·dw mod sw, c) shifted by
 *     (⌊kh·dh/sh⌋ rows, ⌊kw·dw/sw⌋ cols): a single contiguous run per (tap, c).
 *  2. dy is zero-padded to the same [N, Hq, Wq] grid. Grid points that are not outputs carry dy = 0,
 *     so whatever a shifted run reads there adds nothing.
 *  3. Copying those runs for a group of taps gives A [taps·C, cols]; A × dy [cols, Cout] is the filter
 *     gradient of those taps, already in the [KH, KW, C, Cout] layout.
 * Caveat: a non-finite x value read at a non-output grid point gives NaN (∞ · 0) where TF gives a number.
 * 3×3 stride-1 convs with many channels take the Winograd path instead: F(4×4) (wasm-winograd4) where its
 * SIMD transforms are ready and the tiles come in fours, else F(2×2) (wasm-winograd-filter-grad).
 */
import * as tf from '@tensorflow/tfjs'
import type { WasmBackendLike } from './wasm-kernels'
import { free, runWasm, view } from './wasm-ops'
import { usesWinograd } from './wasm-winograd'
import { conv3x3FilterGradWinograd } from './wasm-winograd-filter-grad'
import { conv3x3FilterGradWinograd4, winograd4For } from './wasm-winograd4'

/** Largest tap-group matrix A, in float32 elements (64 MB). Mutable so tests can force several groups. */
export const im2colLimits = { maxElements: 1 << 24 }


function copy(backend: WasmBackendLike, t: tf.TensorInfo, shape: number[]) {
  const c = backend.makeOutput(shape, t.dtype)
  backend.typedArrayFromHeap(c).set(backend.typedArrayFromHeap(t)) // views taken after the allocation
  return c
}

export function conv2dBackpropFilterWasm({ inputs, backend: anyBackend, attrs }: Parameters<tf.KernelFunc>[0]): tf.TensorInfo {
  const backend = anyBackend as WasmBackendLike
  const { x, dy } = inputs as { x: tf.TensorInfo; dy: tf.TensorInfo }
  const a = attrs as unknown as tf.Conv2DBackpropFilterAttrs & { dilations?: number | [number, number] }
  if (a.dataFormat === 'NCHW') {
    throw new Error("Conv2DBackpropFilter on wasm supports only dataFormat 'NHWC' (got 'NCHW')")
  }
  if (x.dtype !== 'float32' || dy.dtype !== 'float32') {
    throw new Error(`Conv2DBackpropFilter on wasm needs float32 inputs (got ${x.dtype}, ${dy.dtype})`)
  }
  // The stock Conv2D gradient never passes dilations (it refuses dilated convs); accept them anyway.
  const info = tf.backend_util.computeConv2DInfo(x.shape as [number, number, number, number], a.filterShape,
    a.strides, a.dilations ?? 1, a.pad, a.dimRoundingMode, false, 'channelsLast')
  if (dy.shape.join() !== info.outShape.join()) {
    throw new Error(`Conv2DBackpropFilter: dy shape [${dy.shape}] does not match the conv output [${info.outShape}]`)
  }
  const [KH, KW, C, CO] = a.filterShape
  const { batchSize: N, outHeight: OH, outWidth: OW } = info
  if (KH * KW * C * CO === 0 || N * OH * OW === 0) {
    const zeros = backend.makeOutput([KH, KW, C, CO], 'float32')
    backend.typedArrayFromHeap(zeros).fill(0) // wasm allocations are not zeroed
    return zeros
  }

  if (usesWinograd(info, x.dtype)) {
    const simd4 = winograd4For(backend, info, 'filterGrad')
    return simd4 ? conv3x3FilterGradWinograd4(backend, simd4, x, dy, info) : conv3x3FilterGradWinograd(backend, x, dy, info)
  }

  const grid = gridSize(info)
  // Columns up to the last output point: every shifted run then stays inside its own plane.
  const cols = ((N - 1) * grid.Hq + OH - 1) * grid.Wq + OW
  const taps = KH * KW
  const tapsPerGroup = Math.max(1, Math.min(taps, Math.floor(im2colLimits.maxElements / (C * cols))))
  const temps: tf.TensorInfo[] = []
  let out: tf.TensorInfo | null = null
  try {
    const dyOperand = prepareDy(backend, dy, grid, info, cols, tapsPerGroup * C)
    temps.push(dyOperand.t)
    const planes = phasePlanes(backend, x, info, grid)
    temps.push(planes)
    const groupA = backend.makeOutput([1, tapsPerGroup * C, cols], 'float32')
    temps.push(groupA)
    for (let t0 = 0; t0 < taps; t0 += tapsPerGroup) {
      const groupTaps = Math.min(tapsPerGroup, taps - t0)
      const A = view(groupA, [1, groupTaps * C, cols])
      copyTapRuns(backend, planes, A, info, grid, t0, groupTaps, cols)
      const prod = multiply(backend, A, dyOperand)
      if (groupTaps === taps) return view(prod, [KH, KW, C, CO])
      out ??= backend.makeOutput([KH, KW, C, CO], 'float32')
      const dst = backend.typedArrayFromHeap(out) // fetched after the allocations above (heap may grow)
      dst.set(backend.typedArrayFromHeap(prod), t0 * C * CO)
      free(backend, prod)
    }
    return out as tf.TensorInfo
  } catch (error) {
    if (out) free(backend, out)
    throw error
  } finally {
    free(backend, ...temps)
  }
}

interface Grid {
  /** Rows and columns of each stride-phase plane of padded x. */
  Hq: number
  Wq: number
}

/** Padded extent: all of x and every position a tap reads, rounded up to a multiple of the stride. */
function gridSize(info: tf.backend_util.Conv2DInfo): Grid {
  const { inHeight: H, inWidth: W, outHeight: OH, outWidth: OW, strideHeight: sh, strideWidth: sw } = info
  const { top, left } = info.padInfo
  if (top < 0 || left < 0) throw new Error('Conv2DBackpropFilter: negative padding is not supported')
  return {
    Hq: Math.ceil(Math.max(top + H, (OH - 1) * sh + info.effectiveFilterHeight) / sh),
    Wq: Math.ceil(Math.max(left + W, (OW - 1) * sw + info.effectiveFilterWidth) / sw),
  }
}

/** dy on the grid: b of A × b as [1, cols, CO], or the a of dyᵀ × Aᵀ as [1, CO, cols]. */
interface DyOperand { t: tf.TensorInfo; transposed: boolean }

/**
 * Only untransposed operands take the wasm BatchMatMul's XNNPack path (its other path is ~20× slower).
 * That path re-packs b (the "weights") for every new tensor, which can cost more than the product
 * (52 of 64 ms for A [48, 16641] × dy [16641, 128]), so b is the narrower of dy and A. And b is always
 * a fresh tensor: XNNPack operators are cached under b's tensor id alone, so passing dy's own id could
 * reuse an operator built for another shape of it.
 */
function prepareDy(backend: WasmBackendLike, dy: tf.TensorInfo, { Hq, Wq }: Grid, info: tf.backend_util.Conv2DInfo,
  cols: number, groupRows: number): DyOperand {
  const { outHeight: OH, outWidth: OW, outChannels: CO } = info
  const onGrid = Hq > OH || Wq > OW
    ? runWasm(backend, 'PadV2', { x: dy }, { paddings: [[0, 0], [0, Hq - OH], [0, Wq - OW], [0, 0]], constantValue: 0 })
    : dy
  if (CO <= groupRows) {
    return { t: onGrid === dy ? copy(backend, dy, [1, cols, CO]) : view(onGrid, [1, cols, CO]), transposed: false }
  }
  const t = runWasm(backend, 'Transpose', { x: view(onGrid, [1, cols, CO]) }, { perm: [0, 2, 1] })
  if (onGrid !== dy) free(backend, onGrid)
  return { t, transposed: true }
}

/** A [1, rows, cols] times dy [cols, CO]: rows of the filter gradient, [1, rows, CO]. */
function multiply(backend: WasmBackendLike, A: tf.TensorInfo, dy: DyOperand): tf.TensorInfo {
  const untransposed = { transposeA: false, transposeB: false }
  if (!dy.transposed) return runWasm(backend, 'BatchMatMul', { a: A, b: dy.t }, untransposed)
  const At = runWasm(backend, 'Transpose', { x: A }, { perm: [0, 2, 1] })
  const prodT = runWasm(backend, 'BatchMatMul', { a: dy.t, b: At }, untransposed)
  const prod = runWasm(backend, 'Transpose', { x: prodT }, { perm: [0, 2, 1] })
  free(backend, At, prodT)
  return prod
}

/** x [N, H, W, C] → zero-padded phase planes [sh, sw, C, N, Hq, Wq], using two 2-3D transposes. */
function phasePlanes(backend: WasmBackendLike, x: tf.TensorInfo, info: tf.backend_util.Conv2DInfo, { Hq, Wq }: Grid) {
  const { batchSize: N, inHeight: H, inWidth: W, inChannels: C, strideHeight: sh, strideWidth: sw } = info
  const { top, left } = info.padInfo
  const paddings = [[0, 0], [top, Hq * sh - top - H], [left, Wq * sw - left - W], [0, 0]]
  const padded = paddings.some(([before, after]) => before !== 0 || after !== 0)
    ? runWasm(backend, 'PadV2', { x }, { paddings, constantValue: 0 })
    : x
  // (Rank-5/6 transposes would do this in one step, but the wasm backend runs those ~20× slower.)
  // [N·Hq, sh, Wq·sw·C] → [sh, N·Hq, Wq·sw·C], which is [sh, N·Hq·Wq, sw·C] → [sh, sw·C, N·Hq·Wq].
  const rowsSplit = sh > 1 ? runWasm(backend, 'Transpose', { x: view(padded, [N * Hq, sh, Wq * sw * C]) }, { perm: [1, 0, 2] }) : padded
  const planes = runWasm(backend, 'Transpose', { x: view(rowsSplit, [sh, N * Hq * Wq, sw * C]) }, { perm: [0, 2, 1] })
  if (rowsSplit !== padded) free(backend, rowsSplit)
  if (padded !== x) free(backend, padded)
  return planes
}

/** Fills A's rows (tap, c) for taps [t0, t0 + groupTaps) with the shifted plane runs (one memmove each). */
function copyTapRuns(backend: WasmBackendLike, planes: tf.TensorInfo, A: tf.TensorInfo, info: tf.backend_util.Conv2DInfo,
  { Hq, Wq }: Grid, t0: number, groupTaps: number, cols: number) {
  const { batchSize: N, inChannels: C, filterWidth: KW } = info
  const { strideHeight: sh, strideWidth: sw, dilationHeight: dh, dilationWidth: dw } = info
  // Both live in the same wasm heap: copyWithin on one view copies without allocating.
  const src = backend.typedArrayFromHeap(planes) as Float32Array
  const dst = backend.typedArrayFromHeap(A) as Float32Array
  const heap = new Float32Array(src.buffer)
  const planeSize = N * Hq * Wq
  let o = dst.byteOffset >>> 2
  for (let t = t0; t < t0 + groupTaps; t++) {
    const kh = Math.floor(t / KW) * dh
    const kw = (t % KW) * dw
    const shift = Math.floor(kh / sh) * Wq + Math.floor(kw / sw)
    let s = (src.byteOffset >>> 2) + ((kh % sh) * sw + (kw % sw)) * C * planeSize + shift
    for (let c = 0; c < C; c++, s += planeSize, o += cols) heap.copyWithin(o, s, s + cols)
  }
}
