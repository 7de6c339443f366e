/**
 * Shared pieces of the run-level training tests: the wasm backend, hooks that record progress and
 * stop a run after a chosen step, temp folders, and held-out L1 of a generator on rendered images.
 */
import { createHash } from 'node:crypto'
import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, relative } from 'node:path'
import * as tf from '@tensorflow/tfjs'
import '@tensorflow/tfjs-backend-wasm'
import { registerWasmTrainingKernels } from '../../src/engine/backend/wasm-kernels'
import { CancelledByHost } from '../../src/engine/job-hooks'
import type { TrainHooks } from '../../src/engine/training/run'
import type { JobProgress } from '../../src/shared/schemas'
import { Random } from '../../src/engine/random'

export async function useWasm(): Promise<void> {
  registerWasmTrainingKernels()
  await tf.setBackend('wasm')
  await tf.ready()
}

export async function tempDir(prefix = 'ganvas-train-'): Promise<{ dir: string; cleanup(): Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), prefix))
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) }
}

export interface RecordingHooks extends TrainHooks {
  readonly events: JobProgress[]
  /** Progress events after a training step (step > 0 and carrying losses). */
  readonly steps: JobProgress[]
}

/**
 * Hooks that record every progress event; with `stopAfter`, the cancel check throws once that many
 * steps have been reported, as a host's stop button would (the run checks before each next step).
 */
export function recordingHooks({ stopAfter }: { stopAfter?: number } = {}): RecordingHooks {
  const events: JobProgress[] = []
  const steps: JobProgress[] = []
  let lastStep = 0
  return {
    events,
    steps,
    progress(p) {
      events.push(p)
      if (p.step > 0 && Object.keys(p.metrics).length > 0) {
        steps.push(p)
        lastStep = p.step
      }
    },
    throwIfCancelled() {
      if (stopAfter !== undefined && lastStep >= stopAfter) throw new CancelledByHost()
    },
    yield: () => Promise.resolve(),
  }
}

/** Mean absolute difference of two RGB byte images, in the model's [-1, 1] units. */
export function l1Bytes(x: Uint8Array, y: Uint8Array): number {
  if (x.length !== y.length) throw new Error(`l1Bytes: ${x.length} vs ${y.length} bytes`)
  let sum = 0
  for (let i = 0; i < x.length; i++) sum += Math.abs(x[i]! - y[i]!)
  return sum / x.length / 127.5
}

const toTensor = (images: Uint8Array[], size: number) =>
  tf.tidy(() => {
    const flat = new Float32Array(images.length * size * size * 3)
    images.forEach((img, i) => {
      for (let j = 0; j < img.length; j++) flat[i * img.length + j] = img[j]! / 127.5 - 1
    })
    return tf.tensor4d(flat, [images.length, size, size, 3])
  })

/** The generator's outputs (inference mode) for RGB byte images, as float arrays in [-1, 1]. */
export function generate(generator: tf.LayersModel, inputs: Uint8Array[], size: number): Float32Array[] {
  const x = toTensor(inputs, size)
  const y = tf.tidy(() => generator.apply(x, { training: false }) as tf.Tensor4D)
  const values = y.dataSync() as Float32Array
  tf.dispose([x, y])
  const n = size * size * 3
  return inputs.map((_, i) => values.slice(i * n, (i + 1) * n))
}

/** Mean L1 (in [-1, 1] units) between generator outputs and target byte images. */
export function meanL1(outputs: Float32Array[], targets: Uint8Array[]): number {
  let sum = 0
  let count = 0
  outputs.forEach((out, i) => {
    const target = targets[i]!
    for (let j = 0; j < out.length; j++) sum += Math.abs(Math.max(-1, Math.min(1, out[j]!)) - (target[j]! / 127.5 - 1))
    count += out.length
  })
  return sum / count
}

/** Mean L1 between input and target byte images: the "copy the input" baseline. */
export const copyBaseline = (inputs: Uint8Array[], targets: Uint8Array[]) => inputs.reduce((s, a, i) => s + l1Bytes(a, targets[i]!), 0) / inputs.length

/** sha256 of every file under `dir` (relative path → hash, plus size and mtime), to prove it unchanged. */
export async function hashTree(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {}
  const walk = async (d: string): Promise<void> => {
    for (const entry of await readdir(d, { withFileTypes: true })) {
      const path = join(d, entry.name)
      if (entry.isDirectory()) await walk(path)
      else {
        const info = await stat(path)
        out[relative(dir, path)] = `${createHash('sha256').update(await readFile(path)).digest('hex')} ${info.size} ${info.mtimeMs}`
      }
    }
  }
  await walk(dir)
  return out
}

/** Every weight of a network as flat float arrays, by weight name. */
export function weightsOf(model: tf.LayersModel): Record<string, Float32Array> {
  return Object.fromEntries(model.weights.map((w) => [w.originalName, (w.read().dataSync() as Float32Array).slice()]))
}

/** Pixel indices (pixel, not byte) where `image` differs from `background` by more than `threshold` in some channel. */
export function maskWhere(image: Uint8Array, background: readonly [number, number, number], threshold = 24): number[] {
  const pixels: number[] = []
  for (let p = 0; p < image.length / 3; p++) {
    if ([0, 1, 2].some((c) => Math.abs(image[p * 3 + c]! - background[c]!) > threshold)) pixels.push(p)
  }
  return pixels
}

/** Mean L1 ([-1, 1] units) over the given pixels only; `output` as floats in [-1, 1] or bytes. */
export function maskedL1(output: Float32Array | Uint8Array, target: Uint8Array, pixels: number[]): number {
  const value = (i: number) => (output instanceof Float32Array ? Math.max(-1, Math.min(1, output[i]!)) : output[i]! / 127.5 - 1)
  let sum = 0
  for (const p of pixels) for (let c = 0; c < 3; c++) sum += Math.abs(value(p * 3 + c) - (target[p * 3 + c]! / 127.5 - 1))
  return sum / (pixels.length * 3)
}

/** Mean RGB (0–255) of `output` over the given pixels. */
export function meanColour(output: Float32Array | Uint8Array, pixels: number[]): [number, number, number] {
  const value = (i: number) => (output instanceof Float32Array ? (Math.max(-1, Math.min(1, output[i]!)) + 1) * 127.5 : output[i]!)
  const sum = [0, 0, 0]
  for (const p of pixels) for (let c = 0; c < 3; c++) sum[c]! += value(p * 3 + c)
  return sum.map((s) => s / pixels.length) as [number, number, number]
}

/** Which of `palette`'s colours is nearest to `colour` (Euclidean RGB). */
export function nearest<K extends string>(colour: readonly number[], palette: Record<K, readonly [number, number, number]>): K {
  let best: K | undefined
  let bestD = Infinity
  for (const [name, rgb] of Object.entries(palette) as [K, readonly number[]][]) {
    const d = rgb.reduce((s, v, c) => s + (v - colour[c]!) ** 2, 0)
    if (d < bestD) [best, bestD] = [name, d]
  }
  return best!
}

