/**
 * Filters derived from a weight tensor (e.g. a transposed convolution's taps, rearranged per output
 * phase), kept while that weight lives. Outside gradient recording (inference) a model's weights do
 * not change between calls, so the rearranging, and XNNPack's packing of the derived filter (cached
 * by the wasm Conv2D under the derived tensor's id), happen once per model instead of once per call.
 * While gradients are recorded (training) nothing is kept: every step brings new weights, and wasm
 * memory is tight there. Entries are freed with the weight they came from (tensors are immutable; an
 * optimiser's update gives a variable a new data id, so a stale entry can never be found).
 */
import * as tf from '@tensorflow/tfjs'
import type { WasmBackendLike } from './wasm-kernels'

/** Per backend: weight data id → (key → derived filters). */
type Cache = Map<tf.DataId, Map<string, tf.TensorInfo[]>>

const caches = new WeakMap<WasmBackendLike, Cache>()

/** The backend's cache; the first call makes disposing a weight also free what was derived from it. */
function cacheOf(backend: WasmBackendLike): Cache {
  let byWeight = caches.get(backend)
  if (byWeight) return byWeight
  byWeight = new Map()
  caches.set(backend, byWeight)
  const dispose = backend.disposeData.bind(backend)
  backend.disposeData = (dataId: tf.DataId, force?: boolean) => {
    const disposed = dispose(dataId, force)
    const derived = disposed ? byWeight.get(dataId) : undefined
    if (derived) {
      byWeight.delete(dataId)
      // Through the hook: a derived filter may have filters derived from it in turn.
      for (const filters of derived.values()) for (const t of filters) backend.disposeData(t.dataId, true)
    }
    return disposed
  }
  return byWeight
}

/**
 * The filter `make` derives from `weight` under `key`, and whether the caller must free it (true
 * while gradients are recorded: then it is made fresh and not kept).
 */
export function derivedFilter(backend: WasmBackendLike, weight: tf.TensorInfo, key: string,
  make: () => tf.TensorInfo): { filter: tf.TensorInfo; callerFrees: boolean } {
  const { filters, callerFrees } = derivedFilters(backend, weight, key, () => [make()])
  return { filter: filters[0]!, callerFrees }
}

/** As derivedFilter, for a set of filters made together (e.g. the 16 planes of a Winograd transform). */
export function derivedFilters(backend: WasmBackendLike, weight: tf.TensorInfo, key: string,
  make: () => tf.TensorInfo[]): { filters: tf.TensorInfo[]; callerFrees: boolean } {
  if (tf.engine().state.gradientDepth > 0) return { filters: make(), callerFrees: true }
  const byWeight = cacheOf(backend)
  let derived = byWeight.get(weight.dataId)
  if (!derived) byWeight.set(weight.dataId, (derived = new Map()))
  let filters = derived.get(key)
  if (!filters) derived.set(key, (filters = make()))
  return { filters, callerFrees: false }
}

/** How many derived filters are held (for tests). */
export function derivedFilterCount(backend: WasmBackendLike): number {
  let n = 0
  for (const derived of caches.get(backend)?.values() ?? []) for (const filters of derived.values()) n += filters.length
  return n
}
