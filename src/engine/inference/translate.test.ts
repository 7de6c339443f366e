import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import * as tf from '@tensorflow/tfjs'
import '@tensorflow/tfjs-backend-wasm'
import sharp from 'sharp'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ModelManifest } from '../../shared/schemas'
import { decodeRgb, encodePng, rgbBytesToTensor, tensorToRgbBytes } from '../images/convert'
import { readGanvasMetadata } from '../images/png-metadata'
import { ganvasVersion } from '../version'
import { fitInside, mirrorPad } from './fit'
import { saveCyclegan, savePix2pix, TEST_SIZE } from './test-models'
import { generatorFor, loadTranslator, translateImage } from './translate'

let dir: string
const pix2pixDir = () => join(dir, 'pix2pix')
const cycleganDir = () => join(dir, 'cyclegan')

beforeAll(async () => {
  await tf.setBackend('wasm')
  dir = await mkdtemp(join(tmpdir(), 'ganvas-translate-'))
  await savePix2pix(pix2pixDir(), 'BtoA')
  await saveCyclegan(cycleganDir())
})
afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

/** A w×h RGB test pattern (gradients and a diagonal), as PNG. */
const pattern = (w: number, h: number) => {
  const data = new Uint8Array(w * h * 3)
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) data.set([(x * 255) / w, (y * 255) / h, x === y ? 255 : 40], (y * w + x) * 3)
  return { data, png: encodePng(data, w, h) }
}
const solid = (w: number, h: number, value: number) => new Uint8Array(w * h * 3).fill(value)
/** The generator's raw output for a size×size RGB image, converted to bytes (the reference). */
const rawOutput = (generator: tf.LayersModel, rgb: Uint8Array) =>
  tf.tidy(() => tensorToRgbBytes(generator.predict(rgbBytesToTensor(rgb, TEST_SIZE, TEST_SIZE).expandDims(0)) as tf.Tensor4D))

describe('translateImage', () => {
  it('keeps any size and aspect: 50×37 in, 50×37 PNG with Ganvas metadata out', async () => {
    const translator = await loadTranslator(pix2pixDir())
    const path = join(dir, 'in.png')
    await writeFile(path, await pattern(50, 37).png)
    const result = await translateImage(translator, path)
    const info = await sharp(result.png).metadata()
    expect([result.width, result.height, info.width, info.height, info.channels, info.format]).toEqual([50, 37, 50, 37, 3, 'png'])
    expect(readGanvasMetadata(result.png)).toEqual({
      model: 'Tiny sketches',
      family: 'pix2pix',
      direction: 'BtoA',
      mode: 'eval',
      steps: 7,
      version: ganvasVersion,
      source: 'in.png',
    })
    translator.dispose()
  })

  it('at exactly the model size, the result is the generator’s raw output', async () => {
    const translator = await loadTranslator(pix2pixDir())
    const input = pattern(TEST_SIZE, TEST_SIZE)
    const result = await decodeRgb((await translateImage(translator, await input.png, 'square.png')).png)
    expect(result.data).toEqual(rawOutput(translator.generator, input.data))
    translator.dispose()
  })

  it('mirror padding does not leak: a padded white image translates like the white square', async () => {
    const translator = await loadTranslator(pix2pixDir())
    const fit = fitInside(TEST_SIZE, 20, TEST_SIZE) // no resize: only padding
    const wide = await decodeRgb((await translateImage(translator, await encodePng(solid(TEST_SIZE, 20, 255), TEST_SIZE, 20))).png)
    const square = rawOutput(translator.generator, solid(TEST_SIZE, TEST_SIZE, 255))
    const rows = square.subarray(fit.top * TEST_SIZE * 3, (fit.top + 20) * TEST_SIZE * 3)
    expect(wide.data).toEqual(rows)
    // The check is sensitive: black padding would have changed the visible rows.
    const blackPadded = solid(TEST_SIZE, TEST_SIZE, 0)
    blackPadded.set(solid(TEST_SIZE, 20, 255), fit.top * TEST_SIZE * 3)
    expect(rawOutput(translator.generator, blackPadded).subarray(fit.top * TEST_SIZE * 3, (fit.top + 20) * TEST_SIZE * 3)).not.toEqual(rows)
    // And a non-uniform image goes through exactly the mirror-padded square.
    const pat = pattern(TEST_SIZE, 20)
    const out = await decodeRgb((await translateImage(translator, await pat.png)).png)
    const padded = rawOutput(translator.generator, mirrorPad({ data: pat.data, width: TEST_SIZE, height: 20 }, fit))
    expect(out.data).toEqual(padded.subarray(fit.top * TEST_SIZE * 3, (fit.top + 20) * TEST_SIZE * 3))
    translator.dispose()
  })

  it('turns grey and RGBA inputs into RGB outputs', async () => {
    const translator = await loadTranslator(pix2pixDir())
    const grey = await sharp({ create: { width: 20, height: 30, channels: 3, background: '#808080' } }).toColourspace('b-w').png().toBuffer()
    const rgba = await sharp({ create: { width: 40, height: 10, channels: 4, background: { r: 9, g: 90, b: 200, alpha: 0.5 } } }).png().toBuffer()
    for (const [input, w, h] of [[grey, 20, 30], [rgba, 40, 10]] as const) {
      const info = await sharp((await translateImage(translator, input)).png).metadata()
      expect([info.width, info.height, info.channels, info.hasAlpha]).toEqual([w, h, 3, false])
    }
    translator.dispose()
  })

  it('names the file and the problem when the input is unreadable', async () => {
    const translator = await loadTranslator(pix2pixDir())
    const broken = join(dir, 'broken.jpg')
    await writeFile(broken, 'this is not a JPEG')
    await expect(translateImage(translator, broken)).rejects.toThrow(/broken\.jpg: not an image Ganvas can read/)
    await expect(translateImage(translator, join(dir, 'missing.png'))).rejects.toThrow(/missing\.png: cannot be read/)
    translator.dispose()
  })

  it('leaks no tensors: same count while translating, back to the start after dispose', async () => {
    const start = tf.memory().numTensors
    const translator = await loadTranslator(cycleganDir())
    const loaded = tf.memory().numTensors
    expect(loaded).toBeGreaterThan(start)
    for (const [w, h] of [[32, 32], [50, 37], [7, 90]] as const) {
      await translateImage(translator, await pattern(w, h).png)
      expect(tf.memory().numTensors).toBe(loaded)
    }
    translator.dispose()
    expect(tf.memory().numTensors).toBe(start)
    expect(() => translator.generator).toThrow(/disposed/)
  })
})

describe('directions', () => {
  it('Pix2Pix translates only the way it was trained, and says so', async () => {
    await expect(loadTranslator(pix2pixDir(), { direction: 'AtoB' })).rejects.toThrow(
      /"Tiny sketches" is a Pix2Pix model trained BtoA and only translates BtoA/,
    )
    const translator = await loadTranslator(pix2pixDir(), { direction: 'BtoA' })
    expect(translator.direction).toBe('BtoA')
    translator.dispose()
  })

  it('CycleGAN translates both ways with different generators', async () => {
    const input = await pattern(40, 30).png
    const outputs: Uint8Array[] = []
    for (const direction of ['AtoB', 'BtoA'] as const) {
      const translator = await loadTranslator(cycleganDir(), { direction })
      const result = await translateImage(translator, input, 'photo.png')
      expect(readGanvasMetadata(result.png)).toMatchObject({ family: 'cyclegan', direction, steps: 3, source: 'photo.png' })
      outputs.push((await decodeRgb(result.png)).data)
      translator.dispose()
    }
    expect(outputs[0]).not.toEqual(outputs[1])
    const fallback = await loadTranslator(cycleganDir())
    expect(fallback.direction).toBe('AtoB')
    fallback.dispose()
  })

  it('refuses models that do not translate, and unknown directions', () => {
    const dcgan = { name: 'Faces', family: 'dcgan', training: {} } as unknown as ModelManifest
    expect(() => generatorFor(dcgan, undefined)).toThrow(/"Faces" is a dcgan model, which generates images/)
    const cyclegan = { name: 'Styles', family: 'cyclegan', training: {} } as unknown as ModelManifest
    expect(() => generatorFor(cyclegan, 'sideways' as 'AtoB')).toThrow(/AtoB or BtoA/)
  })
})
