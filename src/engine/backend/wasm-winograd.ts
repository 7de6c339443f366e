/**
 * 3×3 stride-1 convolutions on wasm by Winograd's minimal filtering F(2×2, 3×3) (Lavin & Gray 2016,
 * "Fast Algorithms for Convolutional Neural Networks"): each 2×2 output tile is
 *   Y = Aᵀ [ (G g Gᵀ) ⊙ (Bᵀ d Bᵀᵀ) ] A
 * over the tile's 4×4 input patch d, so per tile and channel pair the 36 multiplies of a direct 3×3
 * conv become 16. Summed over input channels, the ⊙ is 16 independent matrix products
 *   M_k [tiles, Cout] = V_k [tiles, C] · U_k [C, Cout],   k = (ξ, ν) ∈ 4×4,
 * which run as XNNPack 1×1 convolutions (on both threads); the transforms (adds and halves only) are
 * WebAssembly SIMD (wasm-winograd-simd.ts) once the backend has started, else JavaScript loops over
 * the heap. These are the ResNet generator's convolutions (18 of 22 in resnet_9blocks, and their
 * input gradients, which are stride-1 3×3 convs too).
 * With the SIMD transforms ready, F(4×4, 3×3) takes over (wasm-winograd4.ts): its 36 products of
 * [256, 256]·[256, 256] take about half the time of these 16 for a 64×64×256 conv, which only pays
 * once the 6×6 transforms are not JavaScript (~91 vs ~89 ms in all when they were).
 */
import * as tf from '@tensorflow/tfjs'
import '@tensorflow/tfjs-backend-wasm' // the stock kernels must be registered before ours replace them
import type { WasmBackendLike } from './wasm-kernels'
import { derivedFilters } from './wasm-filter-cache'
import { free, heapOf, paddedInput, replaceKeepingStock, runStock, runWasm } from './wasm-ops'
import { activationArgs, byteAddresses, eachOutputTileRow, winogradSimdOf } from './wasm-winograd-simd'
import { conv3x3Winograd4, winograd4For } from './wasm-winograd4'

type Info = tf.backend_util.Conv2DInfo
export type Activation = 'linear' | 'relu' | 'leakyrelu'

/**
 * Whether a conv goes this way: 3×3, stride 1, no dilation, float32 NHWC, and channels enough that
 * the 2.25× fewer multiplies outweigh the transforms (measured here: 1.3× faster at 256→256 channels, even at 128→128, slower at 64→64).
 */
export function usesWinograd(info: Info, dtype: tf.DataType): boolean {
  return dtype === 'float32' && info.dataFormat === 'channelsLast' &&
    info.filterHeight === 3 && info.filterWidth === 3 && info.strideHeight === 1 && info.strideWidth === 1 &&
    info.dilationHeight === 1 && info.dilationWidth === 1 && info.inChannels * info.outChannels >= 128 * 256 &&
    info.outHeight >= 2 && info.outWidth >= 2
}

/** Heap offsets (in floats) of tensors, as 16 plain integers: a JS array of them made the loops deoptimise. */
export function offsets(backend: WasmBackendLike, ts: tf.TensorInfo[]): Sixteen {
  return Array.from(Int32Array.from(ts, (t) => heapOf(backend, t)[1])) as Sixteen
}
type Sixteen = [number, number, number, number, number, number, number, number, number, number, number, number, number, number, number, number]

export function conv3x3Winograd(backend: WasmBackendLike, x: tf.TensorInfo, filter: tf.TensorInfo, info: Info,
  bias: tf.TensorInfo | undefined, activation: Activation, leakyAlpha: number): tf.TensorInfo {
  const { batchSize: N, inChannels: C, outChannels: CO, outHeight: OH, outWidth: OW } = info
  const Th = Math.ceil(OH / 2)
  const Tw = Math.ceil(OW / 2)
  const temps = new Set<tf.TensorInfo>() // freed at the end, or as soon as they are used up
  const done = (...ts: tf.TensorInfo[]) => ts.forEach((t) => temps.delete(t) && free(backend, t))
  try {
    const padded = paddedInput(backend, x, info, 2 * Th + 2, 2 * Tw + 2)
    if (padded !== x) temps.add(padded)
    const V = Array.from({ length: 16 }, () => backend.makeOutput([N, Th, Tw, C], 'float32'))
    V.forEach((v) => temps.add(v))
    inputTransform(backend, padded, V)
    if (padded !== x) done(padded)
    const { filters: U, callerFrees } = derivedFilters(backend, filter, 'winograd', () => filterTransform(backend, filter, C, CO))
    if (callerFrees) U.forEach((u) => temps.add(u))
    // Each V_k goes as soon as its product is made: at most 16 planes are held, not 32.
    const M = V.map((v, k) => {
      const m = runWasm(backend, 'Conv2D', { x: v, filter: U[k]! }, { strides: 1, pad: 'valid', dataFormat: 'NHWC', dilations: 1 })
      temps.add(m)
      done(v, ...(callerFrees ? [U[k]!] : []))
      return m
    })
    const y = backend.makeOutput([N, OH, OW, CO], 'float32')
    outputTransform(backend, M, y, bias, activation, leakyAlpha)
    return y
  } finally {
    free(backend, ...temps)
  }
}

/**
 * V_k = (Bᵀ d B)_k for every tile and channel, with Bᵀ = [1 0 −1 0; 0 1 1 0; 0 −1 1 0; 0 1 0 −1]:
 * rows first (r = Bᵀ d), then columns (r B). k = 4ξ + ν. Each V_k is [tiles, C].
 */
function inputTransform(backend: WasmBackendLike, x: tf.TensorInfo, V: tf.TensorInfo[]) {
  const [N, rows, cols, C] = x.shape as [number, number, number, number]
  const Th = (rows - 2) / 2
  const Tw = (cols - 2) / 2
  const [h, src] = heapOf(backend, x)
  const vs = offsets(backend, V)
  const simd = C % 4 === 0 ? winogradSimdOf(backend) : undefined
  if (simd) {
    simd.planes(...byteAddresses(vs))
    for (let n = 0; n < N; n++) {
      for (let ty = 0; ty < Th; ty++) simd.inputRow(4 * (src + (n * rows + 2 * ty) * cols * C), 4 * cols * C, 4 * C, Tw, 4 * (n * Th + ty) * Tw * C)
    }
    return
  }
  const [v0, v1, v2, v3, v4, v5, v6, v7, v8, v9, v10, v11, v12, v13, v14, v15] = vs
  const row = cols * C
  for (let n = 0, tile = 0; n < N; n++) {
    for (let ty = 0; ty < Th; ty++) {
      for (let tx = 0; tx < Tw; tx++, tile += C) {
        const base = src + ((n * rows + 2 * ty) * cols + 2 * tx) * C
        for (let c = 0; c < C; c++) {
          const p0 = base + c, p1 = p0 + row, p2 = p1 + row, p3 = p2 + row
          const d00 = h[p0]!, d01 = h[p0 + C]!, d02 = h[p0 + 2 * C]!, d03 = h[p0 + 3 * C]!
          const d10 = h[p1]!, d11 = h[p1 + C]!, d12 = h[p1 + 2 * C]!, d13 = h[p1 + 3 * C]!
          const d20 = h[p2]!, d21 = h[p2 + C]!, d22 = h[p2 + 2 * C]!, d23 = h[p2 + 3 * C]!
          const d30 = h[p3]!, d31 = h[p3 + C]!, d32 = h[p3 + 2 * C]!, d33 = h[p3 + 3 * C]!
          const r00 = d00 - d20, r01 = d01 - d21, r02 = d02 - d22, r03 = d03 - d23
          const r10 = d10 + d20, r11 = d11 + d21, r12 = d12 + d22, r13 = d13 + d23
          const r20 = d20 - d10, r21 = d21 - d11, r22 = d22 - d12, r23 = d23 - d13
          const r30 = d10 - d30, r31 = d11 - d31, r32 = d12 - d32, r33 = d13 - d33
          const o = tile + c
          h[v0 + o] = r00 - r02; h[v1 + o] = r01 + r02; h[v2 + o] = r02 - r01; h[v3 + o] = r01 - r03
          h[v4 + o] = r10 - r12; h[v5 + o] = r11 + r12; h[v6 + o] = r12 - r11; h[v7 + o] = r11 - r13
          h[v8 + o] = r20 - r22; h[v9 + o] = r21 + r22; h[v10 + o] = r22 - r21; h[v11 + o] = r21 - r23
          h[v12 + o] = r30 - r32; h[v13 + o] = r31 + r32; h[v14 + o] = r32 - r31; h[v15 + o] = r31 - r33
        }
      }
    }
  }
}

/**
 * U_k = (G g Gᵀ)_k as 16 filters [1, 1, C, Cout], with G = [1 0 0; ½ ½ ½; ½ −½ ½; 0 0 1]; the 3×3
 * filter is HWIO, so each (c, co) pair is one position in all 9 tap planes.
 */
function filterTransform(backend: WasmBackendLike, filter: tf.TensorInfo, C: number, CO: number): tf.TensorInfo[] {
  const U = Array.from({ length: 16 }, () => backend.makeOutput([1, 1, C, CO], 'float32'))
  const [h, g] = heapOf(backend, filter)
  const us = offsets(backend, U)
  const plane = C * CO
  const simd = plane % 4 === 0 ? winogradSimdOf(backend) : undefined
  if (simd) {
    simd.planes(...byteAddresses(us))
    simd.filterTiles(4 * g, 4 * plane, 4 * plane)
    return U
  }
  const [u0, u1, u2, u3, u4, u5, u6, u7, u8, u9, u10, u11, u12, u13, u14, u15] = us
  for (let p = 0; p < plane; p++) {
    const s = g + p
    const g00 = h[s]!, g01 = h[s + plane]!, g02 = h[s + 2 * plane]!
    const g10 = h[s + 3 * plane]!, g11 = h[s + 4 * plane]!, g12 = h[s + 5 * plane]!
    const g20 = h[s + 6 * plane]!, g21 = h[s + 7 * plane]!, g22 = h[s + 8 * plane]!
    // r = G g, a 4×3 matrix
    const r10 = (g00 + g10 + g20) / 2, r11 = (g01 + g11 + g21) / 2, r12 = (g02 + g12 + g22) / 2
    const r20 = (g00 - g10 + g20) / 2, r21 = (g01 - g11 + g21) / 2, r22 = (g02 - g12 + g22) / 2
    // U = r Gᵀ: row i of r gives U[4i .. 4i + 3]
    h[u0 + p] = g00; h[u1 + p] = (g00 + g01 + g02) / 2; h[u2 + p] = (g00 - g01 + g02) / 2; h[u3 + p] = g02
    h[u4 + p] = r10; h[u5 + p] = (r10 + r11 + r12) / 2; h[u6 + p] = (r10 - r11 + r12) / 2; h[u7 + p] = r12
    h[u8 + p] = r20; h[u9 + p] = (r20 + r21 + r22) / 2; h[u10 + p] = (r20 - r21 + r22) / 2; h[u11 + p] = r22
    h[u12 + p] = g20; h[u13 + p] = (g20 + g21 + g22) / 2; h[u14 + p] = (g20 - g21 + g22) / 2; h[u15 + p] = g22
  }
  return U
}

/**
 * Y = Aᵀ M A per tile with Aᵀ = [1 1 1 0; 0 1 −1 −1], then bias and activation, written into the
 * NHWC output (a last odd row or column of tiles writes only its first output).
 */
function outputTransform(backend: WasmBackendLike, M: tf.TensorInfo[], y: tf.TensorInfo,
  bias: tf.TensorInfo | undefined, activation: Activation, leakyAlpha: number) {
  const [N, OH, OW, CO] = y.shape as [number, number, number, number]
  const [, Th, Tw] = M[0]!.shape as [number, number, number, number]
  const [h, out] = heapOf(backend, y)
  const qs = offsets(backend, M)
  const b = bias ? heapOf(backend, bias)[1] : -1
  const slope = activation === 'relu' ? 0 : activation === 'leakyrelu' ? leakyAlpha : 1
  const simd = CO % 4 === 0 ? winogradSimdOf(backend) : undefined
  if (simd) {
    simd.planes(...byteAddresses(qs))
    const [biasAddress, hasBias, mode] = activationArgs(backend, bias, activation)
    eachOutputTileRow(out, y.shape, 2, Th, Tw, (address, rowBytes, pixelBytes, o, lastCols, rows) =>
      simd.outputRow(address, rowBytes, pixelBytes, Tw, o, biasAddress, hasBias, mode, leakyAlpha, lastCols, rows))
    return
  }
  const [q0, q1, q2, q3, q4, q5, q6, q7, q8, q9, q10, q11, q12, q13, q14, q15] = qs
  const row = OW * CO
  for (let n = 0, tile = 0; n < N; n++) {
    for (let ty = 0; ty < Th; ty++) {
      const secondRow = 2 * ty + 1 < OH
      for (let tx = 0; tx < Tw; tx++, tile += CO) {
        const secondCol = 2 * tx + 1 < OW
        const o0 = out + ((n * OH + 2 * ty) * OW + 2 * tx) * CO
        for (let co = 0; co < CO; co++) {
          const i = tile + co
          const m00 = h[q0 + i]!, m01 = h[q1 + i]!, m02 = h[q2 + i]!, m03 = h[q3 + i]!
          const m10 = h[q4 + i]!, m11 = h[q5 + i]!, m12 = h[q6 + i]!, m13 = h[q7 + i]!
          const m20 = h[q8 + i]!, m21 = h[q9 + i]!, m22 = h[q10 + i]!, m23 = h[q11 + i]!
          const m30 = h[q12 + i]!, m31 = h[q13 + i]!, m32 = h[q14 + i]!, m33 = h[q15 + i]!
          const a0 = m00 + m10 + m20, a1 = m01 + m11 + m21, a2 = m02 + m12 + m22, a3 = m03 + m13 + m23
          const c0 = m10 - m20 - m30, c1 = m11 - m21 - m31, c2 = m12 - m22 - m32, c3 = m13 - m23 - m33
          const add = b >= 0 ? h[b + co]! : 0
          let y00 = a0 + a1 + a2 + add, y01 = a1 - a2 - a3 + add
          let y10 = c0 + c1 + c2 + add, y11 = c1 - c2 - c3 + add
          if (slope !== 1) { // relu (slope 0: exactly 0, not −0) or leaky relu
            if (y00 < 0) y00 = slope === 0 ? 0 : y00 * slope
            if (y01 < 0) y01 = slope === 0 ? 0 : y01 * slope
            if (y10 < 0) y10 = slope === 0 ? 0 : y10 * slope
            if (y11 < 0) y11 = slope === 0 ? 0 : y11 * slope
          }
          const o = o0 + co
          h[o] = y00
          if (secondCol) h[o + CO] = y01
          if (secondRow) {
            h[o + row] = y10
            if (secondCol) h[o + row + CO] = y11
          }
        }
      }
    }
  }
}

/** F(4×4, 3×3) where its SIMD transforms are ready and the channels come in fours, else F(2×2, 3×3). */
function winogradConv(backend: WasmBackendLike, x: tf.TensorInfo, filter: tf.TensorInfo, info: Info,
  bias: tf.TensorInfo | undefined, activation: Activation, leakyAlpha: number): tf.TensorInfo {
  const simd4 = winograd4For(backend, info, 'forward')
  return simd4 ? conv3x3Winograd4(backend, simd4, x, filter, info, bias, activation, leakyAlpha)
    : conv3x3Winograd(backend, x, filter, info, bias, activation, leakyAlpha)
}

function convInfo(x: tf.TensorInfo, filter: tf.TensorInfo, a: tf.Conv2DAttrs): Info {
  return tf.backend_util.computeConv2DInfo(x.shape as [number, number, number, number], filter.shape as [number, number, number, number],
    a.strides, a.dilations, a.pad, a.dimRoundingMode, false, tf.backend_util.convertConv2DDataFormat(a.dataFormat))
}

function conv2dWasm(args: Parameters<tf.KernelFunc>[0]): tf.TensorInfo {
  const { x, filter } = args.inputs as { x: tf.TensorInfo; filter: tf.TensorInfo }
  const info = convInfo(x, filter, args.attrs as unknown as tf.Conv2DAttrs)
  if (!usesWinograd(info, x.dtype) || filter.dtype !== 'float32') return runStock(tf.Conv2D, args)
  return winogradConv(args.backend as WasmBackendLike, x, filter, info, undefined, 'linear', 0)
}

function fusedConv2dWasm(args: Parameters<tf.KernelFunc>[0]): tf.TensorInfo {
  const { x, filter, bias, preluActivationWeights } = args.inputs as Record<string, tf.TensorInfo | undefined>
  const a = args.attrs as unknown as tf.FusedConv2DAttrs
  const info = convInfo(x!, filter!, a)
  const activation = a.activation as string
  const supported = (activation === 'linear' || activation === 'relu' || activation === 'leakyrelu') && preluActivationWeights == null &&
    (bias == null || (bias.shape.length === 1 && bias.shape[0] === info.outChannels && bias.dtype === 'float32'))
  if (!supported || !usesWinograd(info, x!.dtype) || filter!.dtype !== 'float32') return runStock(tf.FusedConv2D, args)
  return winogradConv(args.backend as WasmBackendLike, x!, filter!, info, bias, activation as Activation, a.leakyreluAlpha ?? 0)
}

/** Puts the Winograd path in front of the stock Conv2D and FusedConv2D (idempotent). */
export function replaceStockConv2d(): void {
  replaceKeepingStock(tf.Conv2D, conv2dWasm)
  replaceKeepingStock(tf.FusedConv2D, fusedConv2dWasm)
}
