/**
 * 3×3 stride-1 convolutions (forward, and the filter gradient) by Winograd F(4×4, 3×3), when the
 * SIMD transforms are ready (wasm-winograd4-wat.ts); F(2×2, 3×3) in wasm-winograd.ts otherwise.
 * 36 products per tile instead of 16 for a quarter of the tiles: 44 % fewer multiplies. Measured
 * here on a 64×64×256 conv against F(2×2) (both with SIMD transforms, a job on the other core):
 * inference 54 → 38 ms, forward and input gradient while training 144 → 90, filter gradient 80 → 65;
 * a CycleGAN 256 step ~45 → ~35 s. The error stays ~1e-5 of the output's range (tests: 1e-4).
 *
 * Which XNNPack GEMM runs the products depends on whether the transformed filters U_k are new:
 * the 1×1 Conv2D is the faster GEMM (on every thread) but packs its filter through a slow
 * transpose (~1.4 ms for 256×256), so it runs with filters kept with their weight (inference, and
 * input gradients, whose filters outlive one backward pass); BatchMatMul packs cheaply and runs
 * with the filters made fresh while gradients are recorded, and for the filter gradient.
 */
import * as tf from '@tensorflow/tfjs'
import type { WasmBackendLike } from './wasm-kernels'
import { derivedFilters } from './wasm-filter-cache'
import { free, heapOf, paddedInput, runWasm, view } from './wasm-ops'
import type { Activation } from './wasm-winograd'
import type { WinogradSimd } from './wasm-winograd4-wat'
import { planeProducts } from './wasm-winograd-filter-grad'
import { activationArgs, eachOutputTileRow, planeAddresses, winograd4Of } from './wasm-winograd-simd'

type Info = tf.backend_util.Conv2DInfo
const PLANES = 36

/**
 * The F(4×4) module for a Winograd-eligible conv, when it goes this way: SIMD ready and channels in
 * fours; for the filter gradient also tiles in fours along a row (its channel-major transform takes four at a time).
 */
export function winograd4For(backend: WasmBackendLike, info: Info, pass: 'forward' | 'filterGrad'): WinogradSimd | undefined {
  const fits = info.inChannels % 4 === 0 && info.outChannels % 4 === 0 && (pass === 'forward' || Math.ceil(info.outWidth / 4) % 4 === 0)
  return fits ? winograd4Of(backend) : undefined
}

export function conv3x3Winograd4(backend: WasmBackendLike, simd: WinogradSimd, x: tf.TensorInfo, filter: tf.TensorInfo,
  info: Info, bias: tf.TensorInfo | undefined, activation: Activation, leakyAlpha: number): tf.TensorInfo {
  const { batchSize: N, inChannels: C, outChannels: CO, outHeight: OH, outWidth: OW } = info
  const [Th, Tw] = [Math.ceil(OH / 4), Math.ceil(OW / 4)]
  const [rows, cols] = [4 * Th + 2, 4 * Tw + 2]
  const temps = new Set<tf.TensorInfo>()
  const done = (...ts: tf.TensorInfo[]) => ts.forEach((t) => temps.delete(t) && free(backend, t))
  try {
    const padded = paddedInput(backend, x, info, rows, cols)
    if (padded !== x) temps.add(padded)
    const V = Array.from({ length: PLANES }, () => backend.makeOutput([N, Th, Tw, C], 'float32'))
    V.forEach((v) => temps.add(v))
    const [, src] = heapOf(backend, padded)
    simd.planes(...planeAddresses(backend, V))
    for (let n = 0; n < N; n++) {
      for (let ty = 0; ty < Th; ty++) simd.inputRow(4 * (src + (n * rows + 4 * ty) * cols * C), 4 * cols * C, 4 * C, Tw, 4 * (n * Th + ty) * Tw * C)
    }
    if (padded !== x) done(padded)
    const { filters: U, callerFrees } = derivedFilters(backend, filter, 'winograd4', () => filterTransform(backend, simd, filter, C, CO))
    if (callerFrees) U.forEach((u) => temps.add(u))
    const M = V.map((v, k) => {
      const m = callerFrees
        ? view(runWasm(backend, 'BatchMatMul', { a: view(v, [1, N * Th * Tw, C]), b: view(U[k]!, [1, C, CO]) }, { transposeA: false, transposeB: false }), [N, Th, Tw, CO])
        : runWasm(backend, 'Conv2D', { x: v, filter: U[k]! }, { strides: 1, pad: 'valid', dataFormat: 'NHWC', dilations: 1 })
      temps.add(m)
      done(v, ...(callerFrees ? [U[k]!] : []))
      return m
    })
    const y = backend.makeOutput([N, OH, OW, CO], 'float32')
    const [, out] = heapOf(backend, y)
    const [biasAddress, hasBias, mode] = activationArgs(backend, bias, activation)
    simd.planes(...planeAddresses(backend, M))
    eachOutputTileRow(out, y.shape, 4, Th, Tw, (address, rowBytes, pixelBytes, o, lastCols, tileRows) =>
      simd.outputRow(address, rowBytes, pixelBytes, Tw, o, biasAddress, hasBias, mode, leakyAlpha, lastCols, tileRows))
    return y
  } finally {
    free(backend, ...temps)
  }
}

/** U_k = (G g Gᵀ)_k as 36 filters [1, 1, C, Cout]. */
function filterTransform(backend: WasmBackendLike, simd: WinogradSimd, filter: tf.TensorInfo, C: number, CO: number): tf.TensorInfo[] {
  const U = Array.from({ length: PLANES }, () => backend.makeOutput([1, 1, C, CO], 'float32'))
  const [, g] = heapOf(backend, filter)
  simd.planes(...planeAddresses(backend, U))
  simd.filterTiles(4 * g, 4 * C * CO, 4 * C * CO)
  return U
}


/**
 * The filter gradient in the Winograd domain, as wasm-winograd-filter-grad.ts does for F(2×2):
 * dU_k = V_kᵀ [C, tiles] · dM_k [tiles, Cout] with V_kᵀ written channel-major from x's channel
 * planes, then dg = Gᵀ dU G.
 */
export function conv3x3FilterGradWinograd4(backend: WasmBackendLike, simd: WinogradSimd, x: tf.TensorInfo, dy: tf.TensorInfo,
  info: Info): tf.TensorInfo {
  const { batchSize: N, inChannels: C, outChannels: CO, outHeight: OH, outWidth: OW } = info
  const [Th, Tw] = [Math.ceil(OH / 4), Math.ceil(OW / 4)]
  const [rows, cols] = [4 * Th + 2, 4 * Tw + 2]
  const tiles = N * Th * Tw
  const temps = new Set<tf.TensorInfo>()
  const done = (...ts: tf.TensorInfo[]) => ts.forEach((t) => temps.delete(t) && free(backend, t))
  try {
    const padded = paddedInput(backend, x, info, rows, cols)
    if (padded !== x) temps.add(padded)
    const planes = runWasm(backend, 'Transpose', { x: view(padded, [N * rows * cols, C]) }, { perm: [1, 0] })
    temps.add(planes)
    if (padded !== x) done(padded)
    const V = Array.from({ length: PLANES }, () => backend.makeOutput([1, C, tiles], 'float32'))
    V.forEach((v) => temps.add(v))
    const [, src] = heapOf(backend, planes)
    simd.planes(...planeAddresses(backend, V))
    for (let p = 0, o = 0; p < C * N; p++) {
      for (let ty = 0; ty < Th; ty++, o += Tw) simd.planesRow(4 * (src + (p * rows + 4 * ty) * cols), 4 * cols, Tw / 4, 4 * o)
    }
    done(planes)
    const dM = Array.from({ length: PLANES }, () => backend.makeOutput([1, tiles, CO], 'float32'))
    dM.forEach((m) => temps.add(m))
    simd.planes(...planeAddresses(backend, dM))
    eachOutputTileRow(heapOf(backend, dy)[1], dy.shape, 4, Th, Tw, (address, rowBytes, pixelBytes, o, lastCols, tileRows) =>
      simd.gradRow(address, rowBytes, pixelBytes, Tw, o, lastCols, tileRows))
    const dU = planeProducts(backend, V, dM, temps)
    const dW = backend.makeOutput([3, 3, C, CO], 'float32')
    simd.planes(...planeAddresses(backend, dU))
    simd.filterGrad(4 * heapOf(backend, dW)[1], 4 * C * CO, 4 * C * CO)
    return dW
  } finally {
    free(backend, ...temps)
  }
}
