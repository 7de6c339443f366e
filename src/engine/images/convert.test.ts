import * as tf from '@tensorflow/tfjs'
import sharp from 'sharp'
import { beforeAll, describe, expect, it } from 'vitest'
import { decodeRgb, encodePng, resizeRgb, rgbBytesToTensor, tensorToRgbBytes } from './convert'

beforeAll(async () => {
  await tf.setBackend('cpu')
})

describe('tensors ↔ RGB bytes', () => {
  it('maps [-1, 1] to 0…255, rounding and clamping', () => {
    const t = tf.tensor3d([-1, 0, 1, -3, 5, 0.999, -0.996, 0.004, 0.003], [1, 3, 3])
    expect([...tensorToRgbBytes(t)]).toEqual([0, 128, 255, 0, 255, 255, 1, 128, 128])
    t.dispose()
  })

  it('round-trips every byte value exactly, in [h, w, 3] and [1, h, w, 3]', () => {
    const bytes = Uint8Array.from({ length: 256 * 3 }, (_, i) => i % 256)
    const t = rgbBytesToTensor(bytes, 16, 16)
    expect(t.shape).toEqual([16, 16, 3])
    expect(tensorToRgbBytes(t)).toEqual(bytes)
    const batched = t.expandDims(0) as tf.Tensor4D
    expect(tensorToRgbBytes(batched)).toEqual(bytes)
    tf.dispose([t, batched])
  })

  it('rejects shapes that are not one RGB image', () => {
    const two = tf.zeros([2, 4, 4, 3]) as tf.Tensor4D
    const grey = tf.zeros([4, 4, 1]) as tf.Tensor3D
    expect(() => tensorToRgbBytes(two)).toThrow(/\[2, 4, 4, 3\]/)
    expect(() => tensorToRgbBytes(grey)).toThrow(/\[4, 4, 1\]/)
    expect(() => rgbBytesToTensor(new Uint8Array(10), 2, 2)).toThrow(/10 bytes/)
    tf.dispose([two, grey])
  })
})

describe('decoding and encoding', () => {
  it('encodes a lossless PNG that decodes to the same pixels', async () => {
    const rgb = Uint8Array.from({ length: 7 * 3 * 3 }, (_, i) => (i * 53) % 256)
    const decoded = await decodeRgb(await encodePng(rgb, 7, 3))
    expect(decoded).toEqual({ data: rgb, width: 7, height: 3 })
  })

  it('decodes grey to RGB and flattens transparency onto white', async () => {
    const grey = await sharp({ create: { width: 2, height: 2, channels: 3, background: '#646464' } }).toColourspace('b-w').png().toBuffer()
    expect([...(await decodeRgb(grey)).data]).toEqual(new Array(12).fill(100))
    const clear = await sharp({ create: { width: 2, height: 2, channels: 4, background: { r: 0, g: 0, b: 0, alpha: 0 } } }).png().toBuffer()
    expect([...(await decodeRgb(clear)).data]).toEqual(new Array(12).fill(255))
  })

  it('says which file is wrong and how', async () => {
    await expect(decodeRgb(new Uint8Array(0), 'empty.png')).rejects.toThrow(/empty\.png: the file is empty/)
    await expect(decodeRgb(Buffer.from('hello'), 'notes.jpg')).rejects.toThrow(/notes\.jpg: not an image Ganvas can read/)
    const svg = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="4" height="4"/>')
    await expect(decodeRgb(svg, 'logo.png')).rejects.toThrow(/logo\.png: svg images are not supported/)
    const png = await encodePng(new Uint8Array(64 * 64 * 3).fill(9), 64, 64)
    await expect(decodeRgb(png.subarray(0, 80), 'cut.png')).rejects.toThrow(/cut\.png: the png image could not be decoded/)
    await expect(decodeRgb('/nonexistent/cat.jpg')).rejects.toThrow(/\/nonexistent\/cat\.jpg: cannot be read \(ENOENT/)
  })

  it('resizes with Lanczos and copies when the size is unchanged', async () => {
    const image = { data: new Uint8Array(4 * 4 * 3).fill(200), width: 4, height: 4 }
    const same = await resizeRgb(image, 4, 4)
    expect(same.data).toEqual(image.data)
    expect(same.data).not.toBe(image.data)
    const big = await resizeRgb(image, 9, 5)
    expect([big.width, big.height, big.data.length]).toEqual([9, 5, 135])
    expect(big.data.every((v) => v === 200)).toBe(true)
  })
})
