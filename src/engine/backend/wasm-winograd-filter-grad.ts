/**
 * The filter gradient of a Winograd-eligible 3×3 conv (see wasm-winograd.ts) in the Winograd domain.
 * Going back through Y = Aᵀ M A, M_k = V_k U_k, U = G g Gᵀ, per tile t:
 *   dM_t = A dY_t Aᵀ,   dU_k = Σ_t V_t,kᵀ dM_t,k = V_kᵀ [C, tiles] · dM_k [tiles, Cout],   dg = Gᵀ dU G,
 * so the 9·C·Cout·(output pixels) multiply-adds of the direct gradient become 16 matrix products of
 * 4·C·Cout·(output pixels) in all.
 *
 * The layouts are what makes it pay. The wasm BatchMatMul takes XNNPack's GEMM only untransposed
 * (its transposed path is ~25× slower), so V_kᵀ is written channel-major, [C, tiles]: x is first
 * transposed to channel planes by the wasm Transpose, and the transform then reads and writes each
 * plane in order. (Scattering V_kᵀ straight from NHWC, and running the products as 1×1 convs, made an
 * earlier version slower than im2col: 217 vs 172 ms at 64×64×256.)
 */
import * as tf from '@tensorflow/tfjs'
import type { WasmBackendLike } from './wasm-kernels'
import { free, heapOf, paddedInput, runWasm, view } from './wasm-ops'
import { offsets } from './wasm-winograd'
import { byteAddresses, eachOutputTileRow, winogradSimdOf } from './wasm-winograd-simd'

export function conv3x3FilterGradWinograd(backend: WasmBackendLike, x: tf.TensorInfo, dy: tf.TensorInfo,
  info: tf.backend_util.Conv2DInfo): tf.TensorInfo {
  const { batchSize: N, inChannels: C, outChannels: CO, outHeight: OH, outWidth: OW } = info
  const Th = Math.ceil(OH / 2)
  const Tw = Math.ceil(OW / 2)
  const tiles = N * Th * Tw
  const temps = new Set<tf.TensorInfo>()
  const done = (...ts: tf.TensorInfo[]) => ts.forEach((t) => temps.delete(t) && free(backend, t))
  try {
    const [rows, cols] = [2 * Th + 2, 2 * Tw + 2]
    const padded = paddedInput(backend, x, info, rows, cols)
    if (padded !== x) temps.add(padded)
    const planes = runWasm(backend, 'Transpose', { x: view(padded, [N * rows * cols, C]) }, { perm: [1, 0] })
    temps.add(planes)
    if (padded !== x) done(padded)
    const V = Array.from({ length: 16 }, () => backend.makeOutput([1, C, tiles], 'float32'))
    V.forEach((v) => temps.add(v))
    channelMajorInputTransform(backend, planes, V, C, N, rows, cols)
    done(planes)
    const dM = Array.from({ length: 16 }, () => backend.makeOutput([1, tiles, CO], 'float32'))
    dM.forEach((m) => temps.add(m))
    outputGradTransform(backend, dy, dM, Th, Tw)
    const dU = planeProducts(backend, V, dM, temps)
    const dW = backend.makeOutput([3, 3, C, CO], 'float32')
    filterGradTransform(backend, dU, dW, C * CO)
    return dW
  } finally {
    free(backend, ...temps)
  }
}

/**
 * dU_k = V_k [C, tiles] · dM_k [tiles, Cout] for every plane k, by untransposed BatchMatMuls; each
 * pair is freed (and taken out of `temps`) as soon as its product is made, which goes into `temps`.
 */
export function planeProducts(backend: WasmBackendLike, V: tf.TensorInfo[], dM: tf.TensorInfo[], temps: Set<tf.TensorInfo>): tf.TensorInfo[] {
  return V.map((v, k) => {
    const u = runWasm(backend, 'BatchMatMul', { a: v, b: dM[k]! }, { transposeA: false, transposeB: false })
    temps.add(u)
    for (const t of [v, dM[k]!]) if (temps.delete(t)) free(backend, t)
    return u
  })
}

/**
 * V_kᵀ = (Bᵀ d B)_k as in wasm-winograd's inputTransform, from channel planes [C, N, rows, cols]
 * into [C, tiles]: each plane is read row by row and each V_k written in order. Along a row of tiles
 * the last two columns of one patch are the first two of the next, so they are carried over.
 */
function channelMajorInputTransform(backend: WasmBackendLike, planes: tf.TensorInfo, V: tf.TensorInfo[],
  C: number, N: number, rows: number, cols: number) {
  const Th = (rows - 2) / 2
  const Tw = (cols - 2) / 2
  const [h, src] = heapOf(backend, planes)
  const vs = offsets(backend, V)
  const simd = Tw % 4 === 0 ? winogradSimdOf(backend) : undefined
  if (simd) {
    simd.planes(...byteAddresses(vs))
    for (let plane = 0, o = 0; plane < C * N; plane++) {
      for (let ty = 0; ty < Th; ty++, o += Tw) simd.planesRow(4 * (src + (plane * rows + 2 * ty) * cols), 4 * cols, Tw / 4, 4 * o)
    }
    return
  }
  const [v0, v1, v2, v3, v4, v5, v6, v7, v8, v9, v10, v11, v12, v13, v14, v15] = vs
  for (let c = 0, o = 0; c < C; c++) {
    for (let n = 0; n < N; n++) {
      for (let ty = 0; ty < Th; ty++) {
        const p0 = src + ((c * N + n) * rows + 2 * ty) * cols, p1 = p0 + cols, p2 = p1 + cols, p3 = p2 + cols
        // Rows first (r = Bᵀ d) for columns 0 and 1 of the first patch.
        let r00 = h[p0]! - h[p2]!, r10 = h[p1]! + h[p2]!, r20 = h[p2]! - h[p1]!, r30 = h[p1]! - h[p3]!
        let r01 = h[p0 + 1]! - h[p2 + 1]!, r11 = h[p1 + 1]! + h[p2 + 1]!, r21 = h[p2 + 1]! - h[p1 + 1]!, r31 = h[p1 + 1]! - h[p3 + 1]!
        for (let tx = 0; tx < Tw; tx++, o++) {
          const j = 2 * tx + 2
          const r02 = h[p0 + j]! - h[p2 + j]!, r12 = h[p1 + j]! + h[p2 + j]!, r22 = h[p2 + j]! - h[p1 + j]!, r32 = h[p1 + j]! - h[p3 + j]!
          const k = j + 1
          const r03 = h[p0 + k]! - h[p2 + k]!, r13 = h[p1 + k]! + h[p2 + k]!, r23 = h[p2 + k]! - h[p1 + k]!, r33 = h[p1 + k]! - h[p3 + k]!
          // Then columns (r B).
          h[v0 + o] = r00 - r02; h[v1 + o] = r01 + r02; h[v2 + o] = r02 - r01; h[v3 + o] = r01 - r03
          h[v4 + o] = r10 - r12; h[v5 + o] = r11 + r12; h[v6 + o] = r12 - r11; h[v7 + o] = r11 - r13
          h[v8 + o] = r20 - r22; h[v9 + o] = r21 + r22; h[v10 + o] = r22 - r21; h[v11 + o] = r21 - r23
          h[v12 + o] = r30 - r32; h[v13 + o] = r31 + r32; h[v14 + o] = r32 - r31; h[v15 + o] = r31 - r33
          r00 = r02; r10 = r12; r20 = r22; r30 = r32
          r01 = r03; r11 = r13; r21 = r23; r31 = r33
        }
      }
    }
  }
}

/**
 * dM_t = A dY_t Aᵀ with A = [1 0; 1 1; 1 −1; 0 −1], into 16 planes [tiles, Cout]; outputs past an
 * odd edge count as 0.
 */
function outputGradTransform(backend: WasmBackendLike, dy: tf.TensorInfo, dM: tf.TensorInfo[], Th: number, Tw: number) {
  const [N, OH, OW, CO] = dy.shape as [number, number, number, number]
  const [h, src] = heapOf(backend, dy)
  const qs = offsets(backend, dM)
  const simd = CO % 4 === 0 ? winogradSimdOf(backend) : undefined
  if (simd) {
    simd.planes(...byteAddresses(qs))
    eachOutputTileRow(src, dy.shape, 2, Th, Tw, (address, rowBytes, pixelBytes, o, lastCols, rows) =>
      simd.gradRow(address, rowBytes, pixelBytes, Tw, o, lastCols, rows))
    return
  }
  const [q0, q1, q2, q3, q4, q5, q6, q7, q8, q9, q10, q11, q12, q13, q14, q15] = qs
  const row = OW * CO
  for (let n = 0, tile = 0; n < N; n++) {
    for (let ty = 0; ty < Th; ty++) {
      const secondRow = 2 * ty + 1 < OH
      for (let tx = 0; tx < Tw; tx++, tile += CO) {
        const secondCol = 2 * tx + 1 < OW
        const base = src + ((n * OH + 2 * ty) * OW + 2 * tx) * CO
        for (let co = 0; co < CO; co++) {
          const p = base + co
          const y00 = h[p]!
          const y01 = secondCol ? h[p + CO]! : 0
          const y10 = secondRow ? h[p + row]! : 0
          const y11 = secondRow && secondCol ? h[p + row + CO]! : 0
          // R = A dY (rows), then dM = R Aᵀ: a row [a, b] becomes [a, a + b, a − b, −b]
          const r10 = y00 + y10, r11 = y01 + y11, r20 = y00 - y10, r21 = y01 - y11
          const o = tile + co
          h[q0 + o] = y00; h[q1 + o] = y00 + y01; h[q2 + o] = y00 - y01; h[q3 + o] = -y01
          h[q4 + o] = r10; h[q5 + o] = r10 + r11; h[q6 + o] = r10 - r11; h[q7 + o] = -r11
          h[q8 + o] = r20; h[q9 + o] = r20 + r21; h[q10 + o] = r20 - r21; h[q11 + o] = -r21
          h[q12 + o] = -y10; h[q13 + o] = -y10 - y11; h[q14 + o] = y11 - y10; h[q15 + o] = y11
        }
      }
    }
  }
}

/** dg = Gᵀ dU G with G = [1 0 0; ½ ½ ½; ½ −½ ½; 0 0 1], per (c, co), into the HWIO filter gradient. */
function filterGradTransform(backend: WasmBackendLike, dU: tf.TensorInfo[], dW: tf.TensorInfo, plane: number) {
  const [h, w] = heapOf(backend, dW)
  const us = offsets(backend, dU)
  const simd = plane % 4 === 0 ? winogradSimdOf(backend) : undefined
  if (simd) {
    simd.planes(...byteAddresses(us))
    simd.filterGrad(4 * w, 4 * plane, 4 * plane)
    return
  }
  const [u0, u1, u2, u3, u4, u5, u6, u7, u8, u9, u10, u11, u12, u13, u14, u15] = us
  for (let p = 0; p < plane; p++) {
    // T = Gᵀ dU (3×4), by rows of dU
    const a0 = h[u0 + p]!, a1 = h[u1 + p]!, a2 = h[u2 + p]!, a3 = h[u3 + p]!
    const b0 = h[u4 + p]!, b1 = h[u5 + p]!, b2 = h[u6 + p]!, b3 = h[u7 + p]!
    const c0 = h[u8 + p]!, c1 = h[u9 + p]!, c2 = h[u10 + p]!, c3 = h[u11 + p]!
    const d0 = h[u12 + p]!, d1 = h[u13 + p]!, d2 = h[u14 + p]!, d3 = h[u15 + p]!
    const s0 = (b0 + c0) / 2, s1 = (b1 + c1) / 2, s2 = (b2 + c2) / 2, s3 = (b3 + c3) / 2
    const t00 = a0 + s0, t01 = a1 + s1, t02 = a2 + s2, t03 = a3 + s3
    const t10 = (b0 - c0) / 2, t11 = (b1 - c1) / 2, t12 = (b2 - c2) / 2, t13 = (b3 - c3) / 2
    const t20 = s0 + d0, t21 = s1 + d1, t22 = s2 + d2, t23 = s3 + d3
    // dg = T G: a row [e0 e1 e2 e3] becomes [e0 + (e1 + e2)/2, (e1 − e2)/2, (e1 + e2)/2 + e3]
    h[w + p] = t00 + (t01 + t02) / 2; h[w + plane + p] = (t01 - t02) / 2; h[w + 2 * plane + p] = (t01 + t02) / 2 + t03
    h[w + 3 * plane + p] = t10 + (t11 + t12) / 2; h[w + 4 * plane + p] = (t11 - t12) / 2; h[w + 5 * plane + p] = (t11 + t12) / 2 + t13
    h[w + 6 * plane + p] = t20 + (t21 + t22) / 2; h[w + 7 * plane + p] = (t21 - t22) / 2; h[w + 8 * plane + p] = (t21 + t22) / 2 + t23
  }
}
