/**
 * Face generation end to end on tiny DCGAN folders: loading and its errors, determinism, truncation,
 * classes, the cpu/wasm agreement, files (PNGs, data sets, GIF interpolations) with their metadata,
 * never overwriting, progress and cancelling, and reading settings back from a PNG.
 */
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import * as tf from '@tensorflow/tfjs'
import '@tensorflow/tfjs-backend-wasm'
import sharp from 'sharp'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { JobProgress } from '../../shared/schemas'
import { registerWasmTrainingKernels } from '../backend/wasm-kernels'
import { decodeRgb, encodePng } from '../images/convert'
import { readGifGanvasMetadata } from '../images/gif'
import { readGanvasMetadata } from '../images/png-metadata'
import { CancelledByHost } from '../job-hooks'
import { latentFromSeed } from '../latent/latent'
import { loadNetwork } from '../storage/model-folder'
import { ganvasVersion } from '../version'
import { FACE_SIZE, FACE_Z, saveFaceModel } from './face-test-models'
import { loadFaceGenerator, type FaceGenerator } from './generate'
import { writeDataset, writeInterpolation, writeSamples } from './generate-files'
import { settingsFromPng, settingsFromPngFile } from './generate-metadata'
import { parseSeeds, seedRange } from './seeds'
import { savePix2pix } from './test-models'
import { loadTranslator, translateImage } from './translate'

let dir: string
const plainDir = () => join(dir, 'plain')
const classDir = () => join(dir, 'classes')
let plain: FaceGenerator
let classed: FaceGenerator

beforeAll(async () => {
  await tf.setBackend('cpu')
  dir = await mkdtemp(join(tmpdir(), 'ganvas-generate-'))
  await saveFaceModel(plainDir(), null)
  await saveFaceModel(classDir(), ['cats', 'dogs', 'foxes'], 'Tiny pets')
  plain = await loadFaceGenerator(plainDir())
  classed = await loadFaceGenerator(classDir(), { version: '9.9.9' })
})
afterAll(async () => {
  plain?.dispose()
  classed?.dispose()
  await rm(dir, { recursive: true, force: true })
})

const same = (a: Uint8Array, b: Uint8Array) => Buffer.from(a).equals(Buffer.from(b))
const maxDiff = (a: ArrayLike<number>, b: ArrayLike<number>) => Array.from(a).reduce((m, v, i) => Math.max(m, Math.abs(v - b[i]!)), 0)

describe('loadFaceGenerator', () => {
  it('reads the shape and classes from the model', () => {
    expect([plain.zDim, plain.size, plain.classes, plain.manifest.name, plain.version]).toEqual([FACE_Z, FACE_SIZE, null, 'Tiny faces', ganvasVersion])
    expect([classed.classes, classed.version]).toEqual([['cats', 'dogs', 'foxes'], '9.9.9'])
  })

  it('a pix2pix model is refused with the command to use instead', async () => {
    await savePix2pix(join(dir, 'p2p'), 'AtoB')
    await expect(loadFaceGenerator(join(dir, 'p2p'))).rejects.toThrow(/is a pix2pix model.*use `ganvas translate`/)
    await expect(loadFaceGenerator(join(dir, 'nothing'))).rejects.toThrow(/manifest.json is missing/)
  })

  it('disposed, it says to load again', async () => {
    const g = await loadFaceGenerator(plainDir())
    g.dispose()
    expect(() => g.sample([{ seed: 1 }])).toThrow(/disposed/)
  })
})

describe('sampling', () => {
  it('is deterministic: the same seed gives identical bytes, in any batch; other seeds differ', () => {
    const batch = plain.sample([0, 1, 2, 3].map((seed) => ({ seed })))
    const again = plain.sample([{ seed: 2 }, { seed: 0 }])
    expect(batch.every((rgb) => rgb.length === FACE_SIZE * FACE_SIZE * 3)).toBe(true)
    expect(same(again[0]!, batch[2]!) && same(again[1]!, batch[0]!)).toBe(true)
    for (let i = 0; i < 4; i++) for (let j = i + 1; j < 4; j++) expect(same(batch[i]!, batch[j]!), `seeds ${i}, ${j}`).toBe(false)
    // and the images are not flat: the test model has contrast
    expect(Math.max(...batch[0]!) - Math.min(...batch[0]!)).toBeGreaterThan(100)
  })

  it('ψ = 0 gives the same (average) face for every seed; ψ = 1 is the untruncated latent', () => {
    const zero = plain.sample([5, 6, 7].map((seed) => ({ seed, psi: 0 })))
    expect(same(zero[0]!, zero[1]!) && same(zero[1]!, zero[2]!)).toBe(true)
    const [one, untruncated, half] = [
      plain.sample([{ seed: 5, psi: 1 }])[0]!,
      plain.render([latentFromSeed(5, FACE_Z)])[0]!,
      plain.sample([{ seed: 5, psi: 0.5 }])[0]!,
    ]
    expect(same(one, untruncated)).toBe(true)
    expect(same(half, one) || same(half, zero[0]!)).toBe(false)
    expect(() => plain.sample([{ seed: 5, psi: 1.5 }])).toThrow(/ψ goes from 0/)
    expect(() => plain.sample([{ seed: -1 }])).toThrow(/whole number from 0/)
  })

  it('a conditional model: the class changes the image; without one, seed mod classes picks it', () => {
    const [cat, dog] = [classed.sample([{ seed: 4, classIndex: 0 }])[0]!, classed.sample([{ seed: 4, classIndex: 1 }])[0]!]
    expect(same(cat, dog)).toBe(false)
    expect(classed.resolveRequest({ seed: 4 })).toEqual({ seed: 4, psi: 1, classIndex: 1, classFrom: 'seed' })
    expect(same(classed.sample([{ seed: 4 }])[0]!, dog)).toBe(true)
    expect(classed.resolveRequest({ seed: 4, classIndex: 2 })).toMatchObject({ classIndex: 2, classFrom: 'chosen' })
    expect(plain.resolveRequest({ seed: 4 })).toEqual({ seed: 4, psi: 1, classIndex: null, classFrom: null })
  })

  it('class errors say what is possible', () => {
    expect(classed.classIndex('dogs')).toBe(1)
    expect(() => classed.classIndex('wolves')).toThrow('"Tiny pets" has no class "wolves"; its classes are: cats, dogs, foxes')
    expect(() => plain.classIndex('cats')).toThrow(/trained without classes/)
    expect(() => plain.sample([{ seed: 1, classIndex: 0 }])).toThrow(/trained without classes/)
    expect(() => classed.sample([{ seed: 1, classIndex: 3 }])).toThrow(/classes 0 to 2 \(cats, dogs, foxes\), not 3/)
    expect(() => classed.render([latentFromSeed(1, FACE_Z)])).toThrow(/class-conditional: say which class/)
    expect(() => plain.render([latentFromSeed(1, 8)])).toThrow(/16 values, not 8/)
  })
})

describe('backends', () => {
  it('cpu and wasm: the same latent bit for bit, the same image within 1e-4', async () => {
    registerWasmTrainingKernels()
    const seeds = [3, 11]
    const run = async (backend: 'cpu' | 'wasm') => {
      expect(await tf.setBackend(backend)).toBe(true)
      expect(tf.getBackend()).toBe(backend)
      const g = await loadFaceGenerator(classDir())
      const network = await loadNetwork(classDir(), g.manifest, 'generator')
      const latents = seeds.map((s) => g.latentFor(s, 0.8))
      const onBackend = tf.tidy(() => tf.tensor2d(Float32Array.from(latents.flatMap((z) => Array.from(z))), [2, FACE_Z]).dataSync())
      const raw = tf.tidy(() =>
        (network.apply([tf.tensor2d(onBackend, [2, FACE_Z]), tf.tensor2d([[1], [2]], [2, 1], 'int32')], { training: false }) as tf.Tensor).dataSync(),
      )
      const bytes = g.render(latents, [1, 2])
      network.dispose()
      g.dispose()
      return { latents: Buffer.from(new Float32Array(onBackend).buffer), raw: Float32Array.from(raw), bytes }
    }
    try {
      const cpu = await run('cpu')
      const wasm = await run('wasm')
      expect(wasm.latents.equals(cpu.latents)).toBe(true)
      expect(maxDiff(wasm.raw, cpu.raw)).toBeLessThan(1e-4)
      expect(maxDiff(wasm.bytes[0]!, cpu.bytes[0]!)).toBeLessThanOrEqual(1) // rounding to bytes may tip one level
    } finally {
      await tf.setBackend('cpu')
    }
  })
})

describe('files', () => {
  it('a PNG per seed with its settings; the pixels are what sample() gives', async () => {
    const out = join(dir, 'samples')
    const events: JobProgress[] = []
    const result = await writeSamples(plain, out, [42, 7], { psi: 0.7, hooks: { progress: (p) => events.push(p) } })
    expect(result.files.map((f) => f.slice(out.length + 1))).toEqual(['seed-0042.png', 'seed-0007.png'])
    const png = await readFile(join(out, 'seed-0042.png'))
    expect(same((await decodeRgb(png)).data, plain.sample([{ seed: 42, psi: 0.7 }])[0]!)).toBe(true)
    expect(settingsFromPng(png)).toEqual({ kind: 'sample', seed: 42, psi: 0.7, class: null, model: 'Tiny faces', modelPath: plainDir(), steps: 1 })
    expect(events.at(-1)).toMatchObject({ step: 2, total: 2 })
    expect(events.at(-1)!.metrics.imagesPerSec).toBeGreaterThan(0)
  })

  it('metadata of a class model names the class and how it was chosen', async () => {
    const out = join(dir, 'pets')
    await writeSamples(classed, out, [4, 5])
    await writeSamples(classed, out, [4], { classIndex: 0 })
    expect((await readdir(out)).sort()).toEqual(['seed-0004-cats.png', 'seed-0004-dogs.png', 'seed-0005-foxes.png'])
    const meta = readGanvasMetadata(await readFile(join(out, 'seed-0004-dogs.png')))
    expect(meta).toEqual({
      kind: 'sample',
      seed: 4,
      model: 'Tiny pets',
      modelPath: classDir(),
      family: 'dcgan',
      psi: 1,
      class: 'dogs',
      classFrom: 'seed',
      steps: 1,
      ganvasVersion: '9.9.9',
    })
    expect(await settingsFromPngFile(join(out, 'seed-0004-cats.png'))).toMatchObject({ seed: 4, class: 'cats', model: 'Tiny pets' })
  })

  it('a data set: seeds start … start+N−1, and a second run into the same folder is refused before writing anything', async () => {
    const out = join(dir, 'dataset')
    const first = await writeDataset(plain, out, { start: 10, count: 3 })
    expect(first.files.map((f) => f.slice(out.length + 1))).toEqual(['seed-0010.png', 'seed-0011.png', 'seed-0012.png'])
    const before = await readFile(join(out, 'seed-0012.png'))
    await writeFile(join(out, 'seed-0014.png'), 'mine')
    await expect(writeDataset(plain, out, { start: 12, count: 4 })).rejects.toThrow(
      /already has seed-0012.png, seed-0014.png.*never overwrites files/,
    )
    expect((await readdir(out)).sort()).toEqual(['seed-0010.png', 'seed-0011.png', 'seed-0012.png', 'seed-0014.png'])
    expect((await readFile(join(out, 'seed-0012.png'))).equals(before)).toBe(true)
    expect(await readFile(join(out, 'seed-0014.png'), 'utf8')).toBe('mine')
    await expect(writeSamples(plain, join(out, 'seed-0010.png'), [1])).rejects.toThrow(/is a file, not a folder/)
    await expect(writeSamples(plain, out, [20, 20])).rejects.toThrow(/listed twice/)
  })

  it('cancelling keeps the finished batches and stops; cancelled at once, nothing is written', async () => {
    const out = join(dir, 'cancelled')
    let batches = 0
    const hooks = {
      progress: () => batches++,
      throwIfCancelled: () => {
        if (batches >= 1) throw new CancelledByHost()
      },
    }
    await expect(writeDataset(plain, out, { count: 70, hooks })).rejects.toBeInstanceOf(CancelledByHost)
    expect((await readdir(out)).filter((n) => n.endsWith('.png'))).toHaveLength(64) // one batch at 32 px
    expect((await readdir(out)).some((n) => n.endsWith('.tmp'))).toBe(false)

    const none = join(dir, 'cancelled-at-once')
    const stop = () => {
      throw new CancelledByHost()
    }
    await expect(writeDataset(plain, none, { count: 3, hooks: { throwIfCancelled: stop } })).rejects.toBeInstanceOf(CancelledByHost)
    expect(await readdir(none)).toEqual([])
  })

  it('an interpolation: a GIF of all frames and a PNG per frame; the ends are the two seeds', async () => {
    const out = join(dir, 'interp')
    const result = await writeInterpolation(classed, out, { seedA: 1, seedB: 42, frames: 5, psi: 0.9, classIndex: 2 })
    const names = (await readdir(out)).sort()
    expect(names).toEqual([...[1, 2, 3, 4, 5].map((k) => `interp-0001-0042-foxes-f0${k}.png`), 'interp-0001-0042-foxes.gif'])
    expect(result.gif).toBe(join(out, 'interp-0001-0042-foxes.gif'))

    const gif = await readFile(result.gif)
    const meta = await sharp(gif, { animated: true }).metadata()
    expect(meta).toMatchObject({ format: 'gif', pages: 5, width: FACE_SIZE, pageHeight: FACE_SIZE })
    expect(readGifGanvasMetadata(gif)).toMatchObject({ kind: 'interpolation', seedA: 1, seedB: 42, frames: 5, psi: 0.9, class: 'foxes', model: 'Tiny pets' })
    expect(settingsFromPng(gif)).toMatchObject({ kind: 'interpolation', frame: null, t: null })

    const frame = async (k: number) => readFile(join(out, `interp-0001-0042-foxes-f0${k}.png`))
    expect(settingsFromPng(await frame(3))).toEqual({
      kind: 'interpolation',
      seedA: 1,
      seedB: 42,
      frames: 5,
      frame: 2,
      t: 0.5,
      psi: 0.9,
      class: 'foxes',
      model: 'Tiny pets',
      modelPath: classDir(),
      steps: 1,
    })
    const [a, b] = classed.sample([
      { seed: 1, psi: 0.9, classIndex: 2 },
      { seed: 42, psi: 0.9, classIndex: 2 },
    ])
    expect(same((await decodeRgb(await frame(1))).data, a!)).toBe(true)
    expect(same((await decodeRgb(await frame(5))).data, b!)).toBe(true)
    expect(same((await decodeRgb(await frame(3))).data, a!)).toBe(false)

    await expect(writeInterpolation(classed, out, { seedA: 1, seedB: 42, frames: 5, psi: 0.9, classIndex: 2 })).rejects.toThrow(/never overwrites/)
    const gifOnly = await writeInterpolation(plain, join(dir, 'gif-only'), { seedA: 3, seedB: 4, frames: 2, pngFrames: false })
    expect(await readdir(join(dir, 'gif-only'))).toEqual(['interp-0003-0004.gif'])
    expect(gifOnly.files).toEqual([gifOnly.gif])
    await expect(writeInterpolation(plain, join(dir, 'x'), { seedA: 3, seedB: 4, frames: 1 })).rejects.toThrow(/2 to 1000 frames/)
  })
})

describe('settingsFromPng', () => {
  it('null for PNGs that are not ours, for translations, and for non-images', async () => {
    expect(settingsFromPng(await encodePng(new Uint8Array(12).fill(9), 2, 2))).toBeNull()
    expect(settingsFromPng(await encodePng(new Uint8Array(12), 2, 2, { kind: 'sample', seed: 'x', model: 'm', psi: 1 }))).toBeNull()
    expect(settingsFromPng(Buffer.from('hello'))).toBeNull()
    expect(await settingsFromPngFile(join(dir, 'missing.png'))).toBeNull()
    const translator = await loadTranslator(join(dir, 'p2p'))
    const source = join(dir, 'source.png')
    await writeFile(source, await encodePng(new Uint8Array(FACE_SIZE * FACE_SIZE * 3).fill(100), FACE_SIZE, FACE_SIZE))
    expect(settingsFromPng((await translateImage(translator, source)).png)).toBeNull()
    translator.dispose()
  })

  it('older or partial metadata still gives the essentials', async () => {
    const png = await encodePng(new Uint8Array(12), 2, 2, { kind: 'sample', seed: 9, psi: 0.5, model: 'Faces' })
    expect(settingsFromPng(png)).toEqual({ kind: 'sample', seed: 9, psi: 0.5, class: null, model: 'Faces', modelPath: null, steps: null })
  })
})

describe('seed lists', () => {
  it('parses ranges and lists, in order, without repeats', () => {
    expect(parseSeeds('1-16')).toEqual(seedRange(1, 16))
    expect(parseSeeds('3,7,42')).toEqual([3, 7, 42])
    expect(parseSeeds('1-4,9')).toEqual([1, 2, 3, 4, 9])
    expect(parseSeeds(' 5 , 2-3 ,3')).toEqual([5, 2, 3])
    expect(parseSeeds('4294967295')).toEqual([4294967295])
  })

  it('says what is wrong', () => {
    expect(() => parseSeeds('abc')).toThrow('"abc" is not a seed or a range; write seeds like 1-16, 3,7,42 or 1-4,9')
    expect(() => parseSeeds('1,,2')).toThrow(/empty entry/)
    expect(() => parseSeeds('9-3')).toThrow('the range 9-3 runs backwards; write 3-9')
    expect(() => parseSeeds('-1')).toThrow(/not a seed or a range/)
    expect(() => parseSeeds('4294967296')).toThrow(/seeds go from 0 to 4294967295/)
    expect(() => parseSeeds('0-1000000')).toThrow(/more than 100000 images/)
    expect(() => seedRange(0, 0)).toThrow(/count must be a whole number from 1/)
    expect(() => seedRange(4294967295, 2)).toThrow(/run past the largest seed/)
  })
})

// A folder made by hand next to generated files is left alone (sanity for prepareFolder's mkdir).
it('writes into an existing folder with other files in it', async () => {
  const out = join(dir, 'mixed')
  await mkdir(out)
  await writeFile(join(out, 'notes.txt'), 'keep')
  await writeSamples(plain, out, [1])
  expect((await readdir(out)).sort()).toEqual(['notes.txt', 'seed-0001.png'])
})
