// Minimal zip reader for torch.save archives: reads the central directory (zip64 included), hands
// out stored entries without copying, and inflates deflated ones (re-zipped files) with fflate under
// a hard size cap. torch itself always stores entries uncompressed.
import { Inflate } from 'fflate'
import { ByteCursor } from './bytes'
import { CheckpointError, corrupt } from './errors'

export const MAX_TOTAL_UNCOMPRESSED = 4 * 1024 ** 3
const MAX_ENTRIES = 1_000_000
const INFLATE_CHUNK = 16 * 1024 // inflating 16 KB at most yields ~16 MB before the size check runs

interface Entry {
  name: string
  method: number
  compressed: number
  size: number
  localHeader: number
}

export class ZipArchive {
  private constructor(
    private readonly bytes: Uint8Array,
    private readonly entries: Map<string, Entry>,
  ) {}

  static open(bytes: Uint8Array): ZipArchive {
    const entries = new Map<string, Entry>()
    const { count, cdOffset, cdSize } = findDirectory(bytes)
    if (count > MAX_ENTRIES || count * 46 > cdSize) throw corrupt(`the zip directory claims ${count} entries`)
    const r = new ByteCursor(bytes, cdOffset, 'zip directory', cdOffset + cdSize)
    let total = 0
    for (let i = 0; i < count; i++) {
      if (r.u32() !== 0x02014b50) throw corrupt('bad zip directory entry')
      r.need(4, 'version fields')
      const flags = r.u16()
      const method = r.u16()
      r.need(8, 'time and CRC')
      let compressed = r.u32()
      let size = r.u32()
      const nameLen = r.u16()
      const extraLen = r.u16()
      const commentLen = r.u16()
      r.need(8, 'disk and attributes')
      let localHeader = r.u32()
      const rawName = r.bytes(nameLen)
      const extraAt = r.need(extraLen, 'extra field')
      const extra = new ByteCursor(bytes, extraAt, 'zip extra field', extraAt + extraLen)
      r.need(commentLen, 'comment')
      // zip64: the real values follow, in this order, for each field that was 0xFFFFFFFF.
      while (extra.remaining >= 4) {
        const id = extra.u16()
        const len = extra.u16()
        const fieldAt = extra.need(len, 'extra field')
        const field = new ByteCursor(bytes, fieldAt, 'zip64 field', fieldAt + len)
        if (id !== 0x0001) continue
        if (size === 0xffffffff) size = field.u64()
        if (compressed === 0xffffffff) compressed = field.u64()
        if (localHeader === 0xffffffff) localHeader = field.u64()
      }
      const name = new TextDecoder().decode(rawName)
      checkName(name)
      if (flags & 1) throw new CheckpointError(`the checkpoint archive is encrypted (${name}); Ganvas cannot read it`)
      if (method !== 0 && method !== 8) throw corrupt(`${name} uses zip compression method ${method}`)
      if (method === 0 && compressed !== size) throw corrupt(`${name} has inconsistent sizes`)
      total += size
      if (total > MAX_TOTAL_UNCOMPRESSED) {
        throw new CheckpointError('refusing to load: the archive would unpack to more than 4 GiB (a zip bomb, or not a GAN checkpoint)')
      }
      if (entries.has(name)) throw corrupt(`the archive lists ${name} twice`)
      entries.set(name, { name, method, compressed, size, localHeader })
    }
    return new ZipArchive(bytes, entries)
  }

  names(): string[] {
    return [...this.entries.keys()]
  }

  has(name: string): boolean {
    return this.entries.has(name)
  }

  size(name: string): number {
    return this.entry(name).size
  }

  /** The entry's bytes: a view into the file for stored entries, a fresh array for deflated ones. */
  read(name: string): Uint8Array {
    const e = this.entry(name)
    const h = new ByteCursor(this.bytes, e.localHeader, `zip entry ${name}`)
    if (h.u32() !== 0x04034b50) throw corrupt(`the local header of ${name} is missing`)
    h.need(22, 'local header fields')
    const skip = h.u16() + h.u16()
    h.need(skip, 'local header name')
    const data = h.bytes(e.compressed)
    return e.method === 0 ? data : inflate(data, e.size, name)
  }

  private entry(name: string): Entry {
    const e = this.entries.get(name)
    if (!e) throw corrupt(`the archive has no ${name}`)
    return e
  }
}

/** Finds the end-of-central-directory record (and its zip64 form) by scanning back from the end. */
function findDirectory(bytes: Uint8Array): { count: number; cdOffset: number; cdSize: number } {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  const lowest = Math.max(0, bytes.length - 22 - 0xffff)
  for (let at = bytes.length - 22; at >= lowest; at--) {
    if (view.getUint32(at, true) !== 0x06054b50) continue
    const r = new ByteCursor(bytes, at + 10, 'zip end record')
    let count = r.u16()
    let cdSize = r.u32()
    let cdOffset = r.u32()
    if (count === 0xffff || cdSize === 0xffffffff || cdOffset === 0xffffffff) {
      const loc = new ByteCursor(bytes, Math.max(0, at - 20), 'zip64 locator')
      if (loc.u32() !== 0x07064b50) throw corrupt('zip64 locator missing')
      loc.need(4, 'disk number')
      const z = new ByteCursor(bytes, loc.u64(), 'zip64 end record')
      if (z.u32() !== 0x06064b50) throw corrupt('zip64 end record missing')
      z.need(28, 'zip64 fields')
      count = z.u64()
      cdSize = z.u64()
      cdOffset = z.u64()
    }
    if (cdOffset + cdSize > at) throw corrupt('the zip directory lies outside the file (truncated download?)')
    return { count, cdOffset, cdSize }
  }
  throw corrupt('no zip directory at the end of the file (truncated download?)')
}

/** Names are only looked up, never written to disk, but a traversal name means a crafted archive. */
function checkName(name: string): void {
  const parts = name.split('/')
  if (name.startsWith('/') || name.includes('\\') || name.includes('\0') || /^[A-Za-z]:/.test(name) || parts.includes('..')) {
    throw new CheckpointError(
      `refusing to load: the archive contains an entry named ${JSON.stringify(name)} that points outside it — ` +
        'the file is damaged or malicious.',
    )
  }
}

function inflate(data: Uint8Array, size: number, name: string): Uint8Array {
  const out = new Uint8Array(size)
  let filled = 0
  const tooBig = () => new CheckpointError(`refusing to load: ${name} unpacks to more than its declared ${size} bytes (zip bomb?)`)
  const stream = new Inflate((chunk) => {
    if (filled + chunk.length > size) throw tooBig()
    out.set(chunk, filled)
    filled += chunk.length
  })
  try {
    for (let at = 0; at < data.length || at === 0; at += INFLATE_CHUNK) {
      const end = Math.min(data.length, at + INFLATE_CHUNK)
      stream.push(data.subarray(at, end), end === data.length)
      if (end === data.length) break
    }
  } catch (e) {
    if (e instanceof CheckpointError) throw e
    throw corrupt(`${name} does not inflate (${e instanceof Error ? e.message : String(e)})`)
  }
  if (filled !== size) throw corrupt(`${name} unpacks to ${filled} bytes, not the declared ${size}`)
  return out
}
