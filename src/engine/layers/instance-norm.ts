/**
 * Instance normalisation (Ulyanov et al. 2016): normalise each image's channels over H×W.
 * As CycleGAN uses it: no affine parameters, no running statistics, ε = 1e-5.
 */
import * as tf from '@tensorflow/tfjs'

export interface InstanceNormArgs {
  epsilon?: number
  name?: string
}

export class InstanceNorm extends tf.layers.Layer {
  static readonly className = 'GanvasInstanceNorm'
  readonly epsilon: number

  constructor(args: InstanceNormArgs = {}) {
    super(args)
    this.epsilon = args.epsilon ?? 1e-5
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    const x = Array.isArray(inputs) ? inputs[0]! : inputs
    return normalizeInstances(x, this.epsilon)
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), epsilon: this.epsilon }
  }
}
tf.serialization.registerClass(InstanceNorm)

/**
 * (x − μ) / √(σ² + ε) per image and channel, with its gradient written out: TF.js's own gradient of
 * the composite keeps four full-size intermediates per layer alive until the backward pass (a
 * CycleGAN 256 step, with its six generator passes, then exceeded wasm's 4 GB); this keeps only the
 * output and 1/σ. With x̂ the output and N = H·W:  dx = (dy − mean(dy) − x̂ · mean(dy · x̂)) / σ.
 */
export function normalizeInstances(x: tf.Tensor, epsilon: number): tf.Tensor {
  const normalize = tf.customGrad((input: tf.Tensor, save: tf.GradSaveFunc) => {
    const { mean, variance } = tf.moments(input, [1, 2], true)
    const invStd = tf.rsqrt(tf.add(variance, epsilon))
    const value = tf.mul(tf.sub(input, mean), invStd)
    save([value, invStd])
    return {
      value,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [xHat, inv] = saved as [tf.Tensor, tf.Tensor]
        const meanDy = tf.mean(dy, [1, 2], true)
        const meanDyXHat = tf.mean(tf.mul(dy, xHat), [1, 2], true)
        return tf.mul(tf.sub(tf.sub(dy, meanDy), tf.mul(xHat, meanDyXHat)), inv)
      },
    }
  })
  return normalize(x)
}

export const instanceNorm = (args?: InstanceNormArgs) => new InstanceNorm(args)
