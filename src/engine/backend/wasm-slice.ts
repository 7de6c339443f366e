/**
 * Slice for the wasm backend with one copy per contiguous run. The stock kernel copies one
 * innermost row at a time through a new subarray each (for NHWC: one pixel's channels), so cropping
 * a 256×257×64 transposed-conv output took 34 ms. Here the trailing axes taken whole merge with the
 * last cropped one into a single run: that crop is 256 copies of 64 KiB.
 */
import * as tf from '@tensorflow/tfjs'
import '@tensorflow/tfjs-backend-wasm' // the stock kernel must be registered before ours replaces it
import type { WasmBackendLike } from './wasm-kernels'
import { heapOf, replaceKeepingStock, runStock } from './wasm-ops'

/** x[begin : begin + size] of a numeric tensor in the wasm heap (sizes already resolved, no −1). */
export function sliceInHeap(backend: WasmBackendLike, x: tf.TensorInfo, begin: number[], size: number[]): tf.TensorInfo {
  const shape = x.shape
  const strides = [...tf.util.computeStrides(shape), 1]
  // Axis k is the last one cut short; everything after it is taken whole, so each run is contiguous.
  let k = Math.max(0, shape.length - 1)
  while (k > 0 && begin[k] === 0 && size[k] === shape[k]) k--
  const run = (size[k] ?? 1) * (strides[k] ?? 1)
  const out = backend.makeOutput(size, x.dtype)
  const [heap, src] = heapOf<Float32Array | Int32Array | Uint8Array>(backend, x)
  const [, dst] = heapOf(backend, out)
  const runs = tf.util.sizeFromShape(size.slice(0, k))
  const index = new Array<number>(k).fill(0) // position among the outer axes, an odometer
  for (let r = 0; r < runs; r++) {
    let from = src + (begin[k] ?? 0) * (strides[k] ?? 1)
    for (let a = 0; a < k; a++) from += ((begin[a] as number) + (index[a] as number)) * (strides[a] as number)
    heap.copyWithin(dst + r * run, from, from + run)
    for (let a = k - 1; a >= 0 && ++index[a]! === size[a]; a--) index[a] = 0
  }
  return out
}

function sliceWasm(args: Parameters<tf.KernelFunc>[0]): tf.TensorInfo {
  const backend = args.backend as WasmBackendLike
  const { x } = args.inputs as { x: tf.TensorInfo }
  const { begin, size } = args.attrs as unknown as tf.SliceAttrs
  if (x.dtype === 'string' || x.dtype === 'complex64') return runStock(tf.Slice, args)
  const [b, s] = tf.slice_util.parseSliceParams(x, begin, size) as [number[], number[]]
  return sliceInHeap(backend, x, b, s)
}

/** Swaps the stock Slice for this one (idempotent); strings and complex numbers still go to the stock one. */
export function replaceStockSlice(): void {
  replaceKeepingStock(tf.Slice, sliceWasm)
}
