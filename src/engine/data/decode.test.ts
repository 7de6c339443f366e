import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import sharp from 'sharp'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Random } from '../random'
import { loadRgb, loadRgbOriginal } from './decode'
import { cropFlipToFloat, defaultLoadSize, planCropFlip, toBytes, toFloat } from './preprocess'

let dir: string
const file = (name: string) => join(dir, name)
const raw = (width: number, height: number, channels: 1 | 2 | 3 | 4, fill: number[]) => {
  const data = new Uint8Array(width * height * channels)
  for (let i = 0; i < data.length; i++) data[i] = fill[i % channels]!
  return sharp(data, { raw: { width, height, channels } })
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ganvas-decode-'))
  await raw(12, 10, 1, [90]).toColourspace('b-w').png().toFile(file('grey.png'))
  await raw(12, 10, 2, [90, 0]).toColourspace('b-w').png().toFile(file('grey-alpha.png'))
  await raw(12, 10, 4, [10, 20, 30, 0]).png().toFile(file('clear.png'))
  await raw(12, 10, 4, [10, 20, 30, 255]).webp({ lossless: true }).toFile(file('opaque.webp'))
  await raw(12, 10, 3, [200, 100, 50]).toColourspace('rgb16').png().toFile(file('deep.png'))
  await raw(12, 10, 1, [90]).toColourspace('b-w').jpeg().toFile(file('grey.jpg'))
  await raw(12, 10, 3, [1, 2, 3]).tiff().toFile(file('plain.tiff'))
  // Left half black, right half white; EXIF says "rotate 90° clockwise to view".
  const halves = new Uint8Array(20 * 10 * 3).map((_, i) => (Math.floor(i / 3) % 20 < 10 ? 0 : 255))
  await sharp(halves, { raw: { width: 20, height: 10, channels: 3 } }).png().toFile(file('halves.png'))
  await sharp(halves, { raw: { width: 20, height: 10, channels: 3 } }).withMetadata({ orientation: 6 }).jpeg().toFile(file('rotated.jpg'))
})
afterAll(() => rm(dir, { recursive: true, force: true }))

describe('loadRgb', () => {
  it.each([
    ['grey.png', [90, 90, 90]],
    ['grey-alpha.png', [255, 255, 255]], // fully transparent: flattened on white
    ['clear.png', [255, 255, 255]],
    ['opaque.webp', [10, 20, 30]],
    ['deep.png', [200, 100, 50]], // 16-bit → 8-bit
    ['grey.jpg', [90, 90, 90]],
    ['plain.tiff', [1, 2, 3]],
  ])('%s becomes 8-bit RGB at the requested square size', async (name, rgb) => {
    const image = await loadRgb({ path: file(name), width: 12, height: 10 }, 7)
    expect([image.width, image.height, image.data.length]).toEqual([7, 7, 7 * 7 * 3])
    for (let i = 0; i < image.data.length; i++) expect(Math.abs(image.data[i]! - rgb[i % 3]!)).toBeLessThanOrEqual(1)
  })

  it('cuts the requested half of a side-by-side image before resizing', async () => {
    const left = await loadRgb({ path: file('halves.png'), half: 'left', width: 10, height: 10 }, 16)
    const right = await loadRgb({ path: file('halves.png'), half: 'right', width: 10, height: 10 }, 16)
    expect(Math.max(...left.data)).toBe(0)
    expect(Math.min(...right.data)).toBe(255)
  })

  it('rejects a file it cannot decode', async () => {
    await expect(loadRgb({ path: file('nothing.png'), width: 8, height: 8 }, 8)).rejects.toThrow()
  })
})

describe('loadRgbOriginal', () => {
  it('keeps the original size and applies EXIF orientation', async () => {
    const image = await loadRgbOriginal(file('rotated.jpg'))
    expect([image.width, image.height, image.data.length]).toEqual([10, 20, 10 * 20 * 3])
    expect(image.data[0]).toBeLessThan(30) // top row was the black left half
    expect(image.data[image.data.length - 1]).toBeGreaterThan(225)
  })
})

describe('preprocess', () => {
  it('uses the published 286-for-256 load size and scales it for other sizes', () => {
    expect([256, 128, 64, 32].map(defaultLoadSize)).toEqual([286, 143, 72, 36])
  })

  it('plans crops inside the image and flips about half the time, or never when switched off', () => {
    const rng = new Random(3)
    const plans = Array.from({ length: 400 }, () => planCropFlip(rng, 36, 32, true))
    expect(Math.min(...plans.map((p) => Math.min(p.x, p.y)))).toBe(0)
    expect(Math.max(...plans.map((p) => Math.max(p.x, p.y)))).toBe(4)
    const flips = plans.filter((p) => p.flip).length
    expect(flips).toBeGreaterThan(160)
    expect(flips).toBeLessThan(240)
    expect(Array.from({ length: 50 }, () => planCropFlip(rng, 36, 32, false).flip)).not.toContain(true)
  })

  it('crops, mirrors and scales bytes to [-1, 1] at an offset', () => {
    // 4×3 image whose red channel is 10·row + col; green 0, blue 255.
    const data = new Uint8Array(4 * 3 * 3)
    for (let p = 0; p < 12; p++) data.set([10 * Math.floor(p / 4) + (p % 4), 0, 255], p * 3)
    const out = new Float32Array(3 + 2 * 2 * 3).fill(9)
    cropFlipToFloat({ data, width: 4, height: 3 }, { x: 1, y: 1, flip: true }, 2, out, 3)
    const red = [0, 1, 2, 3].map((i) => Math.round((out[3 + i * 3]! + 1) * 127.5))
    expect(red).toEqual([12, 11, 22, 21])
    expect([out[0], out[4], out[5]]).toEqual([9, -1, 1])
    expect(() => cropFlipToFloat({ data, width: 4, height: 3 }, { x: 3, y: 0, flip: false }, 2, out)).toThrow(/does not fit/)
  })

  it('round-trips bytes through floats', () => {
    const bytes = Uint8Array.from({ length: 256 }, (_, i) => i)
    const floats = toFloat({ data: bytes, width: 256, height: 1 })
    expect([floats[0], floats[255]]).toEqual([-1, 1])
    expect(toBytes(floats)).toEqual(bytes)
    expect(toBytes(Float32Array.of(-3, 3))).toEqual(Uint8Array.of(0, 255))
  })
})
