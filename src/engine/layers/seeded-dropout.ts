/**
 * Dropout whose mask comes from a seed passed with the call (`model.apply(x, { training: true,
 * dropoutSeed })`). The trainer draws that seed from the run's RNG, so a step can be replayed with
 * the same mask (Pix2Pix's D and G updates see the same generated image, as in the reference) and
 * a resumed run continues exactly. At inference it is the identity.
 */
import * as tf from '@tensorflow/tfjs'

export interface SeededDropoutArgs {
  rate: number
  name?: string
}

export class SeededDropout extends tf.layers.Layer {
  static readonly className = 'GanvasSeededDropout'
  readonly rate: number
  /** Distinguishes this layer's mask from the other dropout layers' masks in the same step. */
  readonly #salt: number

  constructor(args: SeededDropoutArgs) {
    super(args)
    this.rate = args.rate
    this.#salt = hash(this.name)
  }

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: { training?: boolean; dropoutSeed?: number }): tf.Tensor {
    const x = Array.isArray(inputs) ? inputs[0]! : inputs
    if (!kwargs.training || this.rate === 0) return tf.clone(x)
    if (kwargs.dropoutSeed === undefined) {
      throw new Error(`${this.name}: training with dropout needs a dropoutSeed (the run's RNG provides it)`)
    }
    const seed = (kwargs.dropoutSeed ^ this.#salt) >>> 0
    return tf.tidy(() => {
      const keep = tf.cast(tf.greaterEqual(tf.randomUniform(x.shape, 0, 1, 'float32', seed), this.rate), 'float32')
      return tf.mul(x, tf.div(keep, 1 - this.rate))
    })
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), rate: this.rate }
  }
}
tf.serialization.registerClass(SeededDropout)

function hash(text: string): number {
  let h = 2166136261
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619)
  return h >>> 0
}
