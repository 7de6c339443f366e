// A deliberately small pickle VM (protocols 2–5, plus the protocol-0 opcodes torch.save's protocol-2
// output shares). It never imports or calls anything itself: globals, calls (REDUCE), BUILD and
// persistent ids all go through hooks, which the caller restricts to an allow-list.
import { corrupt, refusedOpcode, CheckpointError } from './errors'
import { ByteCursor } from './bytes'

export class PyTuple {
  constructor(readonly items: readonly PyValue[]) {}
}
export class PyDict {
  readonly map = new Map<PyValue, PyValue>()
}
/** An allow-listed global; only hooks.resolveGlobal creates these. */
export class PyGlobal {
  constructor(readonly module: string, readonly name: string) {}
  get qualified(): string {
    return `${this.module}.${this.name}`
  }
}
/** Values the hooks create (storages, tensors); the VM only moves them around. */
export abstract class HostValue {}

export type PyValue =
  | null | boolean | number | bigint | string | Uint8Array
  | PyValue[] | PyTuple | PyDict | PyGlobal | HostValue

export interface PickleHooks {
  resolveGlobal(module: string, name: string): PyGlobal // throws for anything not allow-listed
  call(fn: PyValue, args: PyTuple): PyValue
  build(target: PyValue, state: PyValue): void
  persistentLoad(pid: PyValue): PyValue
}

const MAX_MEMO = 1_000_000
const MAX_MARK_DEPTH = 10_000
const MAX_LONG_BYTES = 64 // far more than any index or the legacy magic number (10 bytes)
const MAX_LINE = 512

// Opcodes that instantiate arbitrary classes or use external registries/buffers: refused outright.
const REFUSED: Record<number, string> = {
  0x69: 'INST', 0x6f: 'OBJ', 0x81: 'NEWOBJ', 0x92: 'NEWOBJ_EX',
  0x82: 'EXT1', 0x83: 'EXT2', 0x84: 'EXT4', 0x50: 'PERSID',
}

/** Runs one pickle starting at `start`; returns the STOP value and the offset just past STOP. */
export function unpickle(bytes: Uint8Array, start: number, hooks: PickleHooks): { value: PyValue; end: number } {
  const r = new ByteCursor(bytes, start, 'pickle')
  let stack: PyValue[] = []
  const marks: PyValue[][] = []
  const memo = new Map<number, PyValue>()

  const pop = (): PyValue => {
    if (stack.length === 0) throw corrupt(`pickle stack underflow at byte ${r.pos - 1}`)
    return stack.pop() as PyValue
  }
  const top = (): PyValue => {
    if (stack.length === 0) throw corrupt(`pickle stack underflow at byte ${r.pos - 1}`)
    return stack[stack.length - 1] as PyValue
  }
  const popMark = (): PyValue[] => {
    const items = stack
    const prev = marks.pop()
    if (prev === undefined) throw corrupt(`pickle MARK missing at byte ${r.pos - 1}`)
    stack = prev
    return items
  }
  const put = (index: number): void => {
    if (memo.size >= MAX_MEMO && !memo.has(index)) throw corrupt('pickle memo grows past 1,000,000 entries')
    memo.set(index, top())
  }
  const get = (index: number): void => {
    if (!memo.has(index)) throw corrupt(`pickle refers to memo slot ${index}, which was never stored`)
    stack.push(memo.get(index) as PyValue)
  }
  const dictOnTop = (): PyDict => {
    const d = top()
    if (!(d instanceof PyDict)) throw corrupt('pickle sets an item on something that is not a dict')
    return d
  }
  const listOnTop = (): PyValue[] => {
    const l = top()
    if (!Array.isArray(l)) throw corrupt('pickle appends to something that is not a list')
    return l
  }
  const str = (v: PyValue, what: string): string => {
    if (typeof v !== 'string') throw corrupt(`pickle ${what} is not a string`)
    return v
  }

  for (;;) {
    const at = r.pos
    const op = r.u8()
    const refused = REFUSED[op]
    if (refused !== undefined) {
      // Name the global INST would have imported, so the message says what the file wanted.
      const detail = op === 0x69 ? ` (${safeLine(r)}.${safeLine(r)})` : ''
      throw refusedOpcode(refused, detail)
    }
    switch (op) {
      case 0x80: { // PROTO
        const proto = r.u8()
        if (proto > 5) throw new CheckpointError(`the checkpoint uses pickle protocol ${proto}; Ganvas reads protocols 2–5`)
        break
      }
      case 0x95: { // FRAME: only a read-ahead hint, but its length must still fit in the file
        const n = r.u64()
        if (n > r.remaining) throw corrupt(`pickle FRAME at byte ${at} runs past the end`)
        break
      }
      case 0x2e: return { value: pop(), end: r.pos } // STOP
      case 0x28: // MARK
        if (marks.length >= MAX_MARK_DEPTH) throw corrupt('pickle MARKs nest too deeply')
        marks.push(stack); stack = []; break
      case 0x30: if (stack.length) stack.pop(); else popMark(); break // POP
      case 0x31: popMark(); break // POP_MARK
      case 0x32: stack.push(top()); break // DUP
      case 0x7d: stack.push(new PyDict()); break // EMPTY_DICT
      case 0x5d: stack.push([]); break // EMPTY_LIST
      case 0x29: stack.push(new PyTuple([])); break // EMPTY_TUPLE
      case 0x74: { const items = popMark(); stack.push(new PyTuple(items)); break } // TUPLE
      case 0x85: stack.push(new PyTuple([pop()])); break // TUPLE1
      case 0x86: { const b = pop(); const a = pop(); stack.push(new PyTuple([a, b])); break } // TUPLE2
      case 0x87: { const c = pop(); const b = pop(); const a = pop(); stack.push(new PyTuple([a, b, c])); break }
      case 0x6c: stack.push(popMark()); break // LIST
      case 0x64: { const d = new PyDict(); setItems(d, popMark()); stack.push(d); break } // DICT
      case 0x4e: stack.push(null); break // NONE
      case 0x88: stack.push(true); break // NEWTRUE
      case 0x89: stack.push(false); break // NEWFALSE
      case 0x4a: stack.push(r.i32()); break // BININT
      case 0x4b: stack.push(r.u8()); break // BININT1
      case 0x4d: stack.push(r.u16()); break // BININT2
      case 0x8a: stack.push(readLong(r, r.u8())); break // LONG1
      case 0x8b: { // LONG4
        const n = r.i32()
        if (n < 0 || n > MAX_LONG_BYTES) throw corrupt(`pickle integer of ${n} bytes is out of range`)
        stack.push(readLong(r, n)); break
      }
      case 0x47: stack.push(r.f64be()); break // BINFLOAT
      case 0x58: stack.push(r.utf8(r.u32())); break // BINUNICODE
      case 0x8c: stack.push(r.utf8(r.u8())); break // SHORT_BINUNICODE
      case 0x8d: stack.push(r.utf8(r.u64())); break // BINUNICODE8
      case 0x55: stack.push(r.latin1(r.u8())); break // SHORT_BINSTRING (Python 2 str)
      case 0x54: { // BINSTRING
        const n = r.i32()
        if (n < 0) throw corrupt('pickle string has a negative length')
        stack.push(r.latin1(n)); break
      }
      case 0x43: stack.push(r.bytes(r.u8())); break // SHORT_BINBYTES
      case 0x42: stack.push(r.bytes(r.u32())); break // BINBYTES
      case 0x8e: stack.push(r.bytes(r.u64())); break // BINBYTES8
      case 0x71: put(r.u8()); break // BINPUT
      case 0x72: put(r.u32()); break // LONG_BINPUT
      case 0x94: put(memo.size); break // MEMOIZE
      case 0x68: get(r.u8()); break // BINGET
      case 0x6a: get(r.u32()); break // LONG_BINGET
      case 0x63: { // GLOBAL (text form, as protocol 2 writes it)
        const module = r.line(MAX_LINE)
        stack.push(hooks.resolveGlobal(module, r.line(MAX_LINE)))
        break
      }
      case 0x93: { // STACK_GLOBAL
        const name = str(pop(), 'global name')
        stack.push(hooks.resolveGlobal(str(pop(), 'global module'), name))
        break
      }
      case 0x52: { // REDUCE
        const args = pop()
        const fn = pop()
        if (!(args instanceof PyTuple)) throw corrupt('pickle REDUCE arguments are not a tuple')
        stack.push(hooks.call(fn, args))
        break
      }
      case 0x62: { const state = pop(); hooks.build(top(), state); break } // BUILD
      case 0x51: stack.push(hooks.persistentLoad(pop())); break // BINPERSID
      case 0x73: { const v = pop(); const k = pop(); dictOnTop().map.set(k, v); break } // SETITEM
      case 0x75: { const items = popMark(); setItems(dictOnTop(), items); break } // SETITEMS
      case 0x61: { const v = pop(); listOnTop().push(v); break } // APPEND
      case 0x65: { const items = popMark(); const l = listOnTop(); for (const v of items) l.push(v); break }
      default:
        throw corrupt(`unsupported pickle opcode 0x${op.toString(16).padStart(2, '0')} at byte ${at} (not used by state_dicts)`)
    }
  }
}

function setItems(d: PyDict, items: PyValue[]): void {
  if (items.length % 2 !== 0) throw corrupt('pickle SETITEMS has an odd number of items')
  for (let i = 0; i < items.length; i += 2) d.map.set(items[i] as PyValue, items[i + 1] as PyValue)
}

/** Little-endian two's-complement integer of n bytes; a number when it is safe, else a bigint. */
function readLong(r: ByteCursor, n: number): number | bigint {
  const b = r.bytes(n)
  if (n === 0) return 0
  let v = 0n
  for (let i = n - 1; i >= 0; i--) v = (v << 8n) | BigInt(b[i] as number)
  if ((b[n - 1] as number) & 0x80) v -= 1n << BigInt(8 * n)
  return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v
}

/** For error messages only: the next text line, or '?' if there is none. */
function safeLine(r: ByteCursor): string {
  try {
    return r.line(MAX_LINE)
  } catch {
    return '?'
  }
}
