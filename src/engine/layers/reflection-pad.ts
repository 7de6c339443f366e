/** Reflection padding of H and W (PyTorch's ReflectionPad2d), used by the CycleGAN ResNet generator. */
import * as tf from '@tensorflow/tfjs'
import { registerMirrorPadGradient } from './mirror-pad-gradient'

export interface ReflectionPadArgs {
  padding: number
  name?: string
}

export class ReflectionPad extends tf.layers.Layer {
  static readonly className = 'GanvasReflectionPad'
  readonly padding: number

  constructor(args: ReflectionPadArgs) {
    super(args)
    this.padding = args.padding
  }

  override computeOutputShape(inputShape: tf.Shape): tf.Shape {
    const [n, h, w, c] = inputShape
    const grow = (size: number | null | undefined) => (size == null ? null : size + 2 * this.padding)
    return [n ?? null, grow(h), grow(w), c ?? null]
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    const x = (Array.isArray(inputs) ? inputs[0]! : inputs) as tf.Tensor4D
    const p = this.padding
    return tf.mirrorPad(x, [[0, 0], [p, p], [p, p], [0, 0]], 'reflect')
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), padding: this.padding }
  }
}
tf.serialization.registerClass(ReflectionPad)
// Its gradient in TF.js 4.22 is wrong; every model that reflects pads through this layer.
registerMirrorPadGradient()

export const reflectionPad = (padding: number, name?: string) => new ReflectionPad({ padding, ...(name ? { name } : {}) })
