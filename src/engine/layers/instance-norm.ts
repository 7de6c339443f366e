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
 * output and 1/σ. With x̂ the output:  dx = (dy − mean(dy) − x̂ · mean(dy · x̂)) / σ, means over H×W.
 */
export function normalizeInstances(x: tf.Tensor, epsilon: number): tf.Tensor {
  // Inside a gradient of a gradient (e.g. a gradient penalty), 1/σ must depend on x: the plain form.
  if (tf.engine().state.gradientDepth > 1) {
    const { mean, variance } = tf.moments(x, [1, 2], true)
    return tf.div(tf.sub(x, mean), tf.sqrt(tf.add(variance, epsilon)))
  }
  // customGrad passes the inputs, then the save function, in one rest parameter.
  const normalize = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [input, save] = args as [tf.Tensor, tf.GradSaveFunc]
    const centred = tf.sub(input, spatialMean(input))
    const invStd = tf.rsqrt(tf.add(spatialMean(tf.square(centred)), epsilon))
    const value = tf.mul(centred, invStd)
    save([value, invStd])
    return {
      value,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [xHat, inv] = saved as [tf.Tensor, tf.Tensor]
        const meanDy = spatialMean(dy)
        const meanDyXHat = spatialMean(tf.mul(dy, xHat))
        return tf.mul(tf.sub(tf.sub(dy, meanDy), tf.mul(xHat, meanDyXHat)), inv)
      },
    }
  })
  return normalize(x)
}

/**
 * The mean over H and W, [N, H, W, C] → [N, 1, 1, C], as a global average pooling: on wasm that is
 * one XNNPack pass in NHWC, where Mean first transposes the whole tensor (measured 4–10× slower).
 */
function spatialMean(x: tf.Tensor): tf.Tensor4D {
  const [, h, w] = x.shape as [number, number, number, number]
  return tf.avgPool(x as tf.Tensor4D, [h, w], 1, 'valid')
}

export const instanceNorm = (args?: InstanceNormArgs) => new InstanceNorm(args)
