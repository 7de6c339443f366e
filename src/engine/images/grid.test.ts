import sharp from 'sharp'
import { describe, expect, it } from 'vitest'
import { cellOrigin, composeGrid } from './grid'
import { readGanvasMetadata } from './png-metadata'

const size = 8
/** A size×size image whose pixel (x, y) encodes its own id and position. */
const image = (id: number) => {
  const data = new Uint8Array(size * size * 3)
  for (let y = 0; y < size; y++) for (let x = 0; x < size; x++) data.set([id * 20, x * 10, y * 10], (y * size + x) * 3)
  return data
}

describe('composeGrid', () => {
  it('puts each image in its cell, gaps and missing cells in the background colour', async () => {
    const rows = [
      [image(1), image(2), image(3)],
      [image(4), image(5)],
    ]
    const gap = 3
    const png = await composeGrid(rows, size, { gap, background: [10, 20, 30], metadata: { step: 500 } })
    const { data, info } = await sharp(png).raw().toBuffer({ resolveWithObject: true })
    expect([info.width, info.height, info.channels]).toEqual([3 * size + 4 * gap, 2 * size + 3 * gap, 3])
    const pixel = (x: number, y: number) => [...data.subarray((y * info.width + x) * 3, (y * info.width + x) * 3 + 3)]
    rows.forEach((row, r) =>
      row.forEach((_, c) => {
        const { x, y } = cellOrigin(r, c, size, gap)
        const id = r * 3 + c + 1
        for (const [dx, dy] of [[0, 0], [7, 0], [0, 7], [5, 3]] as const) expect(pixel(x + dx, y + dy)).toEqual([id * 20, dx * 10, dy * 10])
      }),
    )
    expect(pixel(0, 0)).toEqual([10, 20, 30])
    expect(pixel(gap + size, gap + 2)).toEqual([10, 20, 30]) // between cells
    const missing = cellOrigin(1, 2, size, gap)
    expect(pixel(missing.x + 4, missing.y + 4)).toEqual([10, 20, 30])
    expect(readGanvasMetadata(png)).toEqual({ step: 500 })
  })

  it('defaults to a 2-pixel white gap and rejects wrong-sized images', async () => {
    const { info } = await sharp(await composeGrid([[image(1)]], size)).raw().toBuffer({ resolveWithObject: true })
    expect([info.width, info.height]).toEqual([size + 4, size + 4])
    await expect(composeGrid([[new Uint8Array(5)]], size)).rejects.toThrow(/row 0, column 0 has 5 bytes/)
    await expect(composeGrid([], size)).rejects.toThrow(/no images/)
  })
})
