import { describe, expect, it } from 'vitest'
import { bytesToDataUrl, crc32, dataUrlToBytes, readPngText, withGanvasMetadata, withPngText } from './png-text'

/** A 1×1 RGBA PNG (IHDR, IDAT, IEND). */
const ONE_PIXEL = 'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=='
const ascii = (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0))

/** Chunk types in order, and whether every CRC is right. */
function layout(png: Uint8Array): { types: string[]; crcsOk: boolean } {
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength)
  const types: string[] = []
  let crcsOk = true
  for (let at = 8; at < png.length; ) {
    const length = view.getUint32(at)
    types.push(String.fromCharCode(...png.subarray(at + 4, at + 8)))
    crcsOk &&= crc32(png.subarray(at + 4, at + 8 + length)) === view.getUint32(at + 8 + length)
    at += 12 + length
  }
  return { types, crcsOk }
}

describe('png-text', () => {
  it('computes the CRC-32 PNG uses', () => {
    expect(crc32(ascii('123456789'))).toBe(0xcbf43926)
    expect(crc32(ascii('IEND'))).toBe(0xae426082)
  })

  it('inserts an iTXt chunk before the image data, with a valid CRC, and reads it back', () => {
    const png = dataUrlToBytes(ONE_PIXEL)
    const metadata = { kind: 'sketch', model: 'Façades “tiny”', resolution: 256 }
    const out = withGanvasMetadata(png, metadata)
    expect(layout(out)).toEqual({ types: ['IHDR', 'iTXt', 'IDAT', 'IEND'], crcsOk: true })
    expect(JSON.parse(readPngText(out, 'ganvas')!)).toEqual(metadata)
    // The bytes hold the keyword as the e2e test and other readers look for it.
    expect(new TextDecoder('latin1').decode(out)).toContain('iTXtganvas\0\0\0\0\0')
  })

  it('replaces an earlier entry of the same keyword and keeps other text', () => {
    const png = withPngText(dataUrlToBytes(ONE_PIXEL), 'Comment', 'hello')
    const once = withPngText(png, 'ganvas', '{"v":1}')
    const twice = withPngText(once, 'ganvas', '{"v":2}')
    expect(layout(twice).types).toEqual(['IHDR', 'iTXt', 'iTXt', 'IDAT', 'IEND'])
    expect(readPngText(twice, 'ganvas')).toBe('{"v":2}')
    expect(readPngText(twice, 'Comment')).toBe('hello')
    expect(readPngText(twice, 'other')).toBeNull()
  })

  it('ignores an entry whose CRC is wrong', () => {
    const out = withPngText(dataUrlToBytes(ONE_PIXEL), 'ganvas', '{}')
    const damaged = out.slice()
    const first = 8 + 25 + 8 // the first byte of the iTXt data (after the signature and IHDR)
    damaged[first] = damaged[first]! ^ 0xff
    expect(readPngText(damaged, 'ganvas')).toBeNull()
  })

  it('refuses what is not a PNG and bad keywords', () => {
    expect(() => withPngText(ascii('GIF89a....'), 'ganvas', '{}')).toThrow(/not a PNG/)
    expect(() => withPngText(dataUrlToBytes(ONE_PIXEL), '', '{}')).toThrow(/keyword/)
  })

  it('round-trips data URLs', () => {
    const bytes = dataUrlToBytes(ONE_PIXEL)
    expect(bytesToDataUrl(bytes)).toBe(ONE_PIXEL)
    const big = new Uint8Array(40_000).map((_, i) => i % 251) // more than one 32 KiB chunk
    const back = dataUrlToBytes(bytesToDataUrl(big))
    expect(back.length).toBe(big.length)
    expect(back.every((v, i) => v === big[i])).toBe(true)
  })
})
