/**
 * Engine check: trains a tiny encoder-decoder (strided conv → transposed conv, the two layers every
 * Ganvas model is built from) to reproduce a fixed image. Proves that forward and backward passes
 * work on the active backend and times a training step.
 */
import * as tf from '@tensorflow/tfjs'
import type { EngineInput, EngineOutput } from '../../shared/engine-protocol'
import type { BackendName } from '../../shared/schemas'
import type { JobHooks } from '../job-hooks'

export async function runEngineCheck(
  { steps, size }: EngineInput<'check'>,
  hooks: JobHooks,
): Promise<EngineOutput<'check'>> {
  const model = tf.sequential({
    layers: [
      tf.layers.conv2d({ inputShape: [size, size, 3], filters: 8, kernelSize: 4, strides: 2, padding: 'same' }),
      tf.layers.leakyReLU({ alpha: 0.2 }),
      tf.layers.conv2dTranspose({ filters: 3, kernelSize: 4, strides: 2, padding: 'same', activation: 'tanh' }),
    ],
  })
  const optimizer = tf.train.adam(2e-3, 0.5)
  // A smooth colour gradient: a target any working conv net learns quickly.
  const target = tf.tidy(() => {
    const ramp = tf.linspace(-0.8, 0.8, size)
    const xs = ramp.reshape([1, 1, size, 1]).tile([1, size, 1, 1])
    const ys = ramp.reshape([1, size, 1, 1]).tile([1, 1, size, 1])
    return tf.concat([xs, ys, xs.mul(ys)], 3)
  })
  let firstLoss = NaN
  let lastLoss = NaN
  const started = performance.now()
  try {
    for (let step = 1; step <= steps; step++) {
      hooks.throwIfCancelled()
      const loss = tf.tidy(() => {
        const value = optimizer.minimize(() => tf.losses.absoluteDifference(target, model.apply(target) as tf.Tensor), true)
        return value as tf.Scalar
      })
      lastLoss = (await loss.data())[0] ?? NaN
      loss.dispose()
      if (step === 1) firstLoss = lastLoss
      if (!Number.isFinite(lastLoss)) throw new Error(`the loss became ${lastLoss} at step ${step}: this backend computes wrong gradients`)
      const msPerStep = (performance.now() - started) / step
      hooks.progress({ step, total: steps, metrics: { loss: lastLoss, msPerStep } })
      await hooks.yield()
    }
  } finally {
    target.dispose()
    optimizer.dispose()
    model.dispose()
  }
  return {
    backend: tf.getBackend() as BackendName,
    steps,
    msPerStep: (performance.now() - started) / steps,
    firstLoss,
    lastLoss,
  }
}
