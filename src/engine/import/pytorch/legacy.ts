// The pre-1.6 format (`_use_new_zipfile_serialization=False`): five pickles back to back — magic
// number, protocol version, sys info, the object, the storage keys — then for each key an 8-byte
// little-endian element count followed by the raw elements.
import { ByteCursor } from './bytes'
import { CheckpointError, corrupt, refusedGlobal, RefusedError } from './errors'
import { PyDict, unpickle, type PickleHooks, type PyValue } from './pickle'
import { ELEMENT_SIZE, torchHooks, type DeclaredStorages } from './torch-objects'

const MAGIC = 0x1950a86a20f9469cfc6cn
const PROTOCOL_VERSION = 1001

/** The header pickles hold only plain values: any global, call or storage in them is refused. */
const PLAIN: PickleHooks = {
  resolveGlobal: (module, name) => {
    throw refusedGlobal(module, name)
  },
  call: () => {
    throw corrupt('the legacy header calls a function')
  },
  build: () => {
    throw corrupt('the legacy header sets attributes')
  },
  persistentLoad: () => {
    throw corrupt('the legacy header refers to a storage')
  },
}

/**
 * True when the file starts with the legacy magic-number pickle. A forbidden global in that first
 * pickle (a plain malicious pickle renamed .pth) is reported as such rather than as "not a checkpoint".
 */
export function looksLegacy(bytes: Uint8Array): boolean {
  try {
    return unpickle(bytes, 0, PLAIN).value === MAGIC
  } catch (e) {
    if (e instanceof RefusedError) throw e
    return false
  }
}

export function readLegacy(bytes: Uint8Array): { root: PyValue; declared: DeclaredStorages; blobs: Map<string, Uint8Array> } {
  let pos = 0
  const next = (hooks: PickleHooks): PyValue => {
    const { value, end } = unpickle(bytes, pos, hooks)
    pos = end
    return value
  }
  if (next(PLAIN) !== MAGIC) throw corrupt('the legacy magic number is missing')
  const version = next(PLAIN)
  if (version !== PROTOCOL_VERSION) {
    throw new CheckpointError(`unsupported legacy checkpoint version ${String(version)}; re-save the file with a recent PyTorch`)
  }
  const info = next(PLAIN)
  if (!(info instanceof PyDict)) throw corrupt('the legacy system-info record is missing')
  if (info.map.get('little_endian') === false) {
    throw new CheckpointError(
      'this checkpoint was saved on a big-endian machine, which Ganvas does not read; ' +
        'load and re-save it with torch.save on a little-endian (x86/ARM) machine.',
    )
  }

  const declared: DeclaredStorages = new Map()
  const root = next(torchHooks(declared))
  const keys = next(PLAIN)
  if (!Array.isArray(keys) || keys.some((k) => typeof k !== 'string')) throw corrupt('the legacy storage list is malformed')

  const blobs = new Map<string, Uint8Array>()
  const r = new ByteCursor(bytes, pos, 'legacy storage data')
  for (const key of keys as string[]) {
    const d = declared.get(key)
    if (!d) throw corrupt(`storage ${key} has data but no tensor declares its type`)
    if (blobs.has(key)) throw corrupt(`storage ${key} is stored twice`)
    const count = r.i64()
    if (count < d.numel) throw corrupt(`storage ${key} holds ${count} elements but tensors need ${d.numel}`)
    blobs.set(key, r.bytes(count * ELEMENT_SIZE[d.dtype]))
  }
  for (const key of declared.keys()) {
    if (!blobs.has(key)) throw corrupt(`storage ${key} has no data (truncated file?)`)
  }
  return { root, declared, blobs }
}
