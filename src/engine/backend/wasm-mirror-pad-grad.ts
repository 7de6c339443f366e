/**
 * The gradient of a spatial MirrorPad (NHWC, H and W padded) as one wasm-heap kernel: the interior of
 * dy copied row by row, then each border pixel's channels added onto the pixel it mirrors. The
 * op-by-op form (layers/mirror-pad-gradient.ts: slices, reverses, pads and full-size adds per axis)
 * took ~6 ms per ResNet block at 128 px; this touches dy once.
 */
import * as tf from '@tensorflow/tfjs'
import type { WasmBackendLike } from './wasm-kernels'
import { heapOf } from './wasm-ops'

export const MIRROR_PAD_GRAD = 'GanvasMirrorPadGrad'

export interface MirrorPadGradAttrs {
  /** Paddings of the forward MirrorPad, [before, after] per axis. */
  paddings: [number, number][]
  mode: 'reflect' | 'symmetric'
}

/** Whether the kernel handles these paddings: rank 4, nothing added to the batch or channel axes. */
export function mirrorPadGradApplies(rank: number, paddings: [number, number][]): boolean {
  return rank === 4 && paddings.length === 4 && paddings[0]!.every((p) => p === 0) && paddings[3]!.every((p) => p === 0)
}

/** The input index a padded index copies: reflect skips the edge element, symmetric repeats it. */
function source(p: number, before: number, inner: number, shift: number): number {
  if (p < before) return before - p - 1 + shift
  if (p >= before + inner) return 2 * inner + before - p - 1 - shift
  return p - before
}

function mirrorPadGradWasm({ inputs, backend: anyBackend, attrs }: Parameters<tf.KernelFunc>[0]): tf.TensorInfo {
  const backend = anyBackend as WasmBackendLike
  const { dy } = inputs as { dy: tf.TensorInfo }
  const { paddings, mode } = attrs as unknown as MirrorPadGradAttrs
  const [N, PH, PW, C] = dy.shape as [number, number, number, number]
  const [[top, bottom], [left, right]] = [paddings[1]!, paddings[2]!]
  const H = PH - top - bottom
  const W = PW - left - right
  const shift = mode === 'reflect' ? 1 : 0
  const dx = backend.makeOutput([N, H, W, C], 'float32')
  const [heap, src] = heapOf(backend, dy)
  const [, dst] = heapOf(backend, dx)
  for (let n = 0; n < N; n++) {
    for (let i = 0; i < H; i++) {
      const from = src + ((n * PH + top + i) * PW + left) * C
      heap.copyWithin(dst + (n * H + i) * W * C, from, from + W * C)
    }
    for (let pi = 0; pi < PH; pi++) {
      const borderRow = pi < top || pi >= top + H
      const i = source(pi, top, H, shift)
      for (let pj = 0; pj < PW; pj++) {
        if (!borderRow && pj >= left && pj < left + W) {
          pj = left + W - 1 // the interior of this row is already in place
          continue
        }
        const from = src + ((n * PH + pi) * PW + pj) * C
        const to = dst + ((n * H + i) * W + source(pj, left, W, shift)) * C
        for (let c = 0; c < C; c++) heap[to + c]! += heap[from + c]!
      }
    }
  }
  return dx
}

export const mirrorPadGradKernel: tf.KernelConfig = { kernelName: MIRROR_PAD_GRAD, backendName: 'wasm', kernelFunc: mirrorPadGradWasm }
