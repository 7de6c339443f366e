/**
 * A training run from start (or resume) to finish, for any family: the loop, the learning-rate
 * schedule, progress, sample grids and atomic checkpoints. One options object in, progress and
 * cancellation through hooks (as stylegan2-ada's training loop takes them).
 */
import { appendFile, mkdir, readdir } from 'node:fs/promises'
import { basename, join } from 'node:path'
import * as tf from '@tensorflow/tfjs'
import type { ModelManifest } from '../../shared/schemas'
import { optimiserSettings, TrainOptions, type TrainRequest } from '../../shared/training'
import { composeGrid } from '../images/grid'
import { tensorToRgbBytes } from '../images/convert'
import { CancelledByHost, type JobHooks } from '../job-hooks'
import { Random } from '../random'
import { writeFileAtomic } from '../storage/atomic-write'
import { readManifest, saveSnapshot } from '../storage/model-folder'
import type { BatchLoader, Batch as LoaderBatch } from '../data/loader'
import type { Skipped } from '../data/types'
import { openDataset, type TrainingData } from './dataset'
import { learningRateAt } from './schedule'
import { buildTrainer, fineTuneOptionsFrom, restoreTrainer } from './families'
import type { Batch, Trainer } from './trainer'

export interface TrainHooks extends JobHooks {
  /** Resolves at once unless the run is paused; then when it is resumed. */
  waitWhilePaused?(): Promise<void>
}

export interface TrainResult {
  model: string
  steps: number
  stopped: boolean
  losses: Record<string, number>
}

/** Where a run starts: fresh (or fine-tuning) or from its last checkpoint, with its data opened. */
interface Start {
  options: TrainOptions
  trainer: Trainer
  random: Random
  step: number
  previous: ModelManifest | null
  data: TrainingData
}

/** Files that stop decoding mid-run are reported through this, once the run's hooks exist. */
type SkipReporter = { report: (skipped: Skipped) => void }

async function prepare(request: TrainRequest, skips: SkipReporter): Promise<Start> {
  const onSkip = (skipped: Skipped) => skips.report(skipped)
  if (!request.resume) {
    await refuseExistingModel(request.out)
    const random = new Random(request.options.seed)
    const data = await openDataset(request.options, request.data, random.fork(), undefined, onSkip)
    try {
      const options = request.from
        ? await fineTuneOptionsFrom(withDataClasses(request.options, data), request.from)
        : withDataClasses(request.options, data)
      return { options, trainer: await buildTrainer(options, request.from), random, step: 0, previous: null, data }
    } catch (error) {
      await data.loader.dispose()
      throw error
    }
  }
  const previous = await readManifest(request.out)
  const planned = TrainOptions.safeParse(previous.training)
  if (planned.success && previous.stepsDone >= planned.data.steps) {
    throw new Error(`${request.out} already finished its ${planned.data.steps} steps; there is nothing to resume`)
  }
  const { trainer, options, random, loaderState } = await restoreTrainer(request.out, previous)
  try {
    // A resumed loader continues from its own saved RNG; forking here would shift the run's stream.
    const data = await openDataset(options, request.data, random, loaderState, onSkip)
    if (options.family === 'dcgan' && (options.classes ?? null)?.join('\n') !== (data.classes ?? null)?.join('\n')) {
      await data.loader.dispose()
      throw new Error(`the data's class folders (${data.classes?.join(', ') ?? 'none'}) are not the ones this run started with (${options.classes?.join(', ') ?? 'none'})`)
    }
    return { options, trainer, random, step: previous.stepsDone, previous, data }
  } catch (error) {
    trainer.dispose()
    throw error
  }
}

/** A face generator is conditioned on the classes its data folder has. */
function withDataClasses(options: TrainOptions, data: TrainingData): TrainOptions {
  return options.family === 'dcgan' ? { ...options, classes: data.classes } : options
}

export async function runTraining(request: TrainRequest, hooks: TrainHooks, version = '0.0.0'): Promise<TrainResult> {
  const skips: SkipReporter = { report: () => undefined }
  const start = await prepare(request, skips)
  try {
    return await train(request, start, hooks, version, skips)
  } finally {
    start.trainer.dispose()
    await start.data.loader.dispose()
  }
}

async function train(request: TrainRequest, start: Start, hooks: TrainHooks, version: string, skips: SkipReporter): Promise<TrainResult> {
  const { trainer, random, previous, data } = start
  const out = request.out
  let { options, step } = start
  const startStep = step
  // A file that stops decoding mid-run (deleted, truncated) is replaced by the next one and reported.
  skips.report = (skipped: Skipped) =>
    hooks.progress({ step, total: options.steps, metrics: {}, message: `skipped ${skipped.path}: ${skipped.reason}` })
  const loader = data.loader
  const batchesPerStep = trainer.batchesPerStep ?? 1
  if (request.epochs && !request.resume) options = { ...options, steps: Math.max(1, Math.floor((request.epochs * loader.stepsPerEpoch) / batchesPerStep)) }
  hooks.progress({ step, total: options.steps, metrics: {}, message: describeData(options, data) })
  const manifestBase: Omit<ModelManifest, 'weights'> = {
    format: 'ganvas-model',
    formatVersion: 1,
    name: request.name ?? previous?.name ?? out.split(/[\\/]/).pop() ?? 'model',
    family: options.family,
    resolution: options.size,
    channels: 3,
    training: { ...options, ganvasVersion: version, from: request.from ?? previous?.training.from ?? null },
    stepsDone: step,
    dataset: null,
    metrics: {},
    created: previous?.created ?? new Date().toISOString(),
  }
  await mkdir(join(out, 'samples'), { recursive: true })

  const checkpoint = async (losses: Record<string, number>) => {
    const tensors = await trainer.stateTensors()
    // Files that stopped decoding during the run are listed with those the scan skipped.
    const dataset = { ...data.summary, skippedWhileTraining: loader.skipped }
    try {
      await saveSnapshot(out, { ...manifestBase, dataset, metrics: losses }, step, {
        networks: trainer.networks,
        state: { json: { step, random: random.state, loader: loader.checkpointState(), options }, tensors },
      })
    } finally {
      tf.dispose(tensors.map((t) => t.tensor))
    }
  }

  let losses: Record<string, number> = {}
  const started = performance.now()
  try {
    while (step < options.steps) {
      await hooks.waitWhilePaused?.()
      hooks.throwIfCancelled()
      const next = await nextBatches(loader, batchesPerStep)
      step++
      const lr = learningRateAt(step, { ...options, lr: optimiserSettings(options).lr })
      trainer.setLearningRate(lr)
      const batch = toTensors(next)
      try {
        losses = await trainer.step(batch, random)
        const sample = step % options.sampleEvery === 0 || step === options.steps ? await writeSample(out, step, trainer, batch) : undefined
        const imagesPerSec = ((step - startStep) * next.batch) / ((performance.now() - started) / 1000)
        const etaSeconds = ((options.steps - step) * next.batch) / imagesPerSec
        const metrics = { ...losses, imagesPerSec, etaSeconds, epoch: loader.epoch, lr }
        hooks.progress({ step, total: options.steps, metrics, ...(sample ? { sample } : {}) })
        await appendHistory(out, { step, time: Date.now(), metrics, ...(sample ? { sample: basename(sample) } : {}) })
      } finally {
        tf.dispose(Object.values(batch))
      }
      if (step % options.checkpointEvery === 0 && step < options.steps) await checkpoint(losses)
      await hooks.yield()
    }
  } catch (error) {
    if (!(error instanceof CancelledByHost)) throw error
    // Stop: keep what was learned, so the run can be resumed from here.
    if (step > startStep) await checkpoint(losses)
    return { model: out, steps: step, stopped: true, losses }
  }
  await checkpoint(losses)
  return { model: out, steps: step, stopped: false, losses }
}

/** "40 training pairs, 3 files skipped:" and every skipped file with its reason. */
function describeData(options: TrainOptions, data: TrainingData): string {
  const classes = data.classes ? ` in ${data.classes.length} classes (${data.classes.join(', ')})` : ''
  const what = `${data.usable} training ${options.family === 'pix2pix' ? 'pairs' : 'images'}${classes}`
  if (data.skipped.length === 0) return what
  return `${what}, ${data.skipped.length} files skipped:${data.skipped.map((s) => `\n  ${s.path}: ${s.reason}`).join('')}`
}

function toTensors(next: LoaderBatch): Batch {
  const shape: [number, number, number, number] = [next.batch, next.size, next.size, 3]
  return {
    a: tf.tensor4d(next.a, shape),
    ...(next.b ? { b: tf.tensor4d(next.b, shape) } : {}),
    ...(next.labels ? { labels: tf.tensor1d(next.labels, 'int32') } : {}),
  }
}

/** `count` loader batches as one (a WGAN critic step takes one real batch per critic update). */
async function nextBatches(loader: BatchLoader, count: number): Promise<LoaderBatch> {
  const first = await loader.next()
  if (count === 1) return first
  const rest: LoaderBatch[] = []
  for (let i = 1; i < count; i++) rest.push(await loader.next())
  const all = [first, ...rest]
  const join = <T extends Float32Array | Int32Array>(parts: (T | null)[], make: (n: number) => T): T | null => {
    if (parts.some((p) => p === null)) return null
    const out = make(parts.reduce((n, p) => n + p!.length, 0))
    let offset = 0
    for (const p of parts) {
      out.set(p!, offset)
      offset += p!.length
    }
    return out
  }
  return {
    ...first,
    a: join(all.map((b) => b.a), (n) => new Float32Array(n))!,
    b: join(all.map((b) => b.b), (n) => new Float32Array(n)),
    labels: join(all.map((b) => b.labels), (n) => new Int32Array(n)),
    batch: first.batch * count,
    names: all.flatMap((b) => b.names),
  }
}

async function writeSample(out: string, step: number, trainer: Trainer, batch: Batch): Promise<string> {
  const columns = trainer.visuals(batch)
  try {
    const size = batch.a.shape[1]
    const rows: Uint8Array[][] = []
    for (let r = 0; r < columns[0]!.shape[0]; r++) {
      rows.push(columns.map((column) => tf.tidy(() => tensorToRgbBytes(column.slice([r], [1]).squeeze([0]) as tf.Tensor3D))))
    }
    const png = await composeGrid(rows, size)
    const path = join(out, 'samples', `step-${String(step).padStart(6, '0')}.png`)
    await writeFileAtomic(path, png)
    return path
  } finally {
    tf.dispose(columns)
  }
}

/**
 * One JSON line per step in the model folder's history.jsonl, for the studio's charts after a
 * reload. A resumed run appends again from its checkpoint: readers keep the last line per step.
 */
export const HISTORY_FILE = 'history.jsonl'
async function appendHistory(out: string, entry: { step: number; time: number; metrics: Record<string, number>; sample?: string }) {
  await appendFile(join(out, HISTORY_FILE), `${JSON.stringify(entry)}\n`)
}

async function refuseExistingModel(out: string): Promise<void> {
  const entries = await readdir(out).catch(() => null)
  if (entries && entries.length > 0) {
    throw new Error(`${out} already exists and is not empty: pass --resume to continue that run, or choose another --out`)
  }
}
