/**
 * Pix2Pix learns (issue 3, "Tests"): a whole run through runTraining on a synthetic paired set
 * (outline → filled, shaded shape) at 32 px on wasm cuts the held-out L1 far below the untrained
 * generator's and below the "copy the input" baseline. Also what the run leaves on disk (sample
 * grid, manifest) and that the saved generator reproduces the in-memory one exactly.
 *
 * Measured here (2 cores, wasm, the configuration below; held-out L1 in [-1, 1] units on 16 pairs
 * from randomSpecs(16, 999), generator in inference mode):
 *   trained 0.091 · untrained (the run's own initial weights) 0.92 · copy-the-input 0.249
 *   inside the shapes only: trained 0.46 · untrained 0.50 · copy 1.11
 * What it does NOT learn in a budget like this: which colour goes with which shape. It fills every
 * shape with one shaded average of the four colours (the L1-optimal guess without the shape
 * class); 1,200 steps, batch 4 or λ_L1 = 10 did not change that (4–5 of 16 held-out shapes get
 * the nearest right colour, which is chance). So the colour-by-shape mapping is reported, not asserted.
 */
import { readFile } from 'node:fs/promises'
import { Pix2PixTrainer } from '../../src/engine/training/pix2pix'
import { basename, join } from 'node:path'
import * as tf from '@tensorflow/tfjs'
import sharp from 'sharp'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { cellOrigin } from '../../src/engine/images/grid'
import { loadTranslator, runGenerator } from '../../src/engine/inference/translate'
import { loadNetwork, readManifest } from '../../src/engine/storage/model-folder'
import { runTraining } from '../../src/engine/training/run'
import { Pix2PixOptions, TrainRequest } from '../../src/shared/training'
import { PAIRED_FILL, randomSpecs, renderPaired, writePairedShapes } from '../helpers/synthetic-images'
import {
  copyBaseline,
  generate,
  hashTree,
  maskedL1,
  maskWhere,
  meanColour,
  meanL1,
  nearest,
  recordingHooks,
  tempDir,
  useWasm,
} from '../helpers/train-harness'

const SIZE = 32
const STEPS = 300
const NGF = 16
const LR = 2e-3 // 10× the published rate: a few hundred steps instead of thousands
const TRAIN_PAIRS = 40

let root: { dir: string; cleanup(): Promise<void> }
let data: string
let out: string
let dataBefore: Record<string, string>
let hooks: ReturnType<typeof recordingHooks>
let seconds: number

const specs = randomSpecs(16, 999)
const held = specs.map((s) => renderPaired(s, SIZE))
const inputs = held.map((h) => h.a)
const targets = held.map((h) => h.b)
const shapes = targets.map((b) => maskWhere(b, [255, 255, 255]))

const toBytes = (values: Float32Array) => Uint8Array.from(values, (v) => Math.round((Math.max(-1, Math.min(1, v)) + 1) * 127.5))
const insideL1 = (outputs: (Float32Array | Uint8Array)[]) => outputs.reduce((s, o, i) => s + maskedL1(o, targets[i]!, shapes[i]!), 0) / outputs.length
const rightColours = (outputs: (Float32Array | Uint8Array)[]) =>
  outputs.filter((o, i) => nearest(meanColour(o, shapes[i]!), PAIRED_FILL) === specs[i]!.kind).length

let request: TrainRequest

beforeAll(async () => {
  await useWasm()
  root = await tempDir('ganvas-pix2pix-quality-')
  data = join(root.dir, 'pairs')
  out = join(root.dir, 'shapes-model')
  await writePairedShapes(data, { count: TRAIN_PAIRS, size: SIZE, layout: 'aligned', seed: 1 })
  dataBefore = await hashTree(data)
  request = TrainRequest.parse({
    options: { family: 'pix2pix', size: SIZE, steps: STEPS, ngf: NGF, ndf: NGF, lr: LR, seed: 0, sampleEvery: 100, checkpointEvery: 150, backend: 'wasm' },
    data: { dir: data },
    out,
  })
  hooks = recordingHooks()
  const started = performance.now()
  await runTraining(request, hooks)
  seconds = (performance.now() - started) / 1000
}, 240_000)
afterAll(() => root?.cleanup())

describe(`Pix2Pix ${SIZE} px, ngf ${NGF}, ${STEPS} steps on ${TRAIN_PAIRS} synthetic pairs (wasm)`, () => {
  it('cuts held-out L1 far below the untrained generator and below copying the input', async () => {
    const manifest = await readManifest(out)
    const trainedG = await loadNetwork(out, manifest, 'generator')
    // The untrained generator is the run's own starting point: same architecture, same init draws.
    const fresh = new Pix2PixTrainer(Pix2PixOptions.parse(request.options))
    const untrainedG = fresh.networks.generator
    const trainedOut = generate(trainedG, inputs, SIZE)
    const untrainedOut = generate(untrainedG, inputs, SIZE)
    trainedG.dispose()
    fresh.dispose()

    const l1 = { trained: meanL1(trainedOut, targets), untrained: meanL1(untrainedOut, targets), copy: copyBaseline(inputs, targets) }
    const inside = { trained: insideL1(trainedOut), untrained: insideL1(untrainedOut), copy: insideL1(inputs) }
    const colours = { trained: rightColours(trainedOut), untrained: rightColours(untrainedOut) }
    const last = hooks.steps.at(-1)!.metrics
    console.log(
      `pix2pix ${SIZE}px ngf ${NGF} ${STEPS} steps: ${seconds.toFixed(1)} s (${(STEPS / seconds).toFixed(1)} steps/s); ` +
        `held-out L1 trained ${l1.trained.toFixed(4)} untrained ${l1.untrained.toFixed(4)} copy ${l1.copy.toFixed(4)} ` +
        `(trained/untrained ${(l1.trained / l1.untrained).toFixed(3)}, trained/copy ${(l1.trained / l1.copy).toFixed(3)}); ` +
        `inside shapes trained ${inside.trained.toFixed(4)} untrained ${inside.untrained.toFixed(4)} copy ${inside.copy.toFixed(4)}; ` +
        `right colour for the shape: ${colours.trained}/16 (untrained ${colours.untrained}/16); last G_L1 ${last.G_L1?.toFixed(2)}`,
    )
    // Measured 0.091 / 0.92 = 0.10 and 0.091 / 0.249 = 0.37: asserted with 2× and 1.6× margins.
    expect(l1.trained).toBeLessThan(0.2 * l1.untrained)
    expect(l1.trained).toBeLessThan(0.6 * l1.copy)
    // It fills the shapes (measured 0.46 vs copying the white inside: 1.11).
    expect(inside.trained).toBeLessThan(0.6 * inside.copy)
  })

  it('leaves sample grids, a manifest that describes the run, and the user data untouched', async () => {
    expect(hooks.steps.filter((p) => p.sample).map((p) => basename(p.sample!))).toEqual(['step-000100.png', 'step-000200.png', 'step-000300.png'])
    const grid = await sharp(join(out, 'samples', 'step-000300.png')).metadata()
    expect([grid.format, grid.width, grid.height]).toEqual(['png', 3 * SIZE + 4 * 2, SIZE + 2 * 2]) // input | output | target

    const manifest = await readManifest(out)
    expect(manifest).toMatchObject({
      format: 'ganvas-model',
      name: 'shapes-model',
      family: 'pix2pix',
      resolution: SIZE,
      channels: 3,
      stepsDone: STEPS,
      weights: `checkpoints/step-000${STEPS}`,
      dataset: { kind: 'paired', layout: 'aligned', pairs: TRAIN_PAIRS, skipped: 0, skippedExamples: [] },
      training: { family: 'pix2pix', size: SIZE, steps: STEPS, ngf: NGF, ndf: NGF, lr: LR, direction: 'AtoB', lambdaL1: 100 },
    })
    expect(Object.keys(manifest.metrics).sort()).toEqual(['D_fake', 'D_real', 'G_GAN', 'G_L1'])
    expect(manifest.metrics).toEqual(Object.fromEntries(Object.entries(hooks.steps.at(-1)!.metrics).filter(([k]) => k in manifest.metrics)))
    expect(await hashTree(data)).toEqual(dataBefore)
  })

  it('the saved generator gives exactly the outputs of the one in memory', async () => {
    // The last sample grid was drawn by the in-memory generator right after the last step, from a
    // training input whose pixels are whole bytes: run the saved generator on that input.
    const { data: pixels, info } = await sharp(join(out, 'samples', `step-000${STEPS}.png`)).raw().toBuffer({ resolveWithObject: true })
    const cell = (col: number) => {
      const { x, y } = cellOrigin(0, col, SIZE, 2)
      const image = new Uint8Array(SIZE * SIZE * 3)
      for (let row = 0; row < SIZE; row++) image.set(pixels.subarray(((y + row) * info.width + x) * 3, ((y + row) * info.width + x + SIZE) * 3), row * SIZE * 3)
      return image
    }
    const [input, inMemoryOutput] = [cell(0), cell(1)]
    const manifest = await readManifest(out)
    const generator = await loadNetwork(out, manifest, 'generator')
    const [saved] = generate(generator, [input], SIZE)
    expect(Buffer.from(toBytes(saved!)).equals(Buffer.from(inMemoryOutput))).toBe(true)

    // Inference through the translator, twice (two loads), matches loadNetwork's predictions byte for byte.
    const expected = generate(generator, inputs, SIZE).map(toBytes)
    generator.dispose()
    for (let load = 0; load < 2; load++) {
      const translator = await loadTranslator(out)
      expect(translator).toMatchObject({ size: SIZE, direction: 'AtoB' })
      const translated = inputs.map((a) => runGenerator(translator.generator, a, SIZE))
      translator.dispose()
      translated.forEach((t, i) => expect(Buffer.from(t).equals(Buffer.from(expected[i]!)), `held-out image ${i}, load ${load}`).toBe(true))
    }
    expect(await readFile(join(out, 'manifest.json'), 'utf8')).toMatch(/"stepsDone": 300/)
  })
})
