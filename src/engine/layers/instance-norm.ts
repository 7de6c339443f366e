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
    return tf.tidy(() => {
      const x = Array.isArray(inputs) ? inputs[0]! : inputs
      const { mean, variance } = tf.moments(x, [1, 2], true)
      return tf.div(tf.sub(x, mean), tf.sqrt(tf.add(variance, this.epsilon)))
    })
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), epsilon: this.epsilon }
  }
}
tf.serialization.registerClass(InstanceNorm)

export const instanceNorm = (args?: InstanceNormArgs) => new InstanceNorm(args)
