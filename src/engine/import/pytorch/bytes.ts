// Bounds-checked little-endian reads: every length is checked against what is left before use,
// so hostile lengths become a CheckpointError instead of an out-of-range read or a huge allocation.
import { corrupt } from './errors'

const utf8 = new TextDecoder('utf-8', { fatal: true })
const latin1 = new TextDecoder('latin1')

export class ByteCursor {
  pos: number
  readonly end: number
  private readonly view: DataView

  constructor(
    readonly buf: Uint8Array,
    start: number,
    private readonly what: string,
    end = buf.length,
  ) {
    this.end = Math.min(end, buf.length)
    this.pos = start
    this.view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength)
  }

  get remaining(): number {
    return this.end - this.pos
  }

  /** Throws unless n more bytes exist; returns the offset where they start. */
  need(n: number, field: string): number {
    if (!Number.isSafeInteger(n) || n < 0 || n > this.remaining) {
      throw corrupt(`the ${this.what} ends early (${field} at byte ${this.pos} needs ${n} bytes, ${this.remaining} left)`)
    }
    const at = this.pos
    this.pos += n
    return at
  }

  u8(): number {
    return this.view.getUint8(this.need(1, 'a byte'))
  }
  u16(): number {
    return this.view.getUint16(this.need(2, 'a 2-byte integer'), true)
  }
  i32(): number {
    return this.view.getInt32(this.need(4, 'a 4-byte integer'), true)
  }
  u32(): number {
    return this.view.getUint32(this.need(4, 'a 4-byte integer'), true)
  }
  /** 8-byte unsigned length or count; anything past 2^53 cannot be real and is refused. */
  u64(): number {
    const at = this.need(8, 'an 8-byte integer')
    const lo = this.view.getUint32(at, true)
    const hi = this.view.getUint32(at + 4, true)
    if (hi >= 0x200000) throw corrupt(`the ${this.what} has an impossible 8-byte length at byte ${at}`)
    return hi * 0x1_0000_0000 + lo
  }
  i64(): number {
    const at = this.need(8, 'an 8-byte integer')
    const v = this.view.getBigInt64(at, true)
    if (v < BigInt(Number.MIN_SAFE_INTEGER) || v > BigInt(Number.MAX_SAFE_INTEGER)) {
      throw corrupt(`the ${this.what} has an impossible 8-byte count at byte ${at}`)
    }
    return Number(v)
  }
  f64be(): number {
    return this.view.getFloat64(this.need(8, 'a float'), false)
  }
  bytes(n: number): Uint8Array {
    const at = this.need(n, 'a byte string')
    return this.buf.subarray(at, at + n)
  }
  utf8(n: number): string {
    const b = this.bytes(n)
    try {
      return utf8.decode(b)
    } catch {
      throw corrupt(`the ${this.what} has a string that is not valid UTF-8 (before byte ${this.pos})`)
    }
  }
  latin1(n: number): string {
    return latin1.decode(this.bytes(n))
  }
  /** A newline-terminated ASCII line of at most `max` bytes (protocol-0 GLOBAL operands). */
  line(max: number): string {
    const limit = Math.min(this.end, this.pos + max + 1)
    for (let i = this.pos; i < limit; i++) {
      if (this.buf[i] === 0x0a) {
        const s = latin1.decode(this.buf.subarray(this.pos, i))
        this.pos = i + 1
        return s
      }
    }
    throw corrupt(`the ${this.what} has an unterminated or overlong text line at byte ${this.pos}`)
  }
}
