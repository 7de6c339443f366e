import { createHash } from 'node:crypto'
import { mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import * as tf from '@tensorflow/tfjs'
import '@tensorflow/tfjs-backend-wasm'
import sharp from 'sharp'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { encodePng } from '../images/convert'
import { readGanvasMetadata } from '../images/png-metadata'
import { savePix2pix } from './test-models'
import { loadTranslator, type Translator } from './translate'
import { translateFolder } from './translate-folder'

let root: string
let input: string
let translator: Translator

const image = (value: number) => encodePng(new Uint8Array(20 * 12 * 3).fill(value), 20, 12)
/** sha256 of every file directly in `dir`. */
const hashes = async (dir: string) => {
  const out: Record<string, string> = {}
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    if (entry.isFile()) out[entry.name] = createHash('sha256').update(await readFile(join(dir, entry.name))).digest('hex')
  }
  return out
}

beforeAll(async () => {
  await tf.setBackend('wasm')
  root = await mkdtemp(join(tmpdir(), 'ganvas-folder-'))
  await savePix2pix(join(root, 'model'), 'AtoB')
  translator = await loadTranslator(join(root, 'model'))
})
afterAll(async () => {
  translator.dispose()
  await rm(root, { recursive: true, force: true })
})
beforeEach(async () => {
  input = join(root, `in-${Math.random().toString(36).slice(2)}`)
  await mkdir(join(input, 'sub'), { recursive: true })
  await writeFile(join(input, 'a.jpg'), await sharp(await image(10)).jpeg().toBuffer())
  await writeFile(join(input, 'b.png'), await image(60))
  await writeFile(join(input, 'cat.jpg'), await sharp(await image(110)).jpeg().toBuffer())
  await writeFile(join(input, 'cat.png'), await image(160))
  await writeFile(join(input, 'broken.png'), 'not a png at all')
  await writeFile(join(input, 'empty.png'), '')
  await writeFile(join(input, 'notes.txt'), 'hello')
  await writeFile(join(input, '.DS_Store'), 'mac')
  await writeFile(join(input, 'sub', 'nested.png'), await image(200))
})

describe('translateFolder', () => {
  it('writes <stem>.png per image, resolves collisions, skips what it cannot read, keeps foreign files and inputs', async () => {
    const output = join(input, 'out') // a subfolder of the input: allowed, and not read as input
    await mkdir(output)
    const foreign = await image(250) // a PNG from another tool where a.png would go
    await writeFile(join(output, 'a.png'), foreign)
    const before = await hashes(input)
    const progress: [number, number, string][] = []

    const result = await translateFolder(translator, input, output, { onProgress: (...p) => progress.push(p) })

    expect(result.written).toEqual(['a-1.png', 'b.png', 'cat.png', 'cat-1.png'].map((n) => join(output, n)))
    const sources = await Promise.all(result.written.map(async (p) => readGanvasMetadata(await readFile(p))?.source))
    expect(sources).toEqual(['a.jpg', 'b.png', 'cat.jpg', 'cat.png'])
    expect(result.skipped.map((s) => [s.path, s.reason])).toEqual([
      [join(input, 'notes.txt'), 'not an image file (.txt)'],
      [join(input, 'broken.png'), expect.stringMatching(/broken\.png: not an image Ganvas can read/)],
      [join(input, 'empty.png'), expect.stringMatching(/empty\.png: the file is empty/)],
    ])
    expect(result.cancelled).toBe(false)
    expect(progress.map(([done, total]) => `${done}/${total}`)).toEqual(['1/6', '2/6', '3/6', '4/6', '5/6', '6/6'])
    expect(progress[3]![2]).toBe(join(input, 'cat.jpg'))
    expect(await hashes(input)).toEqual(before)
    expect(await readFile(join(output, 'a.png'))).toEqual(foreign)
    const info = await sharp(join(output, 'cat-1.png')).metadata()
    expect([info.width, info.height, info.channels]).toEqual([20, 12, 3])

    // A re-run replaces its own earlier outputs and still leaves the foreign file alone.
    const again = await translateFolder(translator, input, output)
    expect(again.written).toEqual(result.written)
    expect((await readdir(output)).sort()).toEqual(['a-1.png', 'a.png', 'b.png', 'cat-1.png', 'cat.png'])
    expect(await readFile(join(output, 'a.png'))).toEqual(foreign)
  })

  it('does not overwrite a Ganvas output made from another source', async () => {
    const output = join(root, `out-${Math.random().toString(36).slice(2)}`)
    await mkdir(output)
    const other = await encodePng(new Uint8Array(3), 1, 1, { model: 'Faces', seed: 4 })
    await writeFile(join(output, 'b.png'), other)
    const result = await translateFolder(translator, input, output)
    expect(result.written).toContain(join(output, 'b-1.png'))
    expect(await readFile(join(output, 'b.png'))).toEqual(other)
  })

  it('creates the output folder, and refuses the input folder itself (also through a link)', async () => {
    const output = join(root, 'new', 'deeper')
    expect((await translateFolder(translator, input, output)).written).toHaveLength(4)
    await expect(translateFolder(translator, input, input)).rejects.toThrow(/the output folder is the input folder/)
    await expect(translateFolder(translator, input, input + '/')).rejects.toThrow(/the output folder is the input folder/)
    const link = join(root, `link-${Math.random().toString(36).slice(2)}`)
    await symlink(input, link)
    await expect(translateFolder(translator, input, link)).rejects.toThrow(/the output folder is the input folder/)
    await expect(translateFolder(translator, join(root, 'missing'), output)).rejects.toThrow(/missing: the input folder does not exist/)
  })

  it('stops between images when cancelled', async () => {
    const controller = new AbortController()
    const output = join(root, `out-${Math.random().toString(36).slice(2)}`)
    const result = await translateFolder(translator, input, output, { signal: controller.signal, onProgress: () => controller.abort() })
    expect(result).toEqual({ written: [join(output, 'a.png')], skipped: [expect.objectContaining({ reason: 'not an image file (.txt)' })], cancelled: true })
    const none = await translateFolder(translator, input, output, { signal: AbortSignal.abort() })
    expect([none.written, none.cancelled]).toEqual([[], true])
  })
})
