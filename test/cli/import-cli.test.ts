/**
 * `ganvas import pytorch` end to end: a fixture checkpoint (test/fixtures/pytorch) becomes a model
 * folder whose generator still reproduces PyTorch's output, and `ganvas translate` uses it; bad
 * inputs fail with one line on stderr and a non-zero exit, leaving existing folders alone.
 */
import { spawnSync } from 'node:child_process'
import { mkdir, readFile, readdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import * as tf from '@tensorflow/tfjs'
import sharp from 'sharp'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadNetwork, readManifest } from '../../src/engine/storage/model-folder'
import { writePng } from '../helpers/synthetic-images'
import { tempDir, useWasm } from '../helpers/train-harness'

const FIXTURES = fileURLToPath(new URL('../fixtures/pytorch', import.meta.url))
let root: { dir: string; cleanup(): Promise<void> }
let image: string
let env: NodeJS.ProcessEnv

beforeAll(async () => {
  await useWasm()
  root = await tempDir('ganvas-import-cli-')
  image = join(root.dir, 'sketch.png')
  const [width, height] = [50, 37]
  await writePng(image, Uint8Array.from({ length: width * height * 3 }, (_, i) => (i * 37) % 256), width, height)
  env = { ...process.env, GANVAS_HOME: join(root.dir, 'home'), GANVAS_BACKEND: 'wasm' }
})
afterAll(() => root.cleanup())

const ganvas = (args: string[]) => spawnSync(process.execPath, ['bin/ganvas.js', ...args], { env, encoding: 'utf8', timeout: 120_000 })
const stderrLines = (stderr: string) => stderr.split('\n').filter((l) => l.trim() !== '')

async function translatesToSameSize(model: string, extra: string[] = []) {
  const output = join(root.dir, `${model.split('/').pop()}.png`)
  const result = ganvas(['translate', '--model', model, '--input', image, '--output', output, ...extra])
  expect(result.status, result.stderr).toBe(0)
  const meta = await sharp(output).metadata()
  expect([meta.format, meta.width, meta.height]).toEqual(['png', 50, 37])
}

describe('ganvas import pytorch', () => {
  it('a pix2pix U-Net: a model folder that matches PyTorch and translates', async () => {
    const out = join(root.dir, 'facades')
    const result = ganvas(['import', 'pytorch', join(FIXTURES, 'unet_128.legacy.pth'), '--out', out, '--json'])
    expect(result.status, result.stderr).toBe(0)
    expect(result.stderr).toBe('')
    const done = JSON.parse(result.stdout.trim().split('\n').at(-1)!) as Record<string, unknown>
    expect(done).toMatchObject({ event: 'done', model: out, family: 'pix2pix', network: 'generator', arch: 'unet_128', ngf: 3, params: 92_673 })

    const manifest = await readManifest(out)
    expect(manifest).toMatchObject({ name: 'unet_128.legacy', family: 'pix2pix', resolution: 128, stepsDone: 0 })
    expect(manifest.training).toMatchObject({ importedFrom: 'unet_128.legacy.pth', arch: 'unet_128', ngf: 3, direction: 'AtoB' })

    // The saved weights are the imported ones: PyTorch's recorded output, through the folder on disk.
    const generator = await loadNetwork(out, manifest, 'generator')
    const input = await readFile(join(FIXTURES, 'unet_128-input.bin'))
    const want = await readFile(join(FIXTURES, 'unet_128-output.bin'))
    const x = Float32Array.from(input, (v) => v / 127.5 - 1)
    const got = tf.tidy(() => (generator.predict(tf.tensor4d(x, [1, 128, 128, 3])) as tf.Tensor).dataSync())
    const expected = new Float32Array(want.buffer.slice(want.byteOffset, want.byteOffset + want.byteLength))
    expect(Math.max(...got.map((v, i) => Math.abs(v - expected[i]!)))).toBeLessThan(1e-4)
    generator.dispose()

    await translatesToSameSize(out)
  })

  it('a CycleGAN ResNet imported BtoA, with a name', async () => {
    const out = join(root.dir, 'zebra2horse')
    const file = join(FIXTURES, 'resnet_9blocks.pth')
    const result = ganvas(['import', 'pytorch', file, '--out', out, '--direction', 'BtoA', '--name', 'Zebra to horse'])
    expect(result.status, result.stderr).toBe(0)
    expect(result.stdout).toContain('Imported resnet_9blocks (ngf 4, 45,859 parameters) as a cyclegan model')
    expect(await readManifest(out)).toMatchObject({ name: 'Zebra to horse', family: 'cyclegan', resolution: 256 })
    expect(await readdir(join(out, 'checkpoints', 'step-000000'))).toEqual(['generator_BtoA'])
    await translatesToSameSize(out, ['--direction', 'BtoA'])
  })

  it.each([
    ['a discriminator', 'patchgan-discriminator.pth', [], /^ganvas: patchgan-discriminator\.pth: not a pix2pix\/CycleGAN generator state_dict/],
    ['a file that is not a checkpoint', 'manifest.json', [], /^ganvas: manifest\.json: the checkpoint is damaged or not a PyTorch file/],
    ['a missing file', 'nothing-here.pth', [], /^ganvas: .*nothing-here\.pth: no such file$/],
    ['a contradicting --arch', 'unet_128.pth', ['--arch', 'unet_256'], /^ganvas: unet_128\.pth: this checkpoint is a unet_128 generator, not unet_256$/],
  ])('refuses %s: one line on stderr, non-zero exit, no model folder', async (_what, file, extra, message) => {
    const out = join(root.dir, 'refused')
    const result = ganvas(['import', 'pytorch', join(FIXTURES, file), '--out', out, ...extra])
    expect(result.status).not.toBe(0)
    expect(stderrLines(result.stderr)).toHaveLength(1)
    expect(stderrLines(result.stderr)[0]).toMatch(message)
    await expect(readdir(out)).rejects.toThrow()
  })

  it('never writes into a folder that holds something', async () => {
    const out = join(root.dir, 'mine')
    await mkdir(out)
    await writeFile(join(out, 'notes.txt'), 'keep me')
    const result = ganvas(['import', 'pytorch', join(FIXTURES, 'unet_128.pth'), '--out', out])
    expect(result.status).not.toBe(0)
    expect(stderrLines(result.stderr)).toEqual([`ganvas: --out ${out} already exists and is not empty; give a new folder for the model`])
    expect(await readdir(out)).toEqual(['notes.txt'])
  })
})
