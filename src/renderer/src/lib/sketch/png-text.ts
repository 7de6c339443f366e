/**
 * Ganvas metadata in PNGs made in the renderer (the exported sketch): one uncompressed iTXt chunk
 * with keyword `ganvas` and a JSON object as text, before the first IDAT: the layout the engine
 * writes and reads (src/engine/images/png-metadata.ts), in plain TypeScript with no Node APIs.
 */

export const GANVAS_KEYWORD = 'ganvas'
const SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]

const CRC_TABLE = (() => {
  const table = new Uint32Array(256)
  for (let n = 0; n < 256; n++) {
    let c = n
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1
    table[n] = c >>> 0
  }
  return table
})()

/** The CRC-32 PNG chunks carry (ISO 3309, as zlib computes it). */
export function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff
  for (const byte of bytes) c = CRC_TABLE[(c ^ byte) & 0xff]! ^ (c >>> 8)
  return (c ^ 0xffffffff) >>> 0
}

interface Chunk {
  type: string
  start: number
  end: number
  data: Uint8Array
}

const latin1 = (bytes: Uint8Array) => String.fromCharCode(...bytes)

/** The chunks of a well-formed PNG; throws on anything else (we only parse PNGs a canvas made). */
function chunks(png: Uint8Array): Chunk[] {
  if (png.length < 8 || SIGNATURE.some((b, i) => png[i] !== b)) throw new Error('not a PNG file')
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength)
  const list: Chunk[] = []
  let at = 8
  while (at + 12 <= png.length) {
    const length = view.getUint32(at)
    const end = at + 12 + length
    if (end > png.length) throw new Error('the PNG is truncated')
    const type = latin1(png.subarray(at + 4, at + 8))
    list.push({ type, start: at, end, data: png.subarray(at + 8, at + 8 + length) })
    at = end
    if (type === 'IEND') return list
  }
  throw new Error('the PNG has no IEND chunk')
}

function makeChunk(type: string, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + data.length)
  const view = new DataView(out.buffer)
  view.setUint32(0, data.length)
  for (let i = 0; i < 4; i++) out[4 + i] = type.charCodeAt(i)
  out.set(data, 8)
  view.setUint32(8 + data.length, crc32(out.subarray(4, 8 + data.length)))
  return out
}

/** iTXt: keyword \0, compression flag 0, method 0, empty language \0, empty translation \0, UTF-8 text. */
function itxtChunk(keyword: string, text: string): Uint8Array {
  if (!/^[\x20-\x7e]{1,79}$/.test(keyword)) throw new Error(`bad PNG text keyword: ${keyword}`)
  const key = Uint8Array.from(keyword, (ch) => ch.charCodeAt(0))
  const body = new TextEncoder().encode(text)
  const data = new Uint8Array(key.length + 5 + body.length)
  data.set(key)
  data.set(body, key.length + 5) // the five bytes between are zero
  return makeChunk('iTXt', data)
}

function textKeyword(chunk: Chunk): string | null {
  if (chunk.type !== 'iTXt' && chunk.type !== 'tEXt' && chunk.type !== 'zTXt') return null
  const nul = chunk.data.indexOf(0)
  return nul > 0 ? latin1(chunk.data.subarray(0, nul)) : null
}

/** A copy of `png` with `text` under `keyword` in an iTXt chunk, replacing any earlier entry of that keyword. */
export function withPngText(png: Uint8Array, keyword: string, text: string): Uint8Array {
  const list = chunks(png)
  const idat = list.findIndex((c) => c.type === 'IDAT')
  if (idat < 0) throw new Error('the PNG has no image data')
  const parts: Uint8Array[] = [Uint8Array.from(SIGNATURE)]
  list.forEach((chunk, i) => {
    if (i === idat) parts.push(itxtChunk(keyword, text))
    if (textKeyword(chunk) !== keyword) parts.push(png.subarray(chunk.start, chunk.end))
  })
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0))
  let at = 0
  for (const part of parts) {
    out.set(part, at)
    at += part.length
  }
  return out
}

/** The text of an uncompressed iTXt entry with a valid CRC, or null. */
export function readPngText(png: Uint8Array, keyword: string): string | null {
  for (const chunk of chunks(png)) {
    if (chunk.type !== 'iTXt' || textKeyword(chunk) !== keyword) continue
    if (crc32(png.subarray(chunk.start + 4, chunk.end - 4)) !== new DataView(png.buffer, png.byteOffset + chunk.end - 4, 4).getUint32(0)) continue
    const d = chunk.data
    const flag = d[keyword.length + 1]
    const language = d.indexOf(0, keyword.length + 3)
    const translated = language < 0 ? -1 : d.indexOf(0, language + 1)
    if (flag !== 0 || translated < 0) continue
    return new TextDecoder().decode(d.subarray(translated + 1))
  }
  return null
}

/** A PNG with Ganvas metadata (a JSON object) under the `ganvas` keyword. */
export function withGanvasMetadata(png: Uint8Array, metadata: Record<string, unknown>): Uint8Array {
  return withPngText(png, GANVAS_KEYWORD, JSON.stringify(metadata))
}

export function dataUrlToBytes(dataUrl: string): Uint8Array<ArrayBuffer> {
  const binary = atob(dataUrl.slice(dataUrl.indexOf(',') + 1))
  const bytes = new Uint8Array(binary.length)
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i)
  return bytes
}

export function bytesToDataUrl(bytes: Uint8Array, mime = 'image/png'): string {
  let binary = ''
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000))
  return `data:${mime};base64,${btoa(binary)}`
}
