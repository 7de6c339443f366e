// The only Python names a checkpoint may mention, and what they turn into. Everything here builds
// plain descriptions (which storage, offset, shape, strides); no data is read until the whole pickle
// has been validated, and nothing the file names is ever imported or executed.
import { corrupt, refusedGlobal, CheckpointError } from './errors'
import { HostValue, PyDict, PyGlobal, PyTuple, type PickleHooks, type PyValue } from './pickle'

export type DType = 'float32' | 'float16' | 'float64' | 'int64' | 'int32' | 'uint8' | 'bool'

export const ELEMENT_SIZE: Record<DType, number> = {
  float32: 4, float16: 2, float64: 8, int64: 8, int32: 4, uint8: 1, bool: 1,
}

const STORAGE_DTYPES: Record<string, DType> = {
  'torch.FloatStorage': 'float32',
  'torch.HalfStorage': 'float16',
  'torch.DoubleStorage': 'float64',
  'torch.LongStorage': 'int64',
  'torch.IntStorage': 'int32',
  'torch.ByteStorage': 'uint8',
  'torch.BoolStorage': 'bool',
  // Untyped storages count bytes; torch.save names them either way depending on version.
  'torch.UntypedStorage': 'uint8',
  'torch.storage.UntypedStorage': 'uint8',
}

const CALLABLES = ['collections.OrderedDict', 'torch._utils._rebuild_tensor_v2', 'torch._utils._rebuild_parameter']

/** Everything GLOBAL / STACK_GLOBAL may resolve to. */
export const ALLOWED_GLOBALS: readonly string[] = [...CALLABLES, ...Object.keys(STORAGE_DTYPES)]

const MAX_TENSORS = 1_000_000
const MAX_DIMS = 32
const MAX_ELEMENTS = 2 ** 31 - 1 // one typed array's worth; no generator layer comes close
const SMALL_EXPANSION = 1 << 20 // broadcast views may repeat values, but only this many

/** A storage as the pickle declares it; `key` names the raw data blob in the file. */
export class StorageRef extends HostValue {
  constructor(
    readonly key: string,
    readonly dtype: DType,
    readonly numel: number, // elements visible through this storage
    readonly elementOffset = 0, // legacy storage views start inside their root storage
  ) {
    super()
  }
}

export class TensorRef extends HostValue {
  constructor(
    readonly storage: StorageRef,
    readonly offset: number,
    readonly shape: number[],
    readonly stride: number[],
  ) {
    super()
  }
  get numel(): number {
    return this.shape.reduce((a, b) => a * b, 1)
  }
}

/** Storage blobs the pickle refers to: key → dtype and element count, in order of first use. */
export type DeclaredStorages = Map<string, { dtype: DType; numel: number }>

export function torchHooks(declared: DeclaredStorages): PickleHooks {
  let tensors = 0
  return {
    resolveGlobal(module, name) {
      const q = `${module}.${name}`
      if (!ALLOWED_GLOBALS.includes(q)) throw refusedGlobal(module, name)
      return new PyGlobal(module, name)
    },

    call(fn, args) {
      if (!(fn instanceof PyGlobal)) throw corrupt('the pickle calls something that is not a function')
      const a = args.items
      switch (fn.qualified) {
        case 'collections.OrderedDict':
          return orderedDict(a)
        case 'torch._utils._rebuild_tensor_v2': {
          if (a.length !== 6 && a.length !== 7) throw corrupt(`_rebuild_tensor_v2 got ${a.length} arguments`)
          if (++tensors > MAX_TENSORS) throw corrupt('more than 1,000,000 tensors')
          return rebuildTensor(a[0] as PyValue, a[1] as PyValue, a[2] as PyValue, a[3] as PyValue)
        }
        case 'torch._utils._rebuild_parameter': {
          if (a.length !== 3 || !(a[0] instanceof TensorRef)) throw corrupt('_rebuild_parameter without a tensor')
          return a[0]
        }
        default:
          throw new CheckpointError(`refusing to load: the file calls ${fn.qualified} directly, which torch.save never does`)
      }
    },

    build(target) {
      // state_dict OrderedDicts carry a `_metadata` attribute (layer versions); it is not needed.
      if (!(target instanceof PyDict)) throw corrupt('the pickle sets attributes (BUILD) on something other than a dict')
    },

    persistentLoad(pid) {
      if (!(pid instanceof PyTuple) || pid.items[0] !== 'storage') throw corrupt('unknown persistent id (not a storage)')
      const [, type, key, , numel, view] = pid.items
      if (pid.items.length !== 5 && pid.items.length !== 6) throw corrupt('storage reference has the wrong length')
      if (!(type instanceof PyGlobal) || STORAGE_DTYPES[type.qualified] === undefined) {
        throw corrupt('storage reference without a storage type')
      }
      const dtype = STORAGE_DTYPES[type.qualified] as DType
      const root = declare(declared, storageKey(key), dtype, index(numel, 'storage size'))
      if (view === undefined || view === null) return root
      // Legacy (pre-1.0) storage views: (view_key, offset, size) inside the root storage.
      if (!(view instanceof PyTuple) || view.items.length !== 3) throw corrupt('malformed storage view')
      const [, off, size] = view.items
      const o = index(off, 'storage view offset')
      const n = index(size, 'storage view size')
      if (o + n > root.numel) throw corrupt(`storage view ${o}+${n} runs past its storage of ${root.numel}`)
      return new StorageRef(root.key, dtype, n, o)
    },
  }
}

function orderedDict(a: readonly PyValue[]): PyDict {
  const d = new PyDict()
  if (a.length === 0) return d
  if (a.length !== 1 || !Array.isArray(a[0])) throw corrupt('OrderedDict called with unexpected arguments')
  for (const pair of a[0]) {
    if (!(pair instanceof PyTuple) || pair.items.length !== 2) throw corrupt('OrderedDict item is not a pair')
    d.map.set(pair.items[0] as PyValue, pair.items[1] as PyValue)
  }
  return d
}

function rebuildTensor(storage: PyValue, offset: PyValue, size: PyValue, stride: PyValue): TensorRef {
  if (!(storage instanceof StorageRef)) throw corrupt('tensor without a storage')
  const shape = indexTuple(size, 'tensor size')
  const strides = indexTuple(stride, 'tensor stride')
  if (strides.length !== shape.length) throw corrupt(`tensor has ${shape.length} sizes but ${strides.length} strides`)
  const t = new TensorRef(storage, index(offset, 'storage offset'), shape, strides)
  const n = t.numel
  if (n > MAX_ELEMENTS) throw new CheckpointError(`a tensor has ${n} elements, more than Ganvas can hold in one array`)
  if (n === 0) return t
  let last = t.offset
  for (let i = 0; i < shape.length; i++) last += ((shape[i] as number) - 1) * (strides[i] as number)
  if (last >= storage.numel) {
    throw corrupt(`a tensor reads element ${last} of a storage with only ${storage.numel} elements`)
  }
  if (n > storage.numel && n > SMALL_EXPANSION) {
    throw corrupt(`a tensor view repeats ${storage.numel} stored values into ${n} elements`)
  }
  return t
}

function declare(declared: DeclaredStorages, key: string, dtype: DType, numel: number): StorageRef {
  const prev = declared.get(key)
  if (prev && (prev.dtype !== dtype || prev.numel !== numel)) {
    throw corrupt(`storage ${key} is declared twice with different types or sizes`)
  }
  if (!prev) declared.set(key, { dtype, numel })
  return new StorageRef(key, dtype, numel)
}

/** Keys name files inside the archive, so only plain names are accepted (no '/', no '..'). */
function storageKey(v: PyValue | undefined): string {
  if (typeof v !== 'string' || !/^[A-Za-z0-9_-]{1,64}$/.test(v)) {
    throw new CheckpointError(
      `refusing to load: a storage key (${JSON.stringify(String(v)).slice(0, 80)}) is not a plain name, ` +
        'so it could point outside the checkpoint data — the file is damaged or malicious.',
    )
  }
  return v
}

function index(v: PyValue | undefined, what: string): number {
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0) {
    throw corrupt(`${what} is not a non-negative integer (${typeof v === 'bigint' ? 'huge' : String(v)})`)
  }
  return v
}

function indexTuple(v: PyValue | undefined, what: string): number[] {
  if (!(v instanceof PyTuple)) throw corrupt(`${what} is not a tuple`)
  if (v.items.length > MAX_DIMS) throw corrupt(`${what} has ${v.items.length} dimensions`)
  return v.items.map((x) => index(x, what))
}
