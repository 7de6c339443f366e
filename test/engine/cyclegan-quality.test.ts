/**
 * CycleGAN moves images toward the other domain (issue 3, "Tests"): a short run through
 * runTraining on two unpaired synthetic domains (A: warm shapes on a light background, B: cool
 * shapes on a dark one) at 32 px on wasm; held-out A images translated by G_AtoB must end up much
 * closer to their known B rendering (`knownMapping`) than the untrained generator's output and
 * than the untranslated input.
 *
 * Measured here (2 cores, wasm, the configuration below; L1 in [-1, 1] units on 16 held-out A
 * images from randomSpecs(16, 999), generator in inference mode):
 *   trained 0.124 · untrained (the run's own initial G_AtoB) 0.683 · untranslated input 1.477
 *   inside the shapes only: trained 0.400 · untrained 0.498 · input 0.920
 *   every one of the 16 held-out images ends closer to its target than both baselines
 *   120 steps took 25 s (4.9 steps/s). What a run this short learns is the domain's look (dark
 *   background, cool fill): which B colour goes with which shape stays at chance (4/16 nearest
 *   right; 240 steps gave 3/16), so that is reported, not asserted.
 */
import { join } from 'node:path'
import { CycleGanTrainer } from '../../src/engine/training/cyclegan'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadNetwork, readManifest } from '../../src/engine/storage/model-folder'
import { runTraining } from '../../src/engine/training/run'
import { CycleGanOptions, TrainRequest } from '../../src/shared/training'
import { DOMAIN_A, DOMAIN_B, knownMapping, randomSpecs, renderDomain, writeUnpairedDomains } from '../helpers/synthetic-images'
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
const STEPS = 120
const NGF = 8
const BLOCKS = 2
const LR = 1e-3 // 5× the published rate, for a run of a hundred-odd steps
const IMAGES = 20 // per domain

let root: { dir: string; cleanup(): Promise<void> }
let data: string
let out: string
let dataBefore: Record<string, string>
let hooks: ReturnType<typeof recordingHooks>
let seconds: number

const specs = randomSpecs(16, 999)
const inputs = specs.map((s) => renderDomain(s, SIZE, 'A'))
const targets = inputs.map((a) => knownMapping(a))
const shapes = inputs.map((a) => maskWhere(a, DOMAIN_A.background))
const insideL1 = (outputs: (Float32Array | Uint8Array)[]) => outputs.reduce((s, o, i) => s + maskedL1(o, targets[i]!, shapes[i]!), 0) / outputs.length
const perImage = (outputs: (Float32Array | Uint8Array)[]) => outputs.map((o, i) => maskedL1(o, targets[i]!, Array.from({ length: SIZE * SIZE }, (_, p) => p)))
const rightColours = (outputs: (Float32Array | Uint8Array)[]) =>
  outputs.filter((o, i) => nearest(meanColour(o, shapes[i]!), DOMAIN_B.fill) === specs[i]!.kind).length

let request: TrainRequest

beforeAll(async () => {
  await useWasm()
  root = await tempDir('ganvas-cyclegan-quality-')
  data = join(root.dir, 'domains')
  out = join(root.dir, 'warm-to-cool')
  await writeUnpairedDomains(data, { count: IMAGES, size: SIZE, seed: 1 })
  dataBefore = await hashTree(data)
  request = TrainRequest.parse({
    options: { family: 'cyclegan', size: SIZE, steps: STEPS, ngf: NGF, ndf: NGF, blocks: BLOCKS, lr: LR, seed: 0, sampleEvery: 60, checkpointEvery: 1000, backend: 'wasm' },
    data: { dir: data },
    out,
  })
  hooks = recordingHooks()
  const started = performance.now()
  await runTraining(request, hooks)
  seconds = (performance.now() - started) / 1000
}, 240_000)
afterAll(() => root?.cleanup())

describe(`CycleGAN ${SIZE} px, ngf ${NGF}, ${BLOCKS} blocks, ${STEPS} steps on ${IMAGES}+${IMAGES} unpaired images (wasm)`, () => {
  it('moves held-out A images measurably toward their known B rendering', async () => {
    const manifest = await readManifest(out)
    const trainedG = await loadNetwork(out, manifest, 'generator_AtoB')
    // generator_AtoB is built first, so with the same Math.random draws this is the run's starting point.
    const fresh = new CycleGanTrainer(CycleGanOptions.parse(request.options))
    const untrainedG = fresh.networks.generator_AtoB
    const trainedOut = generate(trainedG, inputs, SIZE)
    const untrainedOut = generate(untrainedG, inputs, SIZE)
    trainedG.dispose()
    fresh.dispose()

    const l1 = { trained: meanL1(trainedOut, targets), untrained: meanL1(untrainedOut, targets), copy: copyBaseline(inputs, targets) }
    const inside = { trained: insideL1(trainedOut), untrained: insideL1(untrainedOut), copy: insideL1(inputs) }
    const [trainedEach, untrainedEach, copyEach] = [perImage(trainedOut), perImage(untrainedOut), perImage(inputs)]
    const closer = trainedEach.filter((t, i) => t < untrainedEach[i]! && t < copyEach[i]!).length
    console.log(
      `cyclegan ${SIZE}px ngf ${NGF} blocks ${BLOCKS} ${STEPS} steps: ${seconds.toFixed(1)} s (${(STEPS / seconds).toFixed(2)} steps/s); ` +
        `held-out L1 to knownMapping(A): trained ${l1.trained.toFixed(4)} untrained ${l1.untrained.toFixed(4)} input ${l1.copy.toFixed(4)} ` +
        `(trained/untrained ${(l1.trained / l1.untrained).toFixed(3)}, trained/input ${(l1.trained / l1.copy).toFixed(3)}); ` +
        `inside shapes trained ${inside.trained.toFixed(4)} untrained ${inside.untrained.toFixed(4)} input ${inside.copy.toFixed(4)}; ` +
        `closer than both baselines: ${closer}/16; right B colour for the shape: ${rightColours(trainedOut)}/16 (untrained ${rightColours(untrainedOut)}/16)`,
    )
    // Measured 0.124 / 0.683 = 0.18 and 0.124 / 1.477 = 0.084: asserted with margins of 2.2× and 2.4×.
    expect(l1.trained).toBeLessThan(0.4 * l1.untrained)
    expect(l1.trained).toBeLessThan(0.2 * l1.copy)
    expect(closer).toBeGreaterThanOrEqual(15) // measured 16/16
    expect(inside.trained).toBeLessThan(0.6 * inside.copy) // measured 0.400 vs 0.920
  })

  it('writes its samples and manifest, and leaves the data folder untouched', async () => {
    expect(hooks.steps.filter((p) => p.sample).map((p) => p.step)).toEqual([60, 120])
    const manifest = await readManifest(out)
    expect(manifest).toMatchObject({
      family: 'cyclegan',
      resolution: SIZE,
      stepsDone: STEPS,
      dataset: { kind: 'unpaired', a: IMAGES, b: IMAGES, skipped: 0 },
      training: { family: 'cyclegan', ngf: NGF, blocks: BLOCKS, poolSize: 50, lambdaA: 10, lambdaB: 10, lambdaIdentity: 0.5 },
    })
    expect(Object.keys(manifest.metrics).sort()).toEqual(['D_A', 'D_B', 'G_A', 'G_B', 'cycle_A', 'cycle_B', 'idt_A', 'idt_B'])
    expect(await hashTree(data)).toEqual(dataBefore)
  })
})
