/**
 * Ganvas metadata in PNG files: one iTXt chunk (UTF-8, uncompressed) with keyword `ganvas` whose
 * text is a JSON object, placed before the first IDAT. Generic on purpose: translations store
 * { model, family, direction, steps, version, source }, the face generator { model, seed, psi, class, … }.
 *
 * Reading never throws: every length is bounds-checked against the buffer, chunks with a bad CRC
 * are ignored, and anything that is not a PNG holding a JSON object under `ganvas` gives null.
 */
import { readFile } from 'node:fs/promises'
import { crc32, inflateSync } from 'node:zlib'

export const GANVAS_KEYWORD = 'ganvas'
export type GanvasMetadata = Record<string, unknown>

const SIGNATURE = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])
const MAX_CHUNK = 0x7fffffff // PNG spec: lengths are at most 2^31 − 1
const MAX_TEXT = 1 << 20 // inflated text we are willing to read (guards against zip bombs)

interface Chunk {
  type: string
  /** Offset of the chunk's length field; the whole chunk spans [start, end). */
  start: number
  end: number
  data: Uint8Array
}

const TEXT_TYPES = new Set(['tEXt', 'zTXt', 'iTXt'])

const isPng = (bytes: Uint8Array) => bytes.length >= 8 && SIGNATURE.every((b, i) => bytes[i] === b)
const u32 = (bytes: Uint8Array, at: number) => new DataView(bytes.buffer, bytes.byteOffset + at, 4).getUint32(0)

/**
 * The chunks of a PNG in order, as far as they are well-formed; `complete` when IEND was reached.
 * A truncated or damaged file still yields the chunks before the damage (metadata sits before IDAT).
 */
function chunks(bytes: Uint8Array): { list: Chunk[]; complete: boolean } {
  const list: Chunk[] = []
  if (!isPng(bytes)) return { list, complete: false }
  let at = 8
  while (at + 12 <= bytes.length) {
    const length = u32(bytes, at)
    if (length > MAX_CHUNK || at + 12 + length > bytes.length) break
    const type = String.fromCharCode(...bytes.subarray(at + 4, at + 8))
    if (!/^[A-Za-z]{4}$/.test(type)) break
    list.push({ type, start: at, end: at + 12 + length, data: bytes.subarray(at + 8, at + 8 + length) })
    at += 12 + length
    if (type === 'IEND') return { list, complete: true }
  }
  return { list, complete: false }
}

const crcOk = (bytes: Uint8Array, chunk: Chunk) =>
  crc32(bytes.subarray(chunk.start + 4, chunk.end - 4)) === u32(bytes, chunk.end - 4)

function makeChunk(type: string, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + data.length)
  const view = new DataView(out.buffer)
  view.setUint32(0, data.length)
  out.set(Buffer.from(type, 'latin1'), 4)
  out.set(data, 8)
  view.setUint32(8 + data.length, crc32(out.subarray(4, 8 + data.length)))
  return out
}

/** iTXt: keyword \0 compression-flag method language \0 translated-keyword \0 text. */
function itxt(keyword: string, text: string): Uint8Array {
  return makeChunk('iTXt', Buffer.concat([Buffer.from(keyword, 'latin1'), Buffer.from([0, 0, 0, 0, 0]), Buffer.from(text, 'utf8')]))
}

/** The keyword and text of a tEXt, zTXt or iTXt chunk, or null when malformed. */
function parseText(chunk: Chunk): { keyword: string; text: string } | null {
  const data = Buffer.from(chunk.data.buffer, chunk.data.byteOffset, chunk.data.byteLength)
  const nul = data.indexOf(0)
  if (nul < 1 || nul > 79) return null
  const keyword = data.toString('latin1', 0, nul)
  const inflate = (raw: Buffer) => inflateSync(raw, { maxOutputLength: MAX_TEXT })
  try {
    if (chunk.type === 'tEXt') return { keyword, text: data.toString('latin1', nul + 1) }
    if (chunk.type === 'zTXt') return { keyword, text: inflate(data.subarray(nul + 2)).toString('latin1') }
    // iTXt
    const compressed = data[nul + 1]
    const language = data.indexOf(0, nul + 3)
    const translated = language < 0 ? -1 : data.indexOf(0, language + 1)
    if (translated < 0 || (compressed !== 0 && compressed !== 1)) return null
    const raw = data.subarray(translated + 1)
    return { keyword, text: (compressed ? inflate(raw) : raw).toString('utf8') }
  } catch {
    return null // bad zlib stream or over MAX_TEXT
  }
}

/** All readable text entries of a PNG (tEXt, zTXt, iTXt with a valid CRC); [] for anything else. */
export function readPngText(bytes: Uint8Array): { keyword: string; text: string }[] {
  return chunks(bytes)
    .list.filter((c) => TEXT_TYPES.has(c.type) && crcOk(bytes, c))
    .map(parseText)
    .filter((entry) => entry !== null)
}

/** The `ganvas` JSON object of a PNG, or null (not a PNG, no such entry, malformed, not an object). */
export function readGanvasMetadata(bytes: Uint8Array): GanvasMetadata | null {
  try {
    const entry = readPngText(bytes).find((e) => e.keyword === GANVAS_KEYWORD)
    if (!entry) return null
    const value: unknown = JSON.parse(entry.text)
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as GanvasMetadata) : null
  } catch {
    return null
  }
}

/** readGanvasMetadata for a file; null also when the file cannot be read. */
export async function readGanvasMetadataFile(path: string): Promise<GanvasMetadata | null> {
  const bytes = await readFile(path).catch(() => null)
  return bytes ? readGanvasMetadata(bytes) : null
}

/**
 * A copy of `png` with `metadata` stored under `ganvas` (replacing any earlier Ganvas entry).
 * Throws when `png` is not a well-formed PNG: this is for PNGs we just encoded.
 */
export function writeGanvasMetadata(png: Uint8Array, metadata: GanvasMetadata): Buffer {
  const { list, complete } = chunks(png)
  const idat = list.findIndex((c) => c.type === 'IDAT')
  if (!complete || idat < 0) throw new Error('writeGanvasMetadata: the image is not a well-formed PNG')
  const parts: Uint8Array[] = [SIGNATURE]
  list.forEach((chunk, i) => {
    if (i === idat) parts.push(itxt(GANVAS_KEYWORD, JSON.stringify(metadata)))
    const ours = TEXT_TYPES.has(chunk.type) && parseText(chunk)?.keyword === GANVAS_KEYWORD
    if (!ours) parts.push(png.subarray(chunk.start, chunk.end))
  })
  return Buffer.concat(parts)
}
