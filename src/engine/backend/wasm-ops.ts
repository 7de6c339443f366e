/** Helpers for kernels built from the wasm backend's own kernels, on TensorInfos. */
import * as tf from '@tensorflow/tfjs'
import type { WasmBackendLike } from './wasm-kernels'

/** Runs another wasm kernel; the caller must free what it returns. */
export function runWasm(backend: WasmBackendLike, name: string, inputs: tf.NamedTensorInfoMap, attrs: tf.NamedAttrMap) {
  const kernel = tf.getKernel(name, 'wasm')
  if (kernel == null) throw new Error(`wasm kernel '${name}' is not registered (is @tensorflow/tfjs-backend-wasm loaded?)`)
  return kernel.kernelFunc({ inputs, attrs, backend }) as tf.TensorInfo
}

/** The same data under another shape (no copy). */
export const view = (t: tf.TensorInfo, shape: number[]): tf.TensorInfo => ({ dataId: t.dataId, shape, dtype: t.dtype })

/**
 * Puts `kernelFunc` in place of the wasm backend's kernel `name`. Returns the kernel it replaced
 * (undefined if there was none), or null when `kernelFunc` was already the registered one.
 */
function replaceWasmKernel(name: string, kernelFunc: tf.KernelFunc): tf.KernelConfig | undefined | null {
  const current = tf.getKernel(name, 'wasm')
  if (current?.kernelFunc === kernelFunc) return null
  if (current != null) tf.unregisterKernel(name, 'wasm')
  tf.registerKernel({ kernelName: name, backendName: 'wasm', kernelFunc })
  return current
}

/** The stock kernels that replacements registered with replaceKeepingStock fall back to. */
const stock = new Map<string, tf.KernelConfig>()
const stockReady = new WeakMap<object, Set<string>>()

/** replaceWasmKernel, keeping the replaced kernel for runStock. Idempotent. */
export function replaceKeepingStock(name: string, kernelFunc: tf.KernelFunc): void {
  const replaced = replaceWasmKernel(name, kernelFunc)
  if (replaced) stock.set(name, replaced)
}

/** Runs the stock kernel that `name`'s replacement leaves a case to. */
export function runStock(name: string, args: Parameters<tf.KernelFunc>[0]): tf.TensorInfo {
  const kernel = stock.get(name)
  if (kernel == null) throw new Error(`${name}: the stock wasm kernel is not available`)
  // Registered after the wasm backend started, the stock kernel's setup (a cwrap) may never have run.
  let ready = stockReady.get(args.backend)
  if (!ready) stockReady.set(args.backend, (ready = new Set()))
  if (!ready.has(name)) kernel.setupFunc?.(args.backend)
  ready.add(name)
  return kernel.kernelFunc(args) as tf.TensorInfo
}

/**
 * The whole wasm heap as t's element type, and t's offset in it (in elements). A fixed-length view:
 * take it after the last allocation, which may grow (and detach) the heap.
 */
export function heapOf<T extends Float32Array | Int32Array | Uint8Array = Float32Array>(backend: WasmBackendLike, t: tf.TensorInfo): [T, number] {
  const a = backend.typedArrayFromHeap(t)
  const Whole = a.constructor as new (buffer: ArrayBufferLike, offset: number, length: number) => T
  return [new Whole(a.buffer, 0, a.buffer.byteLength / a.BYTES_PER_ELEMENT), a.byteOffset / a.BYTES_PER_ELEMENT]
}

export const free = (backend: WasmBackendLike, ...ts: tf.TensorInfo[]) => ts.forEach((t) => backend.disposeData(t.dataId))

/** x with the conv's padding made real, [N, rows, cols, C] (zeros past x's end too); x itself if it fits as is. */
export function paddedInput(backend: WasmBackendLike, x: tf.TensorInfo, info: tf.backend_util.Conv2DInfo, rows: number, cols: number): tf.TensorInfo {
  const [N, H, W, C] = x.shape as [number, number, number, number]
  const { top, left } = info.padInfo
  if (top === 0 && left === 0 && H === rows && W === cols) return x
  const out = backend.makeOutput([N, rows, cols, C], 'float32')
  const [heap, src] = heapOf(backend, x)
  const [, dst] = heapOf(backend, out)
  heap.fill(0, dst, dst + N * rows * cols * C)
  const h1 = Math.min(H, rows - top)
  const w1 = Math.min(W, cols - left)
  for (let n = 0; n < N; n++) {
    for (let h = 0; h < h1; h++) {
      const s = src + ((n * H + h) * W) * C
      heap.copyWithin(dst + ((n * rows + h + top) * cols + left) * C, s, s + w1 * C)
    }
  }
  return out
}
