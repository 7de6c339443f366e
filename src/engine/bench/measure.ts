/**
 * Times one benchmark row on the active TF.js backend, in this process: builds the networks (or
 * the trainer, or a saved model folder), runs `warmup` untimed and `reps` timed repetitions, and
 * reads the memory figures. Runs in its own child process (child.ts), so a wasm abort ends only
 * that row and the process's peak RSS belongs to that row alone.
 */
import { mkdtemp, rm } from 'node:fs/promises'
import { cpus, tmpdir } from 'node:os'
import { join } from 'node:path'
import * as tf from '@tensorflow/tfjs'
import { getThreadsCount } from '@tensorflow/tfjs-backend-wasm'
import type { BackendName, ModelFamily } from '../../shared/schemas'
import { CycleGanOptions, DcganOptions, Pix2PixOptions } from '../../shared/training'
import { dcganGenerator } from '../models/dcgan'
import { countTrainableParams } from '../models/params'
import { resnetGenerator } from '../models/resnet'
import { unetGenerator } from '../models/unet'
import { Random } from '../random'
import { loadNetwork, readManifest, saveSnapshot } from '../storage/model-folder'
import { CycleGanTrainer } from '../training/cyclegan'
import { DcganTrainer } from '../training/dcgan'
import { Pix2PixTrainer } from '../training/pix2pix'
import type { Batch, Trainer } from '../training/trainer'
import { rowKind, type RowPlan } from './rows'

const MB = 1024 * 1024

export interface GanvasMeasurement {
  /** Per image for inference rows, per iteration for training, per load. */
  warmupMs: number[]
  /** The untimed run under `tf.profile` that measured `tfPeakMb`. */
  profiledMs: number
  samplesMs: number[]
  /** Trainable parameters of the networks the row runs (PyTorch's `parameters()` count). */
  params: number
  /** Largest `tf.memory().numBytes` during the first (profiled) run, in MB. */
  tfPeakMb: number
  /** `tf.memory().numBytes` after the runs: weights, optimiser slots, inputs. */
  tfMb: number
  /** The WebAssembly heap (it only grows, so this is its peak); null on other backends. */
  wasmHeapMb: number | null
  /** Peak resident set of this process (`process.resourceUsage().maxRSS`). */
  peakRssMb: number
}

/** Threads the backend computes on: XNNPack's pool for wasm (see wasm-threads.ts); native TF uses every core. */
export async function backendThreads(backend: BackendName): Promise<number> {
  if (backend === 'tensorflow') return cpus().length
  if (backend === 'wasm') return getThreadsCount()
  return 1
}

interface Subject {
  /** One repetition; resolves when its results have been read back. */
  run(): Promise<void>
  params: number
  /** Images one repetition handles (per-image timings divide by it). */
  perRun: number
  /** The most tensor memory seen while the subject held it (loading makes tensors without kernels, which tf.profile misses). */
  peakBytes?: number
  dispose(): Promise<void>
}

const randomImages = (plan: RowPlan) => tf.randomUniform([plan.batch, plan.size, plan.size, 3], -1, 1, 'float32', 7) as tf.Tensor4D

function buildGenerator(plan: RowPlan): { model: tf.LayersModel; family: ModelFamily; input: () => tf.Tensor } {
  const { size, ngf } = plan
  const family = plan.id.split('.')[0]
  if (family === 'unet') {
    return {
      model: unetGenerator({ levels: Math.log2(size), ngf, size, inputChannels: 3, outputChannels: 3 }),
      family: 'pix2pix',
      input: () => randomImages(plan),
    }
  }
  if (family === 'resnet') {
    return {
      model: resnetGenerator({ blocks: plan.blocks, ngf, size, inputChannels: 3, outputChannels: 3 }),
      family: 'cyclegan',
      input: () => randomImages(plan),
    }
  }
  if (family === 'dcgan') {
    return {
      model: dcganGenerator({ size, z: plan.z, ngf, ndf: plan.ndf, classes: 0 }),
      family: 'dcgan',
      input: () => tf.randomNormal([plan.batch, plan.z], 0, 1, 'float32', 7),
    }
  }
  throw new Error(`row ${plan.id} has no generator`)
}

function inferenceSubject(plan: RowPlan): Subject {
  const { model, input } = buildGenerator(plan)
  const x = input()
  return {
    async run() {
      const y = tf.tidy(() => model.apply(x, { training: false }) as tf.Tensor)
      await y.data()
      y.dispose()
    },
    params: countTrainableParams(model),
    perRun: plan.batch,
    async dispose() {
      x.dispose()
      model.dispose()
    },
  }
}

function buildTrainer(plan: RowPlan): Trainer {
  const common = { size: plan.size, batch: plan.batch, ngf: plan.ngf, ndf: plan.ndf, steps: 1000 }
  switch (plan.id) {
    case 'pix2pix.train':
      return new Pix2PixTrainer(Pix2PixOptions.parse({ family: 'pix2pix', ...common }))
    case 'cyclegan.train':
      return new CycleGanTrainer(CycleGanOptions.parse({ family: 'cyclegan', ...common, blocks: plan.blocks }))
    case 'dcgan.train':
      // Ganvas's defaults for faces: non-saturating BCE, and the EMA of G (decay 0.999) updated every step.
      return new DcganTrainer(DcganOptions.parse({ family: 'dcgan', ...common, z: plan.z, loss: 'bce' }))
    default:
      throw new Error(`row ${plan.id} has no trainer`)
  }
}

function trainingSubject(plan: RowPlan): Subject {
  const trainer = buildTrainer(plan)
  const batch: Batch = plan.id === 'dcgan.train' ? { a: randomImages(plan) } : { a: randomImages(plan), b: randomImages(plan) }
  const random = new Random(1)
  // The networks being optimised: DCGAN's moving average of G is a copy, not trained.
  const { generator_live: live, ...others } = trainer.networks as Record<string, tf.LayersModel>
  const trained = live ? [live, ...Object.entries(others).filter(([name]) => name !== 'generator').map(([, m]) => m)] : Object.values(others)
  return {
    async run() {
      await trainer.step(batch, random)
    },
    params: trained.reduce((sum, m) => sum + countTrainableParams(m), 0),
    perRun: 1,
    async dispose() {
      tf.dispose([batch.a, ...(batch.b ? [batch.b] : [])])
      trainer.dispose()
    },
  }
}

async function loadSubject(plan: RowPlan): Promise<Subject> {
  const dir = await mkdtemp(join(tmpdir(), 'ganvas-bench-'))
  const { model, family } = buildGenerator(plan)
  const params = countTrainableParams(model)
  const manifest = {
    format: 'ganvas-model' as const,
    formatVersion: 1 as const,
    name: `bench ${plan.id}`,
    family,
    resolution: plan.size,
    channels: 3,
    training: {},
    stepsDone: 0,
    dataset: null,
    metrics: {},
    created: new Date().toISOString(),
  }
  await saveSnapshot(dir, manifest, 0, { networks: { generator: model } })
  model.dispose()
  const subject: Subject = {
    async run() {
      const net = await loadNetwork(dir, await readManifest(dir), 'generator')
      subject.peakBytes = Math.max(subject.peakBytes ?? 0, tf.memory().numBytes)
      net.dispose()
    },
    params,
    perRun: 1,
    async dispose() {
      await rm(dir, { recursive: true, force: true })
    },
  }
  return subject
}

/**
 * The largest `tf.memory().numBytes` while `run` runs, from `tf.profile`. Under profiling a kernel
 * that throws surfaces as an unrelated TypeError (the wasm backend's kernel timer is async), so on
 * failure the profiler is switched off and a tiny op tells whether the wasm module has aborted.
 */
async function peakBytesOf(run: () => Promise<void>): Promise<number> {
  try {
    return (await tf.profile(run)).peakBytes
  } catch (error) {
    ;(tf.engine() as unknown as { state: { profiling: boolean } }).state.profiling = false
    tf.tidy(() => tf.add(tf.scalar(1), tf.scalar(1)).dataSync()) // throws "Aborted()" after a wasm abort
    throw error
  }
}

/**
 * Warm-up runs, then one untimed run under `tf.profile` for the memory peak (after the warm-up, so
 * an out-of-memory abort shows up as itself), then the timed runs.
 */
export async function measureRow(plan: RowPlan): Promise<GanvasMeasurement> {
  const kind = rowKind(plan.id)
  const subject = kind === 'infer' ? inferenceSubject(plan) : kind === 'train' ? trainingSubject(plan) : await loadSubject(plan)
  try {
    const timed = async (run: () => Promise<unknown>) => {
      const start = performance.now()
      await run()
      return (performance.now() - start) / subject.perRun
    }
    const warmupMs: number[] = []
    for (let i = 0; i < plan.warmup; i++) warmupMs.push(await timed(() => subject.run()))
    let tfPeakBytes = 0
    const profiledMs = await timed(async () => (tfPeakBytes = await peakBytesOf(() => subject.run())))
    const samplesMs: number[] = []
    for (let i = 0; i < plan.reps; i++) samplesMs.push(await timed(() => subject.run()))
    const wasm = (tf.backend() as unknown as { wasm?: { HEAPU8?: Uint8Array } }).wasm?.HEAPU8
    return {
      warmupMs,
      profiledMs,
      samplesMs,
      params: subject.params,
      tfPeakMb: Math.max(tfPeakBytes, subject.peakBytes ?? 0, tf.memory().numBytes) / MB,
      tfMb: tf.memory().numBytes / MB,
      wasmHeapMb: wasm ? wasm.length / MB : null,
      peakRssMb: process.resourceUsage().maxRSS / 1024,
    }
  } finally {
    await subject.dispose()
  }
}
