/**
 * Sum over every axis but the last (a bias's gradient: dy summed over N, H and W) as XNNPack's
 * global average pooling times the count. The stock kernel first transposes the reduced axes to the
 * end: 4.4 vs 0.6 ms for a 64×64×256 gradient, 24.6 vs 1.9 ms for 256×256×64, and a CycleGAN 256
 * step has 174 of them. (A JS loop over the heap was no faster than the stock kernel.) Other
 * reductions go to the stock kernel.
 */
import * as tf from '@tensorflow/tfjs'
import '@tensorflow/tfjs-backend-wasm' // the stock kernel must be registered before ours replaces it
import type { WasmBackendLike } from './wasm-kernels'
import { replaceKeepingStock, runStock, runWasm, view } from './wasm-ops'

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
  // XNNPack's global average pooling over the rows, times their count.
  const mean = runWasm(backend, 'AvgPool', { x: view(x, [1, rows, 1, C]) }, { filterSize: [rows, 1], strides: [rows, 1], pad: 'valid' })
  const sums = backend.typedArrayFromHeap(mean) as Float32Array
  for (let c = 0; c < C; c++) sums[c]! *= rows
  return view(mean, keepDims ? [...new Array<number>(rank - 1).fill(1), C] : [C])
}

/** Puts the one-pass sum in front of the stock Sum (idempotent). */
export function replaceStockSum(): void {
  replaceKeepingStock(tf.Sum, sumWasm)
}
