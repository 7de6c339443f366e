/**
 * A training run from start (or resume) to finish, for any family: the loop, the learning-rate
 * schedule, progress, sample grids and atomic checkpoints. One options object in, progress and
 * cancellation through hooks (as stylegan2-ada's training loop takes them).
 */
import { mkdir, readdir } from 'node:fs/promises'
import { join } from 'node:path'
import * as tf from '@tensorflow/tfjs'
import type { ModelManifest } from '../../shared/schemas'
import { TrainOptions, type TrainRequest } from '../../shared/training'
import { composeGrid } from '../images/grid'
import { tensorToRgbBytes } from '../images/convert'
import { CancelledByHost, type JobHooks } from '../job-hooks'
import { Random } from '../random'
import { writeFileAtomic } from '../storage/atomic-write'
import { readManifest, saveSnapshot } from '../storage/model-folder'
import type { Batch as LoaderBatch } from '../data/loader'
import type { Skipped } from '../data/types'
import { openDataset, type TrainingData } from './dataset'
import { learningRateAt } from './schedule'
import { buildTrainer, restoreTrainer } from './families'
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

/** Where a run starts: fresh (or fine-tuning) or from its last checkpoint. */
interface Start {
  options: TrainOptions
  trainer: Trainer
  random: Random
  step: number
  loaderState?: unknown
  previous: ModelManifest | null
}

async function prepare(request: TrainRequest): Promise<Start> {
  if (!request.resume) {
    await refuseExistingModel(request.out)
    const options = request.options
    return { options, trainer: await buildTrainer(options, request.from), random: new Random(options.seed), step: 0, previous: null }
  }
  const previous = await readManifest(request.out)
  const planned = TrainOptions.safeParse(previous.training)
  if (planned.success && previous.stepsDone >= planned.data.steps) {
    throw new Error(`${request.out} already finished its ${planned.data.steps} steps; there is nothing to resume`)
  }
  const { trainer, options, random, loaderState } = await restoreTrainer(request.out, previous)
  return { options, trainer, random, step: previous.stepsDone, loaderState, previous }
}

export async function runTraining(request: TrainRequest, hooks: TrainHooks, version = '0.0.0'): Promise<TrainResult> {
  const start = await prepare(request)
  try {
    return await train(request, start, hooks, version)
  } finally {
    start.trainer.dispose()
  }
}

async function train(request: TrainRequest, start: Start, hooks: TrainHooks, version: string): Promise<TrainResult> {
  const { trainer, random, previous } = start
  const out = request.out
  let { options, step } = start
  const startStep = step
  // A file that stops decoding mid-run (deleted, truncated) is replaced by the next one and reported.
  const reportSkip = (skipped: Skipped) =>
    hooks.progress({ step, total: options.steps, metrics: {}, message: `skipped ${skipped.path}: ${skipped.reason}` })
  // A resumed loader continues from its own saved RNG; forking here would shift the run's stream.
  const data = await openDataset(options, request.data, start.loaderState ? random : random.fork(), start.loaderState, reportSkip)
  const loader = data.loader
  try {
    if (request.epochs && !request.resume) options = { ...options, steps: request.epochs * loader.stepsPerEpoch }
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
        const next = await loader.next()
        step++
        const lr = learningRateAt(step, options)
        trainer.setLearningRate(lr)
        const batch = toTensors(next)
        try {
          losses = await trainer.step(batch, random)
          const sample = step % options.sampleEvery === 0 || step === options.steps ? await writeSample(out, step, trainer, batch) : undefined
          const imagesPerSec = ((step - startStep) * next.batch) / ((performance.now() - started) / 1000)
          const etaSeconds = ((options.steps - step) * next.batch) / imagesPerSec
          hooks.progress({
            step,
            total: options.steps,
            metrics: { ...losses, imagesPerSec, etaSeconds, epoch: loader.epoch, lr },
            ...(sample ? { sample } : {}),
          })
        } finally {
          tf.dispose([batch.a, batch.b])
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
  } finally {
    await loader.dispose()
  }
}

/** "40 training pairs, 3 files skipped:" and every skipped file with its reason. */
function describeData(options: TrainOptions, data: TrainingData): string {
  const what = `${data.usable} training ${options.family === 'pix2pix' ? 'pairs' : 'images'}`
  if (data.skipped.length === 0) return what
  return `${what}, ${data.skipped.length} files skipped:${data.skipped.map((s) => `\n  ${s.path}: ${s.reason}`).join('')}`
}

function toTensors(next: LoaderBatch): Batch {
  const shape: [number, number, number, number] = [next.batch, next.size, next.size, 3]
  return { a: tf.tensor4d(next.a, shape), b: tf.tensor4d(next.b, shape) }
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

async function refuseExistingModel(out: string): Promise<void> {
  const entries = await readdir(out).catch(() => null)
  if (entries && entries.length > 0) {
    throw new Error(`${out} already exists and is not empty: pass --resume to continue that run, or choose another --out`)
  }
}
