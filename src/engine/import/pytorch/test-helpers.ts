// Test-only: hand-written pickles and checkpoint containers, to craft hostile and edge-case files.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { CheckpointError } from './errors'

export const FIXTURES = fileURLToPath(new URL('./fixtures', import.meta.url))
export const fixture = (name: string): Uint8Array => new Uint8Array(readFileSync(join(FIXTURES, name)))

const ascii = (s: string): number[] => [...new TextEncoder().encode(s)]

/** Emits pickle opcodes one call at a time; names follow pickletools. */
export class PickleWriter {
  private readonly out: number[] = []
  byte(...b: number[]): this {
    this.out.push(...b)
    return this
  }
  u32(n: number): this {
    return this.byte(n & 0xff, (n >>> 8) & 0xff, (n >>> 16) & 0xff, (n >>> 24) & 0xff)
  }
  proto(n = 2): this { return this.byte(0x80, n) }
  /** GLOBAL in its text form, as protocol 2 (torch's default) writes it. */
  global(module: string, name: string): this { return this.byte(0x63, ...ascii(`${module}\n${name}\n`)) }
  stackGlobal(module: string, name: string): this { return this.str(module).str(name).byte(0x93) }
  str(s: string): this {
    const b = ascii(s)
    return this.byte(0x58).u32(b.length).byte(...b)
  }
  int(n: number): this {
    if (n >= 0 && n < 256) return this.byte(0x4b, n)
    if (n === (n | 0)) return this.byte(0x4a).u32(n)
    return this.long(BigInt(n))
  }
  long(v: bigint): this {
    const b: number[] = []
    // Shortest little-endian two's complement: stop once the sign bit of the last byte is right.
    for (let x = v; ; ) {
      const byte = Number(x & 0xffn)
      b.push(byte)
      x >>= 8n
      if ((x === 0n && !(byte & 0x80)) || (x === -1n && byte & 0x80)) break
    }
    return this.byte(0x8a, b.length, ...b)
  }
  bool(v: boolean): this { return this.byte(v ? 0x88 : 0x89) }
  none(): this { return this.byte(0x4e) }
  mark(): this { return this.byte(0x28) }
  tuple(): this { return this.byte(0x74) }
  emptyTuple(): this { return this.byte(0x29) }
  emptyDict(): this { return this.byte(0x7d) }
  emptyList(): this { return this.byte(0x5d) }
  reduce(): this { return this.byte(0x52) }
  build(): this { return this.byte(0x62) }
  setitem(): this { return this.byte(0x73) }
  setitems(): this { return this.byte(0x75) }
  appends(): this { return this.byte(0x65) }
  persid(): this { return this.byte(0x51) }
  stop(): this { return this.byte(0x2e) }
  /** `fn(*args)` where args are emitted by `args` between MARK and TUPLE. */
  call(module: string, name: string, args: (w: this) => void): this {
    this.global(module, name).mark()
    args(this)
    return this.tuple().reduce()
  }
  intTuple(xs: number[]): this {
    this.mark()
    for (const x of xs) this.int(x)
    return this.tuple()
  }
  bytes(): Uint8Array {
    return new Uint8Array(this.out)
  }
}

export interface TensorSpec {
  name: string
  key: string
  storage?: string // a global name in the `torch` module, e.g. 'FloatStorage'
  numel: number // the storage's element count as declared in the pickle
  offset?: number
  shape: number[]
  stride?: number[]
  view?: [string, number, number] // legacy storage view: (view key, offset, size)
}

/** One `_rebuild_tensor_v2(...)` call, as torch.save writes it. */
export function writeTensor(w: PickleWriter, t: TensorSpec, legacy = false): PickleWriter {
  const stride = t.stride ?? t.shape.map((_, i) => t.shape.slice(i + 1).reduce((a, b) => a * b, 1))
  return w.call('torch._utils', '_rebuild_tensor_v2', (a) => {
    a.mark().str('storage').global('torch', t.storage ?? 'FloatStorage').str(t.key).str('cpu').int(t.numel)
    if (legacy) {
      if (t.view) a.mark().str(t.view[0]).int(t.view[1]).int(t.view[2]).tuple()
      else a.none()
    }
    a.tuple().persid().int(t.offset ?? 0).intTuple(t.shape).intTuple(stride).bool(false)
    a.global('collections', 'OrderedDict').emptyTuple().reduce()
  })
}

/** An OrderedDict of tensors: the whole data.pkl of a typical checkpoint. */
export function stateDictPickle(tensors: TensorSpec[], legacy = false): Uint8Array {
  const w = new PickleWriter().proto(2).global('collections', 'OrderedDict').emptyTuple().reduce()
  for (const t of tensors) writeTensor(w.str(t.name), t, legacy).setitem()
  return w.stop().bytes()
}

/** A legacy-format checkpoint: header pickles, `main`, the key list, then each storage's count + data. */
export function legacyCheckpoint(
  main: Uint8Array,
  storages: [key: string, count: number, data: Uint8Array][],
  littleEndian = true,
): Uint8Array {
  const magic = new PickleWriter().proto(2).long(0x1950a86a20f9469cfc6cn).stop().bytes()
  const version = new PickleWriter().proto(2).byte(0x4d, 0xe9, 0x03).stop().bytes() // BININT2 1001
  const info = new PickleWriter().proto(2).emptyDict().mark()
  info.str('protocol_version').byte(0x4d, 0xe9, 0x03).str('little_endian').bool(littleEndian)
  info.str('type_sizes').emptyDict().mark().str('short').int(2).str('int').int(4).str('long').int(4).setitems()
  const keys = new PickleWriter().proto(2).emptyList().mark()
  for (const [k] of storages) keys.str(k)
  const parts = [magic, version, info.setitems().stop().bytes(), main, keys.appends().stop().bytes()]
  for (const [, count, data] of storages) {
    const c = new Uint8Array(8)
    new DataView(c.buffer).setBigInt64(0, BigInt(count), true)
    parts.push(c, data)
  }
  return concat(parts)
}

export function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0))
  let at = 0
  for (const p of parts) {
    out.set(p, at)
    at += p.length
  }
  return out
}

export const f32 = (...v: number[]): Uint8Array => new Uint8Array(new Float32Array(v).buffer)

/** Deterministic PRNG for the fuzz test (mulberry32). */
export function prng(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** What a call failed with; fails the test when it did not fail with a CheckpointError. */
export async function failure(p: Promise<unknown>): Promise<string> {
  const err = await p.then(
    () => new Error('expected a CheckpointError, but the file was accepted'),
    (e: unknown) => e,
  )
  if (!(err instanceof CheckpointError)) throw err
  return err.message
}
