// Test-only: zip-format checkpoints and zip tricks (patched directory fields, zip64 form).
import { zipSync, type Zippable } from 'fflate'
import { concat } from './test-helpers'

const ascii = (s: string): Uint8Array => new TextEncoder().encode(s)

/** A zip-format checkpoint; `extra` adds or overrides entries (names relative to the zip root). */
export function zipCheckpoint(
  pkl: Uint8Array,
  storages: Record<string, Uint8Array>,
  extra: Record<string, Uint8Array> = {},
  level: 0 | 6 = 0,
): Uint8Array {
  const files: Zippable = { 'archive/data.pkl': pkl, 'archive/version': ascii('3\n') }
  for (const [k, v] of Object.entries(storages)) files[`archive/data/${k}`] = v
  Object.assign(files, extra)
  return zipSync(files, { level })
}

/** Overwrites a little-endian field of `name`'s central-directory record (offsets per the zip spec). */
export function patchCentral(zip: Uint8Array, name: string, field: number, value: number, width: 2 | 4 = 4): Uint8Array {
  const out = zip.slice()
  const view = new DataView(out.buffer)
  const want = new TextEncoder().encode(name)
  for (let at = 0; at + 46 <= out.length; at++) {
    if (view.getUint32(at, true) !== 0x02014b50 || view.getUint16(at + 28, true) !== want.length) continue
    if (!want.every((b, i) => out[at + 46 + i] === b)) continue
    if (width === 2) view.setUint16(at + field, value, true)
    else view.setUint32(at + field, value, true)
    return out
  }
  throw new Error(`no central record for ${name}`)
}

/** Rewrites a plain zip in zip64 form: every size and offset moved into zip64 extra fields. */
export function toZip64(zip: Uint8Array): Uint8Array {
  const v = new DataView(zip.buffer, zip.byteOffset, zip.byteLength)
  const eocd = zip.length - 22 // our test zips have no comment
  const count = v.getUint16(eocd + 10, true)
  const cdOffset = v.getUint32(eocd + 16, true)
  const u64 = (n: number) => {
    const b = new Uint8Array(8)
    new DataView(b.buffer).setBigUint64(0, BigInt(n), true)
    return b
  }
  const cd: Uint8Array[] = []
  for (let i = 0, at = cdOffset; i < count; i++) {
    const [nameLen, extraLen, commentLen] = [28, 30, 32].map((o) => v.getUint16(at + o, true)) as [number, number, number]
    const head = zip.slice(at, at + 46)
    const h = new DataView(head.buffer)
    const extra = concat([new Uint8Array([1, 0, 24, 0]), u64(h.getUint32(24, true)), u64(h.getUint32(20, true)), u64(h.getUint32(42, true))])
    for (const o of [20, 24, 42]) h.setUint32(o, 0xffffffff, true)
    h.setUint16(30, extraLen + extra.length, true)
    const rest = zip.subarray(at + 46, at + 46 + nameLen + extraLen + commentLen)
    cd.push(head, rest.subarray(0, nameLen), extra, rest.subarray(nameLen))
    at += 46 + nameLen + extraLen + commentLen
  }
  const dir = concat(cd)
  const z64At = cdOffset + dir.length
  const z64 = new DataView(new ArrayBuffer(56))
  z64.setUint32(0, 0x06064b50, true)
  z64.setBigUint64(4, 44n, true)
  z64.setBigUint64(24, BigInt(count), true)
  z64.setBigUint64(32, BigInt(count), true)
  z64.setBigUint64(40, BigInt(dir.length), true)
  z64.setBigUint64(48, BigInt(cdOffset), true)
  const loc = new DataView(new ArrayBuffer(20))
  loc.setUint32(0, 0x07064b50, true)
  loc.setBigUint64(8, BigInt(z64At), true)
  loc.setUint32(16, 1, true)
  const end = zip.slice(eocd)
  const e = new DataView(end.buffer)
  e.setUint16(8, 0xffff, true)
  e.setUint16(10, 0xffff, true)
  e.setUint32(12, 0xffffffff, true)
  e.setUint32(16, 0xffffffff, true)
  return concat([zip.subarray(0, cdOffset), dir, new Uint8Array(z64.buffer), new Uint8Array(loc.buffer), end])
}
