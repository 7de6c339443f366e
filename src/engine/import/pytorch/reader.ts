// Entry point: detects the format, unpickles with the allow-listed hooks, finds the state_dict and
// copies every tensor out of the file bytes.
import { CheckpointError, corrupt } from './errors'
import { looksLegacy, readLegacy } from './legacy'
import { materialise, type TorchTensor } from './materialise'
import { PyDict, unpickle, type PyValue } from './pickle'
import { ELEMENT_SIZE, TensorRef, torchHooks, type DeclaredStorages } from './torch-objects'
import { ZipArchive } from './zip'

export type StateDict = Map<string, TorchTensor>

export interface ReadOptions {
  /** Told about anything the reader decided on the caller's behalf, e.g. unwrapping a checkpoint dict. */
  onNote?: (message: string) => void
}

/** Keys under which training scripts commonly nest the weights in a larger checkpoint dict. */
export const WRAPPER_KEYS = ['state_dict', 'model', 'net', 'netG', 'generator'] as const

// Converted output may exceed the file (float16 → float32 doubles it, views may repeat), but not by much.
const OUTPUT_SLACK = 4
const OUTPUT_ALLOWANCE = 64 * 1024 ** 2

/** Reads a torch.save file (zip or legacy format) holding a state_dict. Never runs pickled code. */
export async function readPytorchCheckpoint(bytes: Uint8Array, options: ReadOptions = {}): Promise<StateDict> {
  const { root, blob } = parse(bytes)
  const refs = findStateDict(root, options.onNote)

  let outputBytes = 0
  for (const t of refs.values()) outputBytes += t.numel * (t.storage.dtype.startsWith('float') ? 4 : ELEMENT_SIZE[t.storage.dtype])
  if (outputBytes > OUTPUT_SLACK * bytes.length + OUTPUT_ALLOWANCE) {
    throw corrupt(`its tensors would take ${outputBytes} bytes, far more than the ${bytes.length}-byte file can hold`)
  }
  const out: StateDict = new Map()
  for (const [name, t] of refs) out.set(name, materialise(t, blob(t.storage.key)))
  return out
}

function parse(bytes: Uint8Array): { root: PyValue; blob: (key: string) => Uint8Array } {
  const b0 = bytes[0]
  const b1 = bytes[1]
  if (b0 === 0x50 && b1 === 0x4b) return parseZip(bytes) // "PK"
  if (looksLegacy(bytes)) {
    const { root, blobs } = readLegacy(bytes)
    return { root, blob: (key) => blobs.get(key) as Uint8Array } // readLegacy checked every key has data
  }
  if (bytes.length >= 10 && bytes[8] === 0x7b && bytes[9] === 0x22) {
    throw new CheckpointError('this looks like a safetensors file, not a torch.save checkpoint; Ganvas imports .pth/.pt files')
  }
  if (bytes.length >= 262 && new TextDecoder().decode(bytes.subarray(257, 262)) === 'ustar') {
    throw new CheckpointError('this is a very old (tar-format) PyTorch checkpoint; load and re-save it with a recent PyTorch')
  }
  throw corrupt('it is neither a zip-format nor a legacy torch.save file')
}

function parseZip(bytes: Uint8Array): { root: PyValue; blob: (key: string) => Uint8Array } {
  const zip = ZipArchive.open(bytes)
  const pickles = zip.names().filter((n) => /^[^/]+\/data\.pkl$/.test(n))
  if (pickles.length !== 1) throw corrupt(`the archive has ${pickles.length} data.pkl records instead of one`)
  const prefix = (pickles[0] as string).slice(0, -'data.pkl'.length)
  if (zip.has(`${prefix}constants.pkl`) || zip.names().some((n) => n.startsWith(`${prefix}code/`))) {
    throw new CheckpointError(
      'this is a TorchScript model (torch.jit.save), not a state_dict; in Python, load it with torch.jit.load ' +
        'and save its weights with torch.save(model.state_dict(), "weights.pth").',
    )
  }
  if (zip.has(`${prefix}byteorder`)) {
    const order = new TextDecoder().decode(zip.read(`${prefix}byteorder`))
    if (order === 'big') {
      throw new CheckpointError(
        'this checkpoint was saved on a big-endian machine, which Ganvas does not read; ' +
          'load and re-save it with torch.save on a little-endian (x86/ARM) machine.',
      )
    }
    if (order !== 'little') throw corrupt(`unknown byte order "${order.slice(0, 20)}"`)
  }
  const declared: DeclaredStorages = new Map()
  const root = unpickle(zip.read(`${prefix}data.pkl`), 0, torchHooks(declared)).value
  for (const [key, d] of declared) {
    const name = `${prefix}data/${key}`
    if (!zip.has(name)) throw corrupt(`storage ${key} is missing from the archive`)
    if (zip.size(name) < d.numel * ELEMENT_SIZE[d.dtype]) throw corrupt(`storage ${key} is shorter than its tensors need`)
  }
  // Read lazily: storages only reachable from e.g. optimizer state are never touched (or inflated).
  const blobs = new Map<string, Uint8Array>()
  const blob = (key: string): Uint8Array => {
    let b = blobs.get(key)
    if (!b) blobs.set(key, (b = zip.read(`${prefix}data/${key}`)))
    return b
  }
  return { root, blob }
}

/** The top level must be a dict of tensors, or a checkpoint dict holding one under a common key. */
function findStateDict(root: PyValue, onNote?: (message: string) => void): Map<string, TensorRef> {
  if (!(root instanceof PyDict)) {
    const what = root instanceof TensorRef ? 'a single tensor' : describe(root)
    throw new CheckpointError(`the file holds ${what}, not a state_dict (a dict of tensors); save model.state_dict() instead`)
  }
  if (root.map.size === 0) throw new CheckpointError('the state_dict in the file is empty: there are no weights to import')
  const direct = tensorsOf(root)
  if (direct) return direct
  const found = WRAPPER_KEYS.flatMap((k) => {
    const v = root.map.get(k)
    const tensors = v instanceof PyDict ? tensorsOf(v) : null
    return tensors ? [{ key: k, tensors }] : []
  })
  if (found.length === 1) {
    const { key, tensors } = found[0] as { key: string; tensors: Map<string, TensorRef> }
    const others = [...root.map.keys()].filter((k) => k !== key).map(String)
    onNote?.(`using the state_dict stored under '${key}'` + (others.length ? ` (also in the file: ${others.join(', ')})` : ''))
    return tensors
  }
  const keys = [...root.map.keys()].slice(0, 12).map((k) => String(k)).join(', ')
  throw new CheckpointError(
    `the file holds a dict (keys: ${keys}) that is not a state_dict and has ${found.length ? 'several' : 'no'} ` +
      `state_dict under ${WRAPPER_KEYS.map((k) => `'${k}'`).join(', ')}; save model.state_dict() instead`,
  )
}

/** The dict's tensors by name, or null unless every key is a string and every value a tensor. */
function tensorsOf(d: PyDict): Map<string, TensorRef> | null {
  if (d.map.size === 0) return null
  const out = new Map<string, TensorRef>()
  for (const [k, v] of d.map) {
    if (typeof k !== 'string' || !(v instanceof TensorRef)) return null
    out.set(k, v)
  }
  return out
}

function describe(v: PyValue): string {
  if (v === null) return 'None'
  if (Array.isArray(v)) return 'a list'
  return `a ${typeof v === 'object' ? v.constructor.name : typeof v}`
}
