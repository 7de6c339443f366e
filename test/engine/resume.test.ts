/**
 * Run-level resume (issue 3): a run of 2K steps straight ends with exactly the same networks,
 * optimiser state, RNG, loader position (and, for CycleGAN, image pools) as the same run stopped
 * by the host after K steps and continued with `resume: true`. On the wasm backend (one thread,
 * deterministic kernels) the comparison is bit for bit, not within a tolerance.
 *
 * Also: what resume refuses (a finished run, a folder that is not a model), a new run refusing a
 * non-empty folder, and the user's data folder left byte for byte as it was.
 */
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import * as tf from '@tensorflow/tfjs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadNetwork, loadTrainingState, readManifest } from '../../src/engine/storage/model-folder'
import { runTraining } from '../../src/engine/training/run'
import { buildTrainer } from '../../src/engine/training/families'
import { Random } from '../../src/engine/random'
import { TrainOptions, TrainRequest, type TrainOptionsInput } from '../../src/shared/training'
import { writePairedShapes, writeUnpairedDomains } from '../helpers/synthetic-images'
import { hashTree, recordingHooks, tempDir, useWasm, weightsOf, type RecordingHooks } from '../helpers/train-harness'

const K = 6
let root: { dir: string; cleanup(): Promise<void> }

beforeAll(async () => {
  await useWasm()
  root = await tempDir('ganvas-resume-')
})
afterAll(() => root.cleanup())

/** Loss terms and schedule values of a step event, without the timing ones (which differ run to run). */
const stepRecord = (hooks: RecordingHooks) =>
  hooks.steps.map(({ step, total, metrics }) => {
    const { imagesPerSec: _ips, etaSeconds: _eta, ...rest } = metrics
    return { step, total, ...rest }
  })

/** Every network weight (trainable and not: BatchNorm moving statistics too) of the current snapshot. */
async function savedNetworks(out: string): Promise<Record<string, Record<string, Float32Array>>> {
  const manifest = await readManifest(out)
  const names = (await readdir(join(out, manifest.weights), { withFileTypes: true })).filter((e) => e.isDirectory()).map((e) => e.name)
  const result: Record<string, Record<string, Float32Array>> = {}
  for (const name of names.sort()) {
    const model = await loadNetwork(out, manifest, name)
    result[name] = weightsOf(model)
    model.dispose()
  }
  return result
}

/** The current snapshot's training state: JSON (step, RNG, loader, options) and each tensor's values. */
async function savedState(out: string) {
  const manifest = await readManifest(out)
  const state = await loadTrainingState(out, manifest)
  if (!state) throw new Error(`${out} has no training state`)
  const tensors = Object.fromEntries(Object.entries(state.tensors).map(([name, t]) => [name, { shape: t.shape, values: Array.from(t.dataSync()) }]))
  tf.dispose(Object.values(state.tensors))
  return { json: state.json, tensors }
}

/** Compares float arrays bit for bit (NaN included), naming the first weight that differs. */
function expectSameBits(actual: Record<string, Record<string, Float32Array>>, expected: Record<string, Record<string, Float32Array>>) {
  expect(Object.keys(actual).sort()).toEqual(Object.keys(expected).sort())
  for (const net of Object.keys(expected)) {
    expect(Object.keys(actual[net]!).sort(), net).toEqual(Object.keys(expected[net]!).sort())
    for (const [name, values] of Object.entries(expected[net]!)) {
      const a = new Uint32Array(actual[net]![name]!.buffer.slice(0))
      const e = new Uint32Array(values.buffer.slice(0))
      const firstDiff = e.findIndex((v, i) => v !== a[i])
      expect(firstDiff, `${net}/${name} differs at index ${firstDiff}`).toBe(-1)
    }
  }
}

const families: { family: string; count: number; networks: string[]; options: TrainOptionsInput; write: (dir: string) => Promise<unknown> }[] = [
  {
    family: 'pix2pix',
    count: 5,
    networks: ['discriminator', 'generator'],
    // 5 pairs: the resumed half crosses an epoch boundary (the reshuffle must match too).
    options: { family: 'pix2pix', size: 32, steps: 2 * K, ngf: 8, ndf: 8, seed: 7, sampleEvery: 5, checkpointEvery: 4, backend: 'wasm' },
    write: (dir) => writePairedShapes(dir, { count: 5, size: 32, layout: 'aligned', seed: 3 }),
  },
  {
    family: 'cyclegan',
    count: 4,
    networks: ['discriminator_A', 'discriminator_B', 'generator_AtoB', 'generator_BtoA'],
    // A pool of 3 is full after 3 steps, so the resumed half swaps images in and out of a restored pool.
    options: { family: 'cyclegan', size: 32, steps: 2 * K, ngf: 4, ndf: 4, blocks: 2, poolSize: 3, seed: 7, sampleEvery: 5, checkpointEvery: 4, backend: 'wasm' },
    write: (dir) => writeUnpairedDomains(dir, { count: 4, size: 32, seed: 3 }),
  },
]

describe.each(families)('$family: 2K steps straight = K steps, stop, resume, K more', ({ family, networks, options, write }) => {
  it(
    'ends with the same weights, optimiser state, RNG, loader and losses, bit for bit',
    async () => {
      const data = join(root.dir, `${family}-data`)
      await write(data)
      const dataBefore = await hashTree(data)
      const request = (out: string, resume = false) => TrainRequest.parse({ options, data: { dir: data }, out: join(root.dir, out), resume })

      const straight = recordingHooks()
      const resultA = await runTraining(request(`${family}-straight`), straight)
      expect(resultA).toMatchObject({ steps: 2 * K, stopped: false })

      const first = recordingHooks({ stopAfter: K })
      const resultB1 = await runTraining(request(`${family}-resumed`), first)
      expect(resultB1).toMatchObject({ steps: K, stopped: true })
      const stoppedManifest = await readManifest(join(root.dir, `${family}-resumed`))
      expect(stoppedManifest.stepsDone).toBe(K)
      expect(stoppedManifest.weights).toBe(`checkpoints/step-${String(K).padStart(6, '0')}`)

      const second = recordingHooks()
      const resultB2 = await runTraining(request(`${family}-resumed`, true), second)
      expect(resultB2).toMatchObject({ steps: 2 * K, stopped: false })

      // The first event of the resumed run reports where it continues from.
      expect(second.events[0]).toMatchObject({ step: K, total: 2 * K })
      // Losses (and lr, epoch) step for step: the first half before the stop, the second after the resume.
      expect(stepRecord(first)).toEqual(stepRecord(straight).slice(0, K))
      expect(stepRecord(second)).toEqual(stepRecord(straight).slice(K))
      expect(second.steps.map((p) => p.step)).toEqual(Array.from({ length: K }, (_, i) => K + 1 + i))

      const outA = join(root.dir, `${family}-straight`)
      const outB = join(root.dir, `${family}-resumed`)
      const [manifestA, manifestB] = await Promise.all([readManifest(outA), readManifest(outB)])
      expect(manifestB.stepsDone).toBe(2 * K)
      expect(manifestB.weights).toBe(manifestA.weights)
      expect(manifestB.metrics).toEqual(manifestA.metrics)

      const [netsA, netsB] = [await savedNetworks(outA), await savedNetworks(outB)]
      expect(Object.keys(netsA)).toEqual(networks)
      expectSameBits(netsB, netsA)
      const [stateA, stateB] = [await savedState(outA), await savedState(outB)]
      expect(stateB.json).toEqual(stateA.json) // step, RNG state, loader position, options
      expect(Object.keys(stateB.tensors).sort()).toEqual(Object.keys(stateA.tensors).sort())
      for (const name of Object.keys(stateA.tensors)) expect(stateB.tensors[name], name).toEqual(stateA.tensors[name])
      if (family === 'cyclegan') expect(Object.keys(stateA.tensors).filter((n) => n.startsWith('poolFake'))).toHaveLength(6)

      // The sample written after the resume is the image the straight run wrote at that step.
      const sample = `step-${String(2 * K).padStart(6, '0')}.png`
      expect(await readFile(join(outB, 'samples', sample))).toEqual(await readFile(join(outA, 'samples', sample)))

      expect(await hashTree(data)).toEqual(dataBefore) // the user's folder: untouched
    },
    180_000,
  )
})

describe('a run is repeatable from its seed', () => {
  it('two new trainers with the same seed start from the same weights', async () => {
    const options = TrainOptions.parse({ family: 'pix2pix', size: 32, steps: 10, ngf: 4, ndf: 4, seed: 3 })
    const [x, y] = [await buildTrainer(options), await buildTrainer(options)]
    try {
      expectSameBits(
        Object.fromEntries(Object.entries(x.networks).map(([n, m]) => [n, weightsOf(m)])),
        Object.fromEntries(Object.entries(y.networks).map(([n, m]) => [n, weightsOf(m)])),
      )
    } finally {
      x.dispose()
      y.dispose()
    }
  })
})

describe('what a run refuses', () => {
  const options = { family: 'pix2pix', size: 32, steps: 3, ngf: 4, ndf: 4, sampleEvery: 100, checkpointEvery: 100, backend: 'wasm' } as const
  let data: string
  let dataBefore: Record<string, string>
  beforeAll(async () => {
    data = join(root.dir, 'refusals-data')
    await writePairedShapes(data, { count: 3, size: 32, layout: 'aligned', seed: 5 })
    dataBefore = await hashTree(data)
  })
  afterAll(async () => {
    expect(await hashTree(data)).toEqual(dataBefore)
  })

  it('resuming a finished run says there is nothing to resume', async () => {
    const out = join(root.dir, 'finished')
    await runTraining(TrainRequest.parse({ options, data: { dir: data }, out }), recordingHooks())
    const before = await hashTree(out)
    await expect(runTraining(TrainRequest.parse({ options, data: { dir: data }, out, resume: true }), recordingHooks())).rejects.toThrow(
      /already finished its 3 steps; there is nothing to resume/,
    )
    expect(await hashTree(out)).toEqual(before)
  })

  it('resuming a folder that is not a model says so and what to pick', async () => {
    const out = join(root.dir, 'not-a-model')
    await mkdir(out, { recursive: true })
    await writeFile(join(out, 'holiday.jpg'), 'not really a photo')
    await expect(runTraining(TrainRequest.parse({ options, data: { dir: data }, out, resume: true }), recordingHooks())).rejects.toThrow(
      /is not a Ganvas model: manifest\.json is missing/,
    )
    expect(await readdir(out)).toEqual(['holiday.jpg'])
    const missing = join(root.dir, 'no-such-folder')
    await expect(runTraining(TrainRequest.parse({ options, data: { dir: data }, out: missing, resume: true }), recordingHooks())).rejects.toThrow(
      /is not a Ganvas model/,
    )
  })

  it('a new run into a non-empty folder is refused with a message that mentions --resume', async () => {
    const out = join(root.dir, 'occupied')
    await mkdir(out, { recursive: true })
    await writeFile(join(out, 'notes.txt'), 'mine')
    const before = await hashTree(out)
    await expect(runTraining(TrainRequest.parse({ options, data: { dir: data }, out }), recordingHooks())).rejects.toThrow(
      /already exists and is not empty: pass --resume/,
    )
    expect(await hashTree(out)).toEqual(before)
    // …and so is a second new run into a finished model.
    await expect(runTraining(TrainRequest.parse({ options, data: { dir: data }, out: join(root.dir, 'finished') }), recordingHooks())).rejects.toThrow(
      /--resume/,
    )
  })
})
