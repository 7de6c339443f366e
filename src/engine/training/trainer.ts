/**
 * What every model family's trainer provides to the run loop (like the reference code's BaseModel:
 * set input, optimise, its loss names and visuals), so one loop trains them all.
 */
import * as tf from '@tensorflow/tfjs'
import type { Random } from '../random'
import { LeanAdamOptimizer } from './lean-adam'

export interface Batch {
  a: tf.Tensor4D
  /** The other side of a pair or domain; absent for single-image data (face generators). */
  b?: tf.Tensor4D
  /** Class indices [batch], int32, for class-conditional data. */
  labels?: tf.Tensor1D
}

/** A Pix2Pix or CycleGAN batch: both sides present. */
export function bothSides(batch: Batch): { a: tf.Tensor4D; b: tf.Tensor4D } {
  if (!batch.b) throw new Error('this model trains on pairs or two domains: the batch has no B images')
  return { a: batch.a, b: batch.b }
}

export type NamedTensors = { name: string; tensor: tf.Tensor }[]

export interface Trainer {
  readonly lossNames: readonly string[]
  /** Loader batches one step consumes, concatenated (default 1; a WGAN critic takes several). */
  readonly batchesPerStep?: number
  /** One optimisation step of every network; returns the loss terms as numbers. */
  step(batch: Batch, random: Random): Promise<Record<string, number>>
  setLearningRate(lr: number): void
  /** Columns of the sample grid (e.g. input | output | target), each [n, size, size, 3]; caller disposes. */
  visuals(batch: Batch): tf.Tensor4D[]
  /** Networks saved in a snapshot, by name; generators are what inference loads. */
  readonly networks: Record<string, tf.LayersModel>
  /** Optimiser slots and anything else a resume needs, as copies the caller disposes. */
  stateTensors(): Promise<NamedTensors>
  restoreState(tensors: tf.NamedTensorMap): Promise<void>
  dispose(): void
}

/** Adam with the published settings; its learning rate is changed in place by the schedule. */
export function adam(lr: number, beta1: number, beta2 = 0.999): tf.AdamOptimizer {
  return new LeanAdamOptimizer(lr, beta1, beta2, 1e-8)
}

export function setLearningRate(optimizer: tf.AdamOptimizer, lr: number): void {
  // tfjs reads `learningRate` on every step; it has no public setter.
  ;(optimizer as unknown as { learningRate: number }).learningRate = lr
}

export const variablesOf = (...models: tf.LayersModel[]) =>
  models.flatMap((m) => m.trainableWeights.map((w) => w.read() as tf.Variable))

/**
 * tfjs Adam keeps β₁ᵗ and β₂ᵗ as running products but rebuilds them with pow() in setWeights, which
 * differs in the last bits; saving and restoring them makes a resumed run continue bit for bit.
 */
type AdamInternals = { accBeta1: tf.Variable; accBeta2: tf.Variable }

/** An optimiser's slots under `prefix/000`, `prefix/001`…: restored by position, as tfjs applies them. */
export async function optimizerState(prefix: string, optimizer: tf.AdamOptimizer): Promise<NamedTensors> {
  // getWeights gives a fresh iteration count followed by the live slot variables: copy those.
  const [iterations, ...slots] = await optimizer.getWeights()
  const { accBeta1, accBeta2 } = optimizer as unknown as AdamInternals
  const named = (i: number, tensor: tf.Tensor) => ({ name: `${prefix}/${String(i).padStart(3, '0')}`, tensor })
  return [
    ...(iterations ? [named(0, iterations.tensor)] : []),
    ...slots.map((w, i) => named(i + 1, w.tensor.clone())),
    { name: `${prefix}.accBeta1`, tensor: accBeta1.clone() },
    { name: `${prefix}.accBeta2`, tensor: accBeta2.clone() },
  ]
}

export async function restoreOptimizer(prefix: string, optimizer: tf.AdamOptimizer, tensors: tf.NamedTensorMap): Promise<void> {
  const names = Object.keys(tensors)
    .filter((n) => n.startsWith(`${prefix}/`))
    .sort()
  if (names.length === 0) return
  await optimizer.setWeights(names.map((name) => ({ name, tensor: tensors[name]! })))
  const internals = optimizer as unknown as AdamInternals
  for (const key of ['accBeta1', 'accBeta2'] as const) {
    const saved = tensors[`${prefix}.${key}`]
    if (saved) {
      internals[key].assign(saved)
      saved.dispose()
    }
  }
  for (const name of names) tensors[name]!.dispose() // the optimiser's variables hold their own reference
}

/** Reads several scalars with one download. */
export async function readScalars(scalars: Record<string, tf.Scalar>): Promise<Record<string, number>> {
  const names = Object.keys(scalars)
  const stacked = tf.stack(names.map((n) => scalars[n]!))
  const values = await stacked.data()
  stacked.dispose()
  for (const s of Object.values(scalars)) s.dispose()
  return Object.fromEntries(names.map((n, i) => [n, values[i]!]))
}
