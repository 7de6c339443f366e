/**
 * A whole run on a user's messy folder (issue 3, "Bad input"): good pairs next to every kind of bad
 * file train, and each skipped file is reported with its reason (first progress message, manifest
 * dataset summary); a folder with nothing usable fails with a DatasetError that says what to do;
 * the folder is never modified; and a run leaves no tensors behind.
 */
import { mkdir, rm } from 'node:fs/promises'
import { join } from 'node:path'
import * as tf from '@tensorflow/tfjs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { readManifest } from '../../src/engine/storage/model-folder'
import { runTraining } from '../../src/engine/training/run'
import { TrainRequest, type TrainOptionsInput } from '../../src/shared/training'
import { BAD_FILES, writeBadFiles, writePairedShapes, writeUnpairedDomains } from '../helpers/synthetic-images'
import { hashTree, recordingHooks, tempDir, useWasm } from '../helpers/train-harness'

let root: { dir: string; cleanup(): Promise<void> }
const tiny = { family: 'pix2pix', size: 32, steps: 4, ngf: 4, ndf: 4, sampleEvery: 100, checkpointEvery: 100, backend: 'wasm' } as const
const request = (options: TrainOptionsInput, data: string, out: string) => TrainRequest.parse({ options, data: { dir: data }, out: join(root.dir, out) })

/** The error a promise rejects with; fails the test if it resolves. */
async function failureOf(promise: Promise<unknown>): Promise<Error> {
  const outcome = await promise.then(
    (value) => ({ value }),
    (error: unknown) => ({ error }),
  )
  if (!('error' in outcome)) throw new Error(`expected the run to fail, but it finished: ${JSON.stringify(outcome.value)}`)
  expect(outcome.error).toBeInstanceOf(Error)
  return outcome.error as Error
}

/** Bad files the header scan catches; `truncated.png` has a good header and fails only when decoded. */
const CAUGHT_BY_SCAN = Object.entries(BAD_FILES).filter(([name]) => name !== 'truncated.png')

beforeAll(async () => {
  await useWasm()
  root = await tempDir('ganvas-bad-input-')
})
afterAll(() => root.cleanup())

describe('a folder of good pairs and bad files', () => {
  let data: string
  let before: Record<string, string>
  let hooks: ReturnType<typeof recordingHooks>
  let result: Awaited<ReturnType<typeof runTraining>>

  beforeAll(async () => {
    data = join(root.dir, 'messy')
    await writePairedShapes(data, { count: 4, size: 32, layout: 'aligned', seed: 2 })
    await writeBadFiles(data)
    before = await hashTree(data)
    hooks = recordingHooks()
    result = await runTraining(request(tiny, data, 'messy-model'), hooks)
  }, 120_000)

  it('trains on the good pairs', () => {
    expect(result).toMatchObject({ steps: 4, stopped: false })
    expect(hooks.steps.map((p) => p.step)).toEqual([1, 2, 3, 4])
  })

  it('names each bad file the scan finds, with its reason, in the first progress message', () => {
    const first = hooks.events[0]!
    expect(first.step).toBe(0)
    const message = first.message ?? ''
    expect(message).toMatch(/training pairs, \d+ files skipped/)
    for (const [name, reason] of CAUGHT_BY_SCAN) {
      const line = message.split('\n').find((l) => l.includes(name))
      expect(line, `${name} is not in the first message:\n${message}`).toBeDefined()
      expect(line, name).toMatch(reason)
    }
    expect(message).not.toMatch(/DS_Store/) // hidden files are ignored, not reported
    expect(message).not.toMatch(/shape-000\d/) // good pairs are not reported
  })

  it('records them, with reasons, in the manifest dataset summary', async () => {
    const manifest = await readManifest(join(root.dir, 'messy-model'))
    const dataset = manifest.dataset as { kind: string; layout: string; skipped: number; skippedExamples: { file: string; reason: string }[] }
    expect(dataset).toMatchObject({ kind: 'paired', layout: 'aligned' })
    expect(dataset.skipped).toBeGreaterThanOrEqual(CAUGHT_BY_SCAN.length)
    for (const [name, reason] of CAUGHT_BY_SCAN) {
      const example = dataset.skippedExamples.find((e) => e.file === name)
      expect(example, `${name} is not in the manifest: ${JSON.stringify(dataset.skippedExamples)}`).toBeDefined()
      expect(example!.reason, name).toMatch(reason)
    }
  })

  it('leaves the folder exactly as it was', async () => {
    expect(await hashTree(data)).toEqual(before)
  })

  it('reports the truncated file too: in a progress message and in the manifest, with a usable count of 4', async () => {
    const reported = hooks.events.filter((e) => e.message?.includes('truncated.png'))
    expect(reported.some((e) => BAD_FILES['truncated.png'].test(e.message!))).toBe(true)
    const manifest = await readManifest(join(root.dir, 'messy-model'))
    expect(JSON.stringify(manifest.dataset)).toMatch(/truncated\.png/)
    expect((manifest.dataset as { pairs: number }).pairs).toBe(4)
    expect(hooks.events[0]!.message).toMatch(/^4 training pairs/)
  })
})

describe('a folder with nothing usable fails with a message that says what to do', () => {
  it('an empty folder', async () => {
    const data = join(root.dir, 'empty')
    await mkdir(data, { recursive: true })
    const error = await failureOf(runTraining(request(tiny, data, 'empty-model'), recordingHooks()))
    expect(error).toBeInstanceOf(Error)
    expect(error.name).toBe('DatasetError')
    expect(error.message).toMatch(/has no images\. Put side-by-side A\|B images in the folder, or A\/ and B\/ subfolders/)
  })

  it('a folder of bad files the scan catches', async () => {
    const data = join(root.dir, 'all-bad-scan')
    await writeBadFiles(data)
    await rm(join(data, 'truncated.png'))
    const before = await hashTree(data)
    const error = await failureOf(runTraining(request(tiny, data, 'all-bad-scan-model'), recordingHooks()))
    expect(error.name).toBe('DatasetError')
    expect(error.message).toMatch(/has no usable image pairs: 5 files skipped \(/)
    expect(error.message).toMatch(/Put side-by-side A\|B images/)
    expect(error.message).not.toMatch(/\n/) // the CLI shows the first line only
    expect(await hashTree(data)).toEqual(before)
  })

  it('an unpaired folder with an empty side', async () => {
    const data = join(root.dir, 'one-sided')
    await writeUnpairedDomains(data, { count: 2, size: 32, seed: 1 })
    await rm(join(data, 'trainB'), { recursive: true })
    await mkdir(join(data, 'trainB'))
    const options = { family: 'cyclegan', size: 32, steps: 2, ngf: 4, ndf: 4, blocks: 1, backend: 'wasm' } as const
    const error = await failureOf(runTraining(request(options, data, 'one-sided-model'), recordingHooks()))
    expect(error.name).toBe('DatasetError')
    expect(error.message).toMatch(/trainB.*has no images\. Both sides need images/)
  })

  it('a folder of only bad files (a truncated PNG among them)', async () => {
    const data = join(root.dir, 'all-bad')
    await writeBadFiles(data)
    const error = await failureOf(runTraining(request(tiny, data, 'all-bad-model'), recordingHooks()))
    expect(error.name).toBe('DatasetError')
    expect(error.message).not.toMatch(/\n/)
    expect(error.message).toMatch(/has no usable image pairs: 6 files skipped/)
    expect(error.message).toMatch(/Put side-by-side A\|B images/)
  })
})

describe('tensors', () => {
  it('the count is the same after step 30 as after step 5 (samples written in between)', async () => {
    const data = join(root.dir, 'leak-steady')
    await writePairedShapes(data, { count: 3, size: 32, layout: 'aligned', seed: 6 })
    const counts: Record<number, number> = {}
    const hooks = recordingHooks()
    const progress = hooks.progress
    hooks.progress = (p) => {
      progress(p)
      if (p.step === 5 || p.step === 30) counts[p.step] = tf.memory().numTensors
    }
    await runTraining(request({ ...tiny, steps: 31, sampleEvery: 2, checkpointEvery: 1000 }, data, 'leak-steady-model'), hooks)
    expect(counts[30]).toBe(counts[5])
  }, 60_000)

  it('a finished run (with checkpoints) leaves as many tensors as there were before it', async () => {
    const data = join(root.dir, 'leak-run')
    await writePairedShapes(data, { count: 3, size: 32, layout: 'aligned', seed: 7 })
    const before = tf.memory().numTensors
    await runTraining(request({ ...tiny, steps: 6, sampleEvery: 3, checkpointEvery: 2 }, data, 'leak-run-model'), recordingHooks())
    expect(tf.memory().numTensors - before, 'tensors left behind by a finished run').toBe(0)
  })

  it('a stopped run leaves as many tensors as there were before it', async () => {
    const data = join(root.dir, 'leak-stop')
    await writePairedShapes(data, { count: 3, size: 32, layout: 'aligned', seed: 8 })
    const before = tf.memory().numTensors
    const result = await runTraining(request({ ...tiny, steps: 10 }, data, 'leak-stop-model'), recordingHooks({ stopAfter: 3 }))
    expect(result.stopped).toBe(true)
    expect(tf.memory().numTensors - before, 'tensors left behind by a stopped run').toBe(0)
  })

  it('a run that fails on its data leaks nothing', async () => {
    const data = join(root.dir, 'leak-empty')
    await mkdir(data, { recursive: true })
    const before = tf.memory().numTensors
    await expect(runTraining(request(tiny, data, 'leak-empty-model'), recordingHooks())).rejects.toThrow(/has no images/)
    expect(tf.memory().numTensors - before, 'tensors left behind by a failed run').toBe(0)
  })

  it('refusing to resume a finished run leaks nothing', async () => {
    const data = join(root.dir, 'leak-finished')
    await writePairedShapes(data, { count: 3, size: 32, layout: 'aligned', seed: 9 })
    await runTraining(request({ ...tiny, steps: 2 }, data, 'leak-finished-model'), recordingHooks())
    const before = tf.memory().numTensors
    const resume = TrainRequest.parse({ options: { ...tiny, steps: 2 }, data: { dir: data }, out: join(root.dir, 'leak-finished-model'), resume: true })
    await expect(runTraining(resume, recordingHooks())).rejects.toThrow(/nothing to resume/)
    expect(tf.memory().numTensors - before, 'tensors left behind by a refused resume').toBe(0)
  })
})
