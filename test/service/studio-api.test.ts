/**
 * The studio's calls through the contract with the real engine process (wasm): face samples and
 * interpolations, data sets as jobs, live translation, image reads, thumbnails and metadata, data-set
 * scans, and the library's rename / export / import / delete / history, including hostile input.
 */
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { strToU8, zipSync } from 'fflate'
import sharp from 'sharp'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { saveFaceModel } from '../../src/engine/inference/face-test-models'
import { savePix2pix } from '../../src/engine/inference/test-models'
import { readGanvasMetadata } from '../../src/engine/images/png-metadata'
import { dispatch } from '../../src/service/dispatch'
import type { Host } from '../../src/service/host'
import type { GanvasEvent, MethodName, Output } from '../../src/shared/contract'
import { jobEnded, startRealEngineHost } from '../helpers/engine-host'
import { writeUnpairedDomains } from '../helpers/synthetic-images'

let env: { host: Host; home: string; events: GanvasEvent[]; stop(): Promise<void> }
let id = 0
const at = (...parts: string[]) => join(env.home, ...parts)
const bytesOf = (dataUrl: string) => Buffer.from(dataUrl.slice(dataUrl.indexOf(',') + 1), 'base64')

async function call<M extends MethodName>(method: M, input: unknown): Promise<Output<M>> {
  const response = await dispatch(env.host.handlers, { id: id++, method, input })
  if (!response.ok) throw new Error(`${response.error.code}: ${response.error.message}`)
  return response.output as Output<M>
}
async function failure(method: MethodName, input: unknown) {
  const response = await dispatch(env.host.handlers, { id: id++, method, input })
  if (response.ok) throw new Error(`${method} should have failed`)
  return response.error
}

beforeAll(async () => {
  env = await startRealEngineHost()
  await saveFaceModel(at('models', 'faces'), ['cats', 'dogs'])
  await saveFaceModel(at('models', 'plain-faces'), null, 'Plain faces')
  await savePix2pix(at('models', 'sketches'), 'AtoB')
  await writeUnpairedDomains(at('data'), { count: 3, size: 32, seed: 2 })
  await writeFile(at('data', 'trainA', 'notes.txt'), 'not an image')
}, 120_000)
afterAll(() => env?.stop())

describe('faces', () => {
  it('samples seeds into PNGs that carry seed, ψ and class; the same seed gives the same image', async () => {
    const first = await call('faces.sample', { model: 'faces', seeds: [1, 2, 3], psi: 0.7 })
    expect(first.images.map((i) => [i.seed, i.class])).toEqual([
      [1, 'dogs'],
      [2, 'cats'],
      [3, 'dogs'],
    ])
    expect(readGanvasMetadata(bytesOf(first.images[0]!.image))).toMatchObject({ kind: 'sample', seed: 1, psi: 0.7, class: 'dogs' })
    const again = await call('faces.sample', { model: 'faces', seeds: [1], psi: 0.7 })
    expect(again.images[0]!.image).toBe(first.images[0]!.image)
    const chosen = await call('faces.sample', { model: 'faces', seeds: [1], psi: 0.7, class: 'cats' })
    expect(chosen.images[0]!.image).not.toBe(first.images[0]!.image)
    expect((await failure('faces.sample', { model: 'faces', seeds: [1], class: 'horses' })).message).toMatch(/no class "horses".*cats, dogs/)
    expect((await failure('faces.sample', { model: 'sketches', seeds: [1] })).message).toMatch(/pix2pix model.*ganvas translate/)
    expect((await failure('faces.sample', { model: 'faces', seeds: [] })).field).toBe('input.seeds')
  }, 60_000)

  it('interpolates into frames and a GIF, and restores settings from a dropped PNG', async () => {
    const result = await call('faces.interpolate', { model: 'plain-faces', seedA: 4, seedB: 9, frames: 5, psi: 1 })
    expect(result.frames).toHaveLength(5)
    expect(bytesOf(result.gif).subarray(0, 6).toString()).toBe('GIF89a')
    const ends = await call('faces.sample', { model: 'plain-faces', seeds: [4, 9] })
    expect(bytesOf(result.frames[0]!)).not.toEqual(bytesOf(result.frames[2]!))
    // The first frame is seed A's image (its metadata differs: it is an interpolation frame).
    expect(readGanvasMetadata(bytesOf(result.frames[0]!))).toMatchObject({ kind: 'interpolation', seedA: 4, seedB: 9, frame: 0 })
    const restored = await call('images.metadata', { image: ends.images[1]!.image })
    expect(restored.faces).toEqual({ model: 'Plain faces', seed: 9, psi: 1, class: null })
    const plain = await call('images.metadata', { image: `data:image/png;base64,${(await readFile(at('data', 'trainA', 'shape-0000.png'))).toString('base64')}` })
    expect(plain).toEqual({ metadata: null, faces: null })
  }, 60_000)

  it('makes a data set as a job, refusing to overwrite and to write outside the allowed folders', async () => {
    const { jobId } = await call('faces.makeDataset', { model: 'faces', output: at('made'), count: 4, class: 'cats' })
    const job = await jobEnded(env.events, jobId)
    expect(job).toMatchObject({ state: 'done', kind: 'generate', model: 'faces' })
    expect((await readdir(at('made'))).sort()).toEqual(['seed-0000-cats.png', 'seed-0001-cats.png', 'seed-0002-cats.png', 'seed-0003-cats.png'])
    const again = await jobEnded(env.events, (await call('faces.makeDataset', { model: 'faces', output: at('made'), count: 2, class: 'cats' })).jobId)
    expect(again.state).toBe('failed')
    expect(again.error).toMatch(/never overwrites/)
    expect((await failure('faces.makeDataset', { model: 'faces', output: '/etc/ganvas-set', count: 1 })).code).toBe('forbidden')
  }, 60_000)
})

describe('images and data sets', () => {
  it('translates an image at once, from a data URL or an allowed path', async () => {
    const png = await readFile(at('data', 'trainA', 'shape-0001.png'))
    const fromData = await call('translate.image', { model: 'sketches', image: `data:image/png;base64,${png.toString('base64')}` })
    const fromPath = await call('translate.image', { model: 'sketches', image: { path: at('data', 'trainA', 'shape-0001.png') } })
    expect([fromData.width, fromData.height]).toEqual([32, 32])
    // Same pixels either way (the metadata names a different source).
    const pixels = async (url: string) => (await sharp(bytesOf(url)).raw().toBuffer()).toString('base64')
    expect(await pixels(fromPath.image)).toBe(await pixels(fromData.image))
    expect(readGanvasMetadata(bytesOf(fromData.image))).toMatchObject({ model: 'Tiny sketches', family: 'pix2pix' })
    expect(fromData.ms).toBeGreaterThan(0)
    expect((await failure('translate.image', { model: 'sketches', image: { path: '/etc/hostname' } })).code).toBe('forbidden')
    expect((await failure('translate.image', { model: 'sketches', image: 'data:text/html;base64,PGgxPg==' })).field).toBe('input.image')
  }, 60_000)

  it('reads, thumbnails and scans allowed images; names the problem for the rest', async () => {
    const read = await call('images.read', { path: at('data', 'trainB', 'shape-0002.png'), maxSize: 16 })
    expect([read.width, read.height]).toEqual([16, 16])
    const thumbs = await call('images.thumbnails', { paths: [at('data', 'trainA', 'shape-0000.png'), at('data', 'trainA', 'notes.txt'), '/etc/passwd'], size: 24 })
    expect(thumbs.items[0]!.image).toMatch(/^data:image\/webp;base64,/)
    expect(thumbs.items[1]!.image).toBeNull()
    expect(thumbs.items[1]!.problem).toBeTruthy()
    expect(thumbs.items[2]!.problem).toMatch(/outside the folders/)
    const scan = await call('datasets.scan', { dir: at('data') })
    expect(scan.classes).toEqual([
      { name: 'trainA', count: 3 },
      { name: 'trainB', count: 3 },
    ])
    expect(scan.skipped.map((s) => s.path)).toEqual([at('data', 'trainA', 'notes.txt')])
    expect((await call('datasets.scan', { dir: at('models') })).problem).toMatch(/no usable images/)
  }, 30_000)
})

describe('the library', () => {
  it('renames, exports to a zip, imports it and a folder, refuses clashes and hostile zips, deletes', async () => {
    expect((await call('models.rename', { model: 'faces', name: 'Cats & dogs' })).manifest?.name).toBe('Cats & dogs')
    await mkdir(at('exports'))
    const exported = await call('models.export', { model: 'faces', folder: at('exports') })
    expect(exported.path).toBe(at('exports', 'faces.ganvas.zip'))
    expect((await failure('models.export', { model: 'faces', folder: at('exports') })).message).toMatch(/never overwrites/)
    const imported = await call('models.import', { source: exported.path, model: 'faces copy' })
    expect(imported.manifest).toMatchObject({ name: 'Cats & dogs', family: 'dcgan' })
    const sampled = await call('faces.sample', { model: 'faces copy', seeds: [5] })
    expect(readGanvasMetadata(bytesOf(sampled.images[0]!.image))).toMatchObject({ seed: 5, model: 'Cats & dogs' })
    expect((await call('models.import', { source: at('models', 'sketches'), model: 'sketches-2' })).manifest?.family).toBe('pix2pix')
    expect((await failure('models.import', { source: exported.path, model: 'sketches-2' })).message).toMatch(/already has a model/)

    const slip = zipSync({ 'manifest.json': strToU8('{}'), '../../escaped.txt': strToU8('x') })
    await writeFile(at('exports', 'slip.zip'), slip)
    expect((await failure('models.import', { source: at('exports', 'slip.zip'), model: 'slip' })).message).toMatch(/outside its folder|manifest/)
    expect(await readdir(env.home)).not.toContain('escaped.txt')
    expect((await call('models.list', {})).map((m) => m.id)).not.toContain('slip')

    await call('models.delete', { model: 'sketches-2' })
    expect((await call('models.list', {})).map((m) => m.id).sort()).toEqual(['faces', 'faces copy', 'plain-faces', 'sketches'])
    expect((await failure('models.delete', { model: 'nope' })).code).toBe('not_found')
    expect((await failure('models.reveal', { model: 'faces' })).code).toBe('unsupported')
    expect((await failure('models.delete', { model: '../etc' })).field).toBe('input.model')
  }, 60_000)

  it('reads a run history (last line per step wins, torn lines skipped) and its sample grids in step order', async () => {
    const dir = at('models', 'plain-faces')
    const line = (step: number, g: number) => JSON.stringify({ step, time: step, metrics: { G: g, D_real: 1 } })
    await writeFile(join(dir, 'history.jsonl'), [line(1, 5), line(2, 4), line(2, 3), '{"step": 3, "metr'].join('\n'))
    await mkdir(join(dir, 'samples'), { recursive: true })
    for (const step of [20, 3, 100]) await writeFile(join(dir, 'samples', `step-${String(step).padStart(6, '0')}.png`), '')
    const history = await call('train.history', { model: 'plain-faces' })
    expect(history.entries.map((e) => [e.step, e.metrics.G])).toEqual([
      [1, 5],
      [2, 3],
    ])
    expect(history.samples.map((s) => s.step)).toEqual([3, 20, 100])
  })
})
