// Turns a validated tensor description plus its storage bytes into a dense row-major array.
import { CheckpointError } from './errors'
import { ELEMENT_SIZE, type DType, type TensorRef } from './torch-objects'

export interface TorchTensor {
  dtype: DType
  shape: number[]
  /** Row-major values for float32/float16/float64 tensors, all converted to float32; null otherwise. */
  data: Float32Array | null
  /**
   * Row-major values for integer and bool tensors (int64 → BigInt64Array, int32 → Int32Array,
   * uint8/bool → Uint8Array with 0/1); null for float tensors. Generator weights never need it, but
   * keeping exact values lets callers check e.g. BatchNorm's `num_batches_tracked`.
   */
  intData: BigInt64Array | Int32Array | Uint8Array | null
}

type Raw = Float32Array | Float64Array | Uint16Array | BigInt64Array | Int32Array | Uint8Array
type RawCtor = { new (buffer: ArrayBuffer): Raw; new (length: number): Raw }

const RAW: Record<DType, RawCtor> = {
  float32: Float32Array, float16: Uint16Array, float64: Float64Array,
  int64: BigInt64Array, int32: Int32Array, uint8: Uint8Array, bool: Uint8Array,
}

// Storages are little-endian; copying them into typed arrays is only right on a little-endian host.
const LITTLE_ENDIAN_HOST = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1

/** `storage` holds the tensor's whole root storage (already checked to be big enough). */
export function materialise(t: TensorRef, storage: Uint8Array): TorchTensor {
  if (!LITTLE_ENDIAN_HOST) throw new CheckpointError('reading checkpoints needs a little-endian machine')
  const { dtype } = t.storage
  const size = ELEMENT_SIZE[dtype]
  const n = t.numel
  const start = t.storage.elementOffset + t.offset
  let span = n === 0 ? 0 : 1
  if (n > 0) for (let i = 0; i < t.shape.length; i++) span += ((t.shape[i] as number) - 1) * (t.stride[i] as number)

  // One aligned copy of just the elements this tensor touches (also detaches it from the file bytes).
  const buf = new ArrayBuffer(span * size)
  new Uint8Array(buf).set(storage.subarray(start * size, (start + span) * size))
  let raw = new RAW[dtype](buf)
  if (!isContiguous(t.shape, t.stride) && n > 0) raw = gather(raw, new RAW[dtype](n), t.shape, t.stride)

  const shape = [...t.shape]
  switch (dtype) {
    case 'float32': return { dtype, shape, data: raw as Float32Array, intData: null }
    case 'float64': return { dtype, shape, data: new Float32Array(raw as Float64Array), intData: null }
    case 'float16': return { dtype, shape, data: halfToFloat(raw as Uint16Array), intData: null }
    case 'bool': {
      const b = raw as Uint8Array
      for (let i = 0; i < b.length; i++) b[i] = b[i] ? 1 : 0
      return { dtype, shape, data: null, intData: b }
    }
    default: return { dtype, shape, data: null, intData: raw as BigInt64Array | Int32Array | Uint8Array }
  }
}

/** Row-major with no gaps; strides of size-1 dimensions do not matter (torch leaves them arbitrary). */
function isContiguous(shape: number[], stride: number[]): boolean {
  let expected = 1
  for (let i = shape.length - 1; i >= 0; i--) {
    const s = shape[i] as number
    if (s === 1) continue
    if (stride[i] !== expected) return false
    expected *= s
  }
  return true
}

/** Copies a strided view into row-major order; `src` starts at the view's first element. */
function gather(src: Raw, out: Raw, shape: number[], stride: number[]): Raw {
  const s = src as unknown as number[]
  const o = out as unknown as number[]
  const d = shape.length
  const inner = shape[d - 1] as number
  const innerStride = stride[d - 1] as number
  const outer = out.length / inner
  const idx = new Array<number>(d).fill(0)
  let base = 0
  let k = 0
  for (let row = 0; row < outer; row++) {
    for (let i = 0, j = base; i < inner; i++, j += innerStride) o[k++] = s[j] as number
    // Advance the odometer over every dimension but the last.
    for (let ax = d - 2; ax >= 0; ax--) {
      base += stride[ax] as number
      const next = (idx[ax] as number) + 1
      if (next < (shape[ax] as number)) {
        idx[ax] = next
        break
      }
      idx[ax] = 0
      base -= (stride[ax] as number) * (shape[ax] as number)
    }
  }
  return out
}

let halfTable: Float32Array | null = null

/** IEEE half → float32 through a 64K-entry table (exact: every half is a float32). */
function halfToFloat(h: Uint16Array): Float32Array {
  if (!halfTable) {
    halfTable = new Float32Array(65536)
    for (let v = 0; v < 65536; v++) {
      const sign = v & 0x8000 ? -1 : 1
      const exp = (v >> 10) & 0x1f
      const man = v & 0x3ff
      halfTable[v] =
        exp === 0 ? sign * man * 2 ** -24
        : exp === 31 ? (man ? NaN : sign * Infinity)
        : sign * (1 + man / 1024) * 2 ** (exp - 15)
    }
  }
  const out = new Float32Array(h.length)
  for (let i = 0; i < h.length; i++) out[i] = halfTable[h[i] as number] as number
  return out
}
