/**
 * `ganvas generate` end to end on tiny DCGAN folders: samples and interpolations with --json lines,
 * the files and their metadata, never overwriting, and bad flags or classes failing with one line
 * that says what to do.
 */
import { spawnSync } from 'node:child_process'
import { readFile, readdir } from 'node:fs/promises'
import { join } from 'node:path'
import * as tf from '@tensorflow/tfjs'
import sharp from 'sharp'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { FACE_SIZE, saveFaceModel } from '../../src/engine/inference/face-test-models'
import { settingsFromPngFile } from '../../src/engine/inference/generate-metadata'
import { savePix2pix } from '../../src/engine/inference/test-models'
import { readGifGanvasMetadata } from '../../src/engine/images/gif'
import { tempDir } from '../helpers/train-harness'

let root: { dir: string; cleanup(): Promise<void> }
let env: NodeJS.ProcessEnv
const plain = () => join(root.dir, 'faces')
const pets = () => join(root.dir, 'pets')

beforeAll(async () => {
  await tf.setBackend('cpu')
  root = await tempDir('ganvas-generate-cli-')
  await saveFaceModel(plain(), null, 'Faces')
  await saveFaceModel(pets(), ['cats', 'dogs'], 'Pets')
  await savePix2pix(join(root.dir, 'sketches'), 'AtoB')
  env = { ...process.env, GANVAS_HOME: join(root.dir, 'home'), GANVAS_BACKEND: 'cpu' }
})
afterAll(() => root.cleanup())

const ganvas = (args: string[]) => spawnSync(process.execPath, ['bin/ganvas.js', 'generate', ...args], { env, encoding: 'utf8', timeout: 120_000 })
const jsonLines = (stdout: string) => stdout.trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>)
/** stderr without TF.js's one-time "install the node backend" banner. */
const errors = (stderr: string) => stderr.split('\n').filter((l) => l.startsWith('ganvas:') || l.startsWith('error:'))

describe('ganvas generate', () => {
  it('--seeds with --truncation: JSON lines, one PNG per seed carrying its settings; a rerun is refused', async () => {
    const out = join(root.dir, 'out', 'samples') // nested: created on the way
    const args = ['--model', plain(), '--output', out, '--seeds', '1-3,7', '--truncation', '0.7', '--json']
    const result = ganvas(args)
    expect(result.status, result.stderr).toBe(0)
    const lines = jsonLines(result.stdout)
    expect(lines[0]).toMatchObject({ event: 'info', backend: 'cpu' })
    expect(lines.filter((l) => l.event === 'progress').at(-1)).toMatchObject({ step: 4, total: 4 })
    const names = ['seed-0001.png', 'seed-0002.png', 'seed-0003.png', 'seed-0007.png']
    expect(lines.at(-1)).toEqual({ event: 'done', output: out, written: 4, files: names })
    expect((await readdir(out)).sort()).toEqual(names)
    expect(await settingsFromPngFile(join(out, 'seed-0007.png'))).toEqual({
      kind: 'sample',
      seed: 7,
      psi: 0.7,
      class: null,
      model: 'Faces',
      modelPath: plain(),
      steps: 1,
    })
    const meta = await sharp(join(out, 'seed-0002.png')).metadata()
    expect([meta.format, meta.width, meta.height]).toEqual(['png', FACE_SIZE, FACE_SIZE])

    const before = await readFile(join(out, 'seed-0003.png'))
    const again = ganvas(['--model', plain(), '--output', out, '--seeds', '3-5'])
    expect(again.status).not.toBe(0)
    expect(errors(again.stderr)).toEqual([expect.stringMatching(/already has seed-0003.png.*never overwrites files.*another output folder/)])
    expect((await readFile(join(out, 'seed-0003.png'))).equals(before)).toBe(true)
    expect(await readdir(out)).toHaveLength(4) // seeds 4 and 5 were not written either
  })

  it('a class model without --class spreads the seeds over the classes and says so', async () => {
    const out = join(root.dir, 'pets-out')
    const result = ganvas(['--model', pets(), '--output', out, '--count', '2', '--start', '5'])
    expect(result.status, result.stderr).toBe(0)
    expect(result.stdout).toMatch(/No --class given: each seed gets class seed mod 2 \(cats, dogs\)/)
    expect(result.stdout).toMatch(/Wrote 2 images to/)
    expect((await readdir(out)).sort()).toEqual(['seed-0005-dogs.png', 'seed-0006-cats.png'])
    expect(await settingsFromPngFile(join(out, 'seed-0006-cats.png'))).toMatchObject({ seed: 6, class: 'cats', model: 'Pets' })
  })

  it('--interpolate: a GIF with every frame, and the frames as PNGs', async () => {
    const out = join(root.dir, 'interp')
    const result = ganvas(['--model', pets(), '--output', out, '--interpolate', '1,42', '--frames', '4', '--class', 'dogs', '--json'])
    expect(result.status, result.stderr).toBe(0)
    const stem = 'interp-0001-0042-dogs'
    const frames = [1, 2, 3, 4].map((k) => `${stem}-f0${k}.png`)
    expect(jsonLines(result.stdout).at(-1)).toEqual({ event: 'done', output: out, gif: join(out, `${stem}.gif`), frames: 4, files: [`${stem}.gif`, ...frames] })
    const gif = await readFile(join(out, `${stem}.gif`))
    expect(await sharp(gif, { animated: true }).metadata()).toMatchObject({ format: 'gif', pages: 4, pageHeight: FACE_SIZE })
    expect(readGifGanvasMetadata(gif)).toMatchObject({ kind: 'interpolation', seedA: 1, seedB: 42, class: 'dogs', classFrom: 'chosen' })
    expect(await settingsFromPngFile(join(out, frames[1]!))).toMatchObject({ kind: 'interpolation', seedA: 1, seedB: 42, frame: 1, t: 1 / 3 })
  })

  it.each([
    [['--seeds', 'abc'], /--seeds.*"abc" is not a seed or a range; write seeds like 1-16/],
    [['--seeds', '1-3', '--count', '3'], /give --seeds or --count, not both/],
    [['--interpolate', '7'], /--interpolate.*two seeds .* separated by a comma, e\.g\. 1,42/],
    [['--class', 'cats'], /--class cats: "Faces" was trained without classes; leave out --class/],
  ])('refuses %j with one line that says what to do', async (flags, message) => {
    const out = join(root.dir, 'refused')
    const result = ganvas(['--model', plain(), '--output', out, ...flags])
    expect(result.status).not.toBe(0)
    expect(errors(result.stderr)).toEqual([expect.stringMatching(message)])
    expect(await readdir(out).catch(() => 'absent')).toBe('absent') // nothing created
  })

  it('an unknown class lists the known ones; a pix2pix model points to translate', () => {
    const unknown = ganvas(['--model', pets(), '--output', join(root.dir, 'x'), '--class', 'wolves'])
    expect(unknown.status).not.toBe(0)
    expect(errors(unknown.stderr)).toEqual(['ganvas: --class wolves: "Pets" has no such class; use one of: cats, dogs'])
    const translator = ganvas(['--model', join(root.dir, 'sketches'), '--output', join(root.dir, 'x')])
    expect(translator.status).not.toBe(0)
    expect(errors(translator.stderr)).toEqual([expect.stringMatching(/is a pix2pix model.*use `ganvas translate`/)])
  })
})
