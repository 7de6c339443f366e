/**
 * Kernels that TF.js 4.22's wasm backend lacks but training needs:
 *  - Conv2DBackpropFilter: filter gradient of conv2d and conv2dTranspose (see wasm-conv2d-backprop-filter).
 *  - UnsortedSegmentSum: gradient of gather (embeddings, e.g. class-conditional GANs).
 *  - GanvasMirrorPadGrad: the reflection padding's gradient in one pass (see wasm-mirror-pad-grad).
 *  - Conv2DBackpropInput: replaces the stock one (a naive loop): input gradient of conv2d and the forward
 *    op of conv2dTranspose, as XNNPack convolutions (see wasm-conv2d-backprop-input).
 *  - Identity: replaces the stock one (a copy) with one that shares the data (see identityWasm).
 *  - Conv2D, FusedConv2D: 3×3 stride-1 convs by Winograd F(4×4, 3×3) or F(2×2, 3×3) (see wasm-winograd); others stock.
 *  - Sum over all axes but the last (bias gradients): one pass instead of a transpose first (see wasm-sum).
 *  - Slice: replaces the stock one (a copy per innermost row) with one copy per contiguous run (see wasm-slice).
 * Still missing on wasm after this: DepthwiseConv2dNativeBackpropFilter/Input (so depthwise and
 * separable convs cannot train), Einsum, FFT/IFFT and complex numbers.
 */
import * as tf from '@tensorflow/tfjs'
import { conv2dBackpropFilterWasm } from './wasm-conv2d-backprop-filter'
import { replaceStockConv2dBackpropInput } from './wasm-conv2d-backprop-input'
import { mirrorPadGradKernel } from './wasm-mirror-pad-grad'
import { replaceKeepingStock, runStock } from './wasm-ops'
import { replaceStockSlice } from './wasm-slice'
import { replaceStockSum } from './wasm-sum'
import { replaceStockConv2d } from './wasm-winograd'

/** The part of the wasm backend (BackendWasm) these kernels use; its class is not exported as a type. */
export interface WasmBackendLike {
  makeOutput(shape: number[], dtype: tf.DataType): tf.TensorInfo
  typedArrayFromHeap(t: tf.TensorInfo): Float32Array | Int32Array | Uint8Array
  disposeData(dataId: tf.DataId, force?: boolean): boolean
}

function unsortedSegmentSumWasm({ inputs, backend: anyBackend, attrs }: Parameters<tf.KernelFunc>[0]): tf.TensorInfo {
  const backend = anyBackend as WasmBackendLike
  const { x, segmentIds } = inputs as { x: tf.TensorInfo; segmentIds: tf.TensorInfo }
  const numSegments = (attrs as unknown as tf.UnsortedSegmentSumAttrs).numSegments
  if (x.dtype !== 'float32' && x.dtype !== 'int32') {
    throw new Error(`UnsortedSegmentSum on wasm supports float32 and int32 (got ${x.dtype})`)
  }
  // As in TensorFlow: segmentIds covers the leading dims of x, the rest is summed as a block.
  const idRank = segmentIds.shape.length
  if (x.shape.slice(0, idRank).join() !== segmentIds.shape.join()) {
    throw new Error(`UnsortedSegmentSum: segmentIds shape [${segmentIds.shape}] is not a prefix of x [${x.shape}]`)
  }
  const inner = tf.util.sizeFromShape(x.shape.slice(idRank))
  const out = backend.makeOutput([numSegments, ...x.shape.slice(idRank)], x.dtype)
  // Views after makeOutput: the allocation may have grown (and detached) the heap.
  const dst = backend.typedArrayFromHeap(out)
  const src = backend.typedArrayFromHeap(x)
  const ids = backend.typedArrayFromHeap(segmentIds)
  dst.fill(0) // wasm allocations are not zeroed
  for (let i = 0; i < ids.length; i++) {
    const seg = ids[i] as number
    if (seg < 0 || seg >= numSegments) continue // TensorFlow drops ids outside [0, numSegments)
    const s = i * inner
    const d = seg * inner
    for (let j = 0; j < inner; j++) dst[d + j] = (dst[d + j] as number) + (src[s + j] as number)
  }
  return out
}

/**
 * Identity sharing the input's data (as the cpu backend does) instead of copying it. TF.js clones
 * every tensor it saves for a gradient, so with the stock copying kernel each saved activation was
 * stored again, once per op that saved it: a CycleGAN step held ~2× its activations. Tensors are
 * immutable (a variable's assign takes a new data id), so sharing is safe; the backend counts refs.
 */
function identityWasm({ inputs, backend: anyBackend }: Parameters<tf.KernelFunc>[0]): tf.TensorInfo {
  const backend = anyBackend as WasmBackendLike & { incRef(dataId: tf.DataId): void }
  const { x } = inputs as { x: tf.TensorInfo }
  if (x.dtype === 'string') return runStock(tf.Identity, { inputs, backend: anyBackend, attrs: {} })
  backend.incRef(x.dataId)
  return { dataId: x.dataId, shape: x.shape, dtype: x.dtype }
}


const kernels: tf.KernelConfig[] = [
  { kernelName: tf.Conv2DBackpropFilter, backendName: 'wasm', kernelFunc: conv2dBackpropFilterWasm },
  { kernelName: tf.UnsortedSegmentSum, backendName: 'wasm', kernelFunc: unsortedSegmentSumWasm },
  mirrorPadGradKernel,
]

/**
 * Registers the missing training kernels for the 'wasm' backend. Idempotent, and safe before or after
 * tf.setBackend('wasm'): the kernels need no setup and look up the wasm kernels they use at call time.
 * A kernel the wasm backend already has (a future TF.js version) is left alone.
 */
export function registerWasmTrainingKernels(): void {
  for (const config of kernels) {
    if (tf.getKernel(config.kernelName, 'wasm') == null) tf.registerKernel(config)
  }
  replaceStockConv2dBackpropInput()
  replaceKeepingStock(tf.Identity, identityWasm)
  replaceStockSlice()
  replaceStockConv2d()
  replaceStockSum()
}
