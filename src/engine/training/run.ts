/**
 * A training run from start (or resume) to finish, for any family: the loop, the learning-rate
 * schedule, progress, sample grids and atomic checkpoints. One options object in, progress and
 * cancellation through hooks (as stylegan2-ada's training loop takes them).
 */
import { mkdir, readdir } from 'node:fs/promises'
import { join } from 'node:path'
import * as tf from '@tensorflow/tfjs'
import type { ModelManifest } from '../../shared/schemas'
import type { TrainOptions, TrainRequest } from '../../shared/training'
import { composeGrid } from '../images/grid'
import { tensorToRgbBytes } from '../images/convert'
import { CancelledByHost, type JobHooks } from '../job-hooks'
import { Random } from '../random'
import { writeFileAtomic } from '../storage/atomic-write'
import { readManifest, saveSnapshot } from '../storage/model-folder'
import type { Batch as LoaderBatch } from '../data/loader'
import { openDataset } from './dataset'
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

export async function runTraining(request: TrainRequest, hooks: TrainHooks, version = '0.0.0'): Promise<TrainResult> {
  const out = request.out
  let options: TrainOptions = request.options
  let startStep = 0
  let trainer: Trainer
  let random: Random
  let loaderState: unknown
  let previous: ModelManifest | null = null

  if (request.resume) {
    previous = await readManifest(out)
    const restored = await restoreTrainer(out, previous)
    ;({ trainer, options, random, loaderState } = restored)
    startStep = previous.stepsDone
    if (startStep >= options.steps) throw new Error(`${out} already finished its ${options.steps} steps; there is nothing to resume`)
  } else {
    await refuseExistingModel(out)
    random = new Random(options.seed)
    trainer = await buildTrainer(options, random, request.from)
  }

  // A resumed loader continues from its own saved RNG; forking here would shift the run's stream.
  let step = startStep
  // A file that stops decoding mid-run (deleted, truncated) is replaced by the next one and reported.
  const reportSkip = (skipped: { path: string; reason: string }) =>
    hooks.progress({ step, total: options.steps, metrics: {}, message: `skipped ${skipped.path}: ${skipped.reason}` })
  const { loader: data, summary, usable } = await openDataset(options, request.data, loaderState ? random : random.fork(), loaderState, reportSkip)
  if (request.epochs && !request.resume) options = { ...options, steps: request.epochs * data.stepsPerEpoch }
  const skippedNote = summary.skippedExamples.map((s) => `\n  skipped ${s.file}: ${s.reason}`).join('')
  hooks.progress({
    step: startStep,
    total: options.steps,
    metrics: {},
    message: `${usable} training ${options.family === 'pix2pix' ? 'pairs' : 'images'}${summary.skipped ? `, ${summary.skipped} files skipped:${skippedNote}${summary.skipped > summary.skippedExamples.length ? '\n  …' : ''}` : ''}`,
  })
  const manifestBase: Omit<ModelManifest, 'weights'> = {
    format: 'ganvas-model',
    formatVersion: 1,
    name: request.name ?? previous?.name ?? out.split(/[\\/]/).pop() ?? 'model',
    family: options.family,
    resolution: options.size,
    channels: 3,
    training: { ...options, ganvasVersion: version, from: request.from ?? previous?.training.from ?? null },
    stepsDone: startStep,
    dataset: summary as unknown as Record<string, unknown>,
    metrics: {},
    created: previous?.created ?? new Date().toISOString(),
  }
  await mkdir(join(out, 'samples'), { recursive: true })

  const checkpoint = async (step: number, losses: Record<string, number>) => {
    const tensors = await trainer.stateTensors()
    await saveSnapshot(out, { ...manifestBase, metrics: losses }, step, {
      networks: trainer.networks,
      state: { json: { step, random: random.state, loader: data.checkpointState(), options }, tensors },
    })
  }

  let losses: Record<string, number> = {}
  const started = performance.now()
  try {
    while (step < options.steps) {
      await hooks.waitWhilePaused?.()
      hooks.throwIfCancelled()
      const next = await data.next()
      step++
      trainer.setLearningRate(learningRateAt(step, options))
      const batch = toTensors(next)
      try {
        losses = await trainer.step(batch, random)
        let sample: string | undefined
        if (step % options.sampleEvery === 0 || step === options.steps) sample = await writeSample(out, step, trainer, batch)
        const elapsed = (performance.now() - started) / 1000
        const imagesPerSec = ((step - startStep) * next.batch) / elapsed
        hooks.progress({
          step,
          total: options.steps,
          metrics: {
            ...losses,
            imagesPerSec,
            etaSeconds: ((options.steps - step) * next.batch) / imagesPerSec,
            epoch: data.epoch,
            lr: learningRateAt(step, options),
          },
          ...(sample ? { sample } : {}),
        })
      } finally {
        tf.dispose([batch.a, batch.b])
      }
      if (step % options.checkpointEvery === 0 && step < options.steps) await checkpoint(step, losses)
      await hooks.yield()
    }
  } catch (error) {
    if (!(error instanceof CancelledByHost)) throw error
    // Stop: keep what was learned, so the run can be resumed from here.
    if (step > startStep) await checkpoint(step, losses)
    return finish(true)
  } finally {
    await data.dispose()
  }
  await checkpoint(step, losses)
  return finish(false)

  function finish(stopped: boolean): TrainResult {
    trainer.dispose()
    return { model: out, steps: step, stopped, losses }
  }
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
