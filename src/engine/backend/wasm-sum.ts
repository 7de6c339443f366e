/**
 * Sum over every axis but the last (a bias's gradient: dy summed over N, H and W) as one pass over
 * the wasm heap. The stock kernel first transposes the reduced axes to the end, a full copy: ~6 ms
 * per 64×64×256 gradient, 174 times in a CycleGAN 256 step. Other reductions go to the stock kernel.
 */
import * as tf from '@tensorflow/tfjs'
import '@tensorflow/tfjs-backend-wasm' // the stock kernel must be registered before ours replaces it
import type { WasmBackendLike } from './wasm-kernels'
import { replaceKeepingStock, runStock } from './wasm-ops'

function sumWasm(args: Parameters<tf.KernelFunc>[0]): tf.TensorInfo {
  const backend = args.backend as WasmBackendLike
  const { x } = args.inputs as { x: tf.TensorInfo }
  const { axis, keepDims } = args.attrs as unknown as tf.SumAttrs
  const rank = x.shape.length
  const axes = tf.util.parseAxisParam(axis, x.shape).sort((a, b) => a - b)
  const allButLast = rank >= 2 && axes.length === rank - 1 && axes.every((a, i) => a === i)
  if (!allButLast || x.dtype !== 'float32') return runStock(tf.Sum, args)
  const C = x.shape[rank - 1]!
  const rows = tf.util.sizeFromShape(x.shape) / C
  const out = backend.makeOutput(keepDims ? [...new Array<number>(rank - 1).fill(1), C] : [C], 'float32')
  const src = backend.typedArrayFromHeap(x) as Float32Array // views after the allocation
  const dst = backend.typedArrayFromHeap(out) as Float32Array
  const acc = new Float64Array(C)
  for (let r = 0, i = 0; r < rows; r++) for (let c = 0; c < C; c++, i++) acc[c]! += src[i]!
  dst.set(acc)
  return out
}

/** Puts the one-pass sum in front of the stock Sum (idempotent). */
export function replaceStockSum(): void {
  replaceKeepingStock(tf.Sum, sumWasm)
}
