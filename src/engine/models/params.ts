import type * as tf from '@tensorflow/tfjs'

/**
 * Trainable parameters, the number PyTorch's `sum(p.numel() for p in net.parameters())` gives:
 * BatchNorm's moving mean and variance are weights in TF.js but buffers in PyTorch.
 */
export function countTrainableParams(model: tf.LayersModel): number {
  return model.trainableWeights.reduce((sum, w) => sum + (w.shape as number[]).reduce((a, b) => a * b, 1), 0)
}
