import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { crc32, deflateSync } from 'node:zlib'
import sharp from 'sharp'
import { describe, expect, it } from 'vitest'
import { encodePng } from './convert'
import { readGanvasMetadata, readGanvasMetadataFile, readPngText, writeGanvasMetadata } from './png-metadata'

const pixels = Uint8Array.from({ length: 5 * 4 * 3 }, (_, i) => (i * 37) % 256)
const plainPng = () => sharp(pixels, { raw: { width: 5, height: 4, channels: 3 } }).png().toBuffer()

/** A chunk built by hand, as another tool would write it. */
function chunk(type: string, data: Uint8Array, badCrc = false): Buffer {
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data])
  const out = Buffer.alloc(12 + data.length)
  out.writeUInt32BE(data.length, 0)
  body.copy(out, 4)
  out.writeUInt32BE((crc32(body) + (badCrc ? 1 : 0)) >>> 0, 8 + data.length)
  return out
}
/** `png` with `extra` inserted right after IHDR (8-byte signature + 25-byte IHDR chunk). */
const insertAfterIhdr = (png: Buffer, ...extra: Buffer[]) => Buffer.concat([png.subarray(0, 33), ...extra, png.subarray(33)])
const latin1 = (s: string) => Buffer.from(s, 'latin1')

describe('PNG metadata', () => {
  const metadata = { model: 'Kanten → Schuhe · 鞋 🥾', family: 'pix2pix', steps: 1200, seed: 42, psi: 0.7, class: null, nested: { a: [1, 'ü'] } }

  it('round-trips a JSON object, non-ASCII text included, in an iTXt chunk before IDAT', async () => {
    const png = await encodePng(pixels, 5, 4, metadata)
    expect(readGanvasMetadata(png)).toEqual(metadata)
    expect(png.indexOf('iTXt')).toBeGreaterThan(0)
    expect(png.indexOf('iTXt')).toBeLessThan(png.indexOf('IDAT'))
    // still a valid PNG with the same pixels
    expect(new Uint8Array(await sharp(png).raw().toBuffer())).toEqual(pixels)
  })

  it('writing again replaces the earlier entry instead of adding one', async () => {
    const png = writeGanvasMetadata(writeGanvasMetadata(await plainPng(), { seed: 1 }), { seed: 2 })
    expect(readPngText(png).filter((e) => e.keyword === 'ganvas')).toHaveLength(1)
    expect(readGanvasMetadata(png)).toEqual({ seed: 2 })
  })

  it('gives null for PNGs without it, also with other tools’ text chunks', async () => {
    const png = await plainPng()
    expect(readGanvasMetadata(png)).toBeNull()
    const other = insertAfterIhdr(png, chunk('tEXt', latin1('Software\0GIMP 2.10')), chunk('tEXt', latin1('Comment\0{"seed":1}')))
    expect(readGanvasMetadata(other)).toBeNull()
    expect(readPngText(other)).toEqual([
      { keyword: 'Software', text: 'GIMP 2.10' },
      { keyword: 'Comment', text: '{"seed":1}' },
    ])
  })

  it('also reads tEXt and compressed zTXt/iTXt entries', async () => {
    const png = await plainPng()
    expect(readGanvasMetadata(insertAfterIhdr(png, chunk('tEXt', latin1('ganvas\0{"seed":3}'))))).toEqual({ seed: 3 })
    const z = Buffer.concat([latin1('ganvas\0\0'), deflateSync('{"seed":4}')])
    expect(readGanvasMetadata(insertAfterIhdr(png, chunk('zTXt', z)))).toEqual({ seed: 4 })
    const i = Buffer.concat([latin1('ganvas\0\x01\0en\0ganvas\0'), deflateSync(JSON.stringify({ class: 'Ölgemälde' }))])
    expect(readGanvasMetadata(insertAfterIhdr(png, chunk('iTXt', i)))).toEqual({ class: 'Ölgemälde' })
  })

  it('gives null for entries that are damaged, not JSON objects, or too large when inflated', async () => {
    const png = await plainPng()
    const entry = (text: string, badCrc = false) => chunk('iTXt', Buffer.concat([latin1('ganvas\0\0\0\0\0'), Buffer.from(text)]), badCrc)
    for (const text of ['[1,2]', '42', 'null', '"text"', '{"unterminated":', '']) {
      expect(readGanvasMetadata(insertAfterIhdr(png, entry(text))), text).toBeNull()
    }
    expect(readGanvasMetadata(insertAfterIhdr(png, entry('{"seed":1}', true)))).toBeNull()
    const bomb = Buffer.concat([latin1('ganvas\0\0'), deflateSync(Buffer.alloc(4 << 20, 32))])
    expect(readGanvasMetadata(insertAfterIhdr(png, chunk('zTXt', bomb)))).toBeNull()
    for (const data of ['\0\0\0', 'ganvas', 'ganvas\0\x01', 'ganvas\0\x07\0\0\0{}', 'ganvas\0\x01\0\0\0not zlib']) {
      expect(readGanvasMetadata(insertAfterIhdr(png, chunk('iTXt', latin1(data)))), data).toBeNull()
    }
  })

  it('never throws on truncated or garbage input, and reads metadata that survived a truncation', async () => {
    const png = await encodePng(pixels, 5, 4, metadata)
    const entryEnd = png.indexOf('IDAT') - 4
    for (let n = 0; n <= png.length; n++) {
      const result = readGanvasMetadata(png.subarray(0, n))
      expect(result, `prefix of ${n} bytes`).toEqual(n >= entryEnd ? metadata : null)
    }
    for (let at = 0; at < png.length; at++) {
      const flipped = Buffer.from(png)
      flipped[at] = (flipped[at]! ^ 0xff) & 0xff
      expect(() => readGanvasMetadata(flipped)).not.toThrow()
    }
    let seed = 7
    const random = (n: number) => Uint8Array.from({ length: n }, () => (seed = (seed * 1103515245 + 12345) >>> 0) >>> 24)
    const signature = png.subarray(0, 8)
    for (const bytes of [
      new Uint8Array(0),
      random(1000),
      Buffer.concat([signature, random(1000)]),
      Buffer.concat([signature, Buffer.from([0xff, 0xff, 0xff, 0xff]), latin1('iTXt')]),
      Buffer.concat([signature, Buffer.from([0x7f, 0xff, 0xff, 0xff]), latin1('iTXtganvas')]),
    ]) {
      expect(readGanvasMetadata(bytes)).toBeNull()
    }
    expect(() => writeGanvasMetadata(png.subarray(0, png.length - 4), {})).toThrow(/not a well-formed PNG/)
  })

  it('reads files, and gives null for a missing one', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ganvas-meta-'))
    await writeFile(join(dir, 'a.png'), await encodePng(pixels, 5, 4, { seed: 9 }))
    expect(await readGanvasMetadataFile(join(dir, 'a.png'))).toEqual({ seed: 9 })
    expect(await readGanvasMetadataFile(join(dir, 'missing.png'))).toBeNull()
    expect(await readGanvasMetadataFile(dir)).toBeNull()
    await rm(dir, { recursive: true })
  })
})
