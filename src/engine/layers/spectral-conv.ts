/**
 * Spectral normalisation (Miyato et al. 2018): a convolution whose kernel is divided by its largest
 * singular value, estimated with one power iteration per training call on a persistent vector u
 * (a non-trainable weight, so it is saved and resumed with the model).
 */
import * as tf from '@tensorflow/tfjs'
import type { Init } from '../models/blocks'

type Sym = tf.SymbolicTensor

interface SpectralConvArgs {
  filters: number
  kernelSize: number
  strides: number
  useBias: boolean
  kernelInitializer?: ReturnType<typeof tf.initializers.randomNormal>
  uSeed?: number
  name?: string
}

const l2normalize = (x: tf.Tensor) => tf.div(x, tf.add(tf.norm(x), 1e-12))
/** The identity with no gradient (TF.js has no stop_gradient): u and v are constants for backprop. */
const stopGradient = tf.customGrad(((x: tf.Tensor) => ({ value: tf.clone(x), gradFunc: (dy: tf.Tensor) => tf.zerosLike(dy) })) as unknown as Parameters<typeof tf.customGrad>[0])

export class SpectralConv2D extends tf.layers.Layer {
  static readonly className = 'GanvasSpectralConv2D'
  readonly args: SpectralConvArgs
  #kernel!: tf.LayerVariable
  #bias: tf.LayerVariable | null = null
  #u!: tf.LayerVariable

  constructor(args: SpectralConvArgs) {
    super(args)
    this.args = args
  }

  override build(inputShape: tf.Shape | tf.Shape[]): void {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tf.Shape
    const { kernelSize: k, filters } = this.args
    const init = this.args.kernelInitializer ?? tf.initializers.randomNormal({ mean: 0, stddev: 0.02 })
    this.#kernel = this.addWeight('kernel', [k, k, shape[3]!, filters], 'float32', init)
    if (this.args.useBias) this.#bias = this.addWeight('bias', [filters], 'float32', tf.initializers.zeros())
    const uInit = tf.initializers.randomNormal({ mean: 0, stddev: 1, ...(this.args.uSeed !== undefined ? { seed: this.args.uSeed } : {}) })
    this.#u = this.addWeight('u', [filters, 1], 'float32', uInit, undefined, false)
    this.built = true
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    const [n, h, w] = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tf.Shape
    const out = (d: number | null) => (d === null ? null : Math.floor((d - this.args.kernelSize) / this.args.strides) + 1)
    return [n ?? null, out(h ?? null), out(w ?? null), this.args.filters]
  }

  /** The kernel divided by σ(W); when training, also advances u by one power iteration. */
  normalizedKernel(training: boolean): tf.Tensor4D {
    return tf.tidy(() => {
      const kernel = this.#kernel.read()
      const w = tf.reshape(kernel, [-1, this.args.filters]) // [k·k·in, out]
      const u = this.#u.read()
      const v = stopGradient(l2normalize(tf.matMul(w, u)))
      const uNext = stopGradient(l2normalize(tf.matMul(w, v, true, false)))
      if (training) this.#u.write(uNext)
      const sigma = tf.sum(tf.mul(v, tf.matMul(w, uNext)))
      return tf.div(kernel, sigma) as tf.Tensor4D
    })
  }

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: { training?: boolean }): tf.Tensor {
    const x = (Array.isArray(inputs) ? inputs[0]! : inputs) as tf.Tensor4D
    return tf.tidy(() => {
      const y = tf.conv2d(x, this.normalizedKernel(Boolean(kwargs.training)), this.args.strides, 'valid')
      return this.#bias ? tf.add(y, this.#bias.read()) : y
    })
  }

  override getConfig(): tf.serialization.ConfigDict {
    const { filters, kernelSize, strides, useBias } = this.args
    return { ...super.getConfig(), filters, kernelSize, strides, useBias }
  }
}
tf.serialization.registerClass(SpectralConv2D)

/** A spectrally normalised conv with PyTorch's explicit zero padding, as blocks.conv builds it. */
export function spectralConv(
  x: Sym,
  spec: { filters: number; kernel: number; stride: number; pad: number; bias: boolean; name: string; init: Init },
): Sym {
  const padded = spec.pad > 0 ? (tf.layers.zeroPadding2d({ padding: spec.pad, name: `${spec.name}_pad` }).apply(x) as Sym) : x
  const layer = new SpectralConv2D({
    filters: spec.filters,
    kernelSize: spec.kernel,
    strides: spec.stride,
    useBias: spec.bias,
    kernelInitializer: spec.init.weight(),
    uSeed: spec.init.seed(),
    name: spec.name,
  })
  return layer.apply(padded) as Sym
}
