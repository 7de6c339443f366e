/**
 * The few building blocks the published GANs are made of, with PyTorch's padding arithmetic
 * (explicit zero padding, then a 'valid' convolution) so that imported weights line up exactly,
 * and the published initialisation: conv weights N(0, 0.02), norm gains N(1, 0.02), biases 0.
 */
import * as tf from '@tensorflow/tfjs'
import { instanceNorm } from '../layers/instance-norm'
import { SeededDropout } from '../layers/seeded-dropout'
import { Random } from '../random'

export type NormKind = 'batch' | 'instance' | 'none'
type Layer = tf.layers.Layer
type Sym = tf.SymbolicTensor

/**
 * The published initialisation, seeded: each layer draws its own seed from the model's RNG in
 * construction order, so the same seed builds the same network (tfjs would use Math.random).
 */
export class Init {
  readonly #random: Random
  constructor(seed: number) {
    this.#random = new Random(seed)
  }
  weight = () => tf.initializers.randomNormal({ mean: 0, stddev: 0.02, seed: this.#random.uint32() })
  gain = () => tf.initializers.randomNormal({ mean: 1, stddev: 0.02, seed: this.#random.uint32() })
  /** A seed for anything else a layer draws at construction. */
  seed = () => this.#random.uint32()
}

const apply = (layer: Layer, x: Sym | Sym[]) => layer.apply(x) as Sym

export interface ConvSpec {
  filters: number
  kernel: number
  stride: number
  /** Zero padding on every side, as PyTorch's `padding=`. */
  pad: number
  bias: boolean
  name: string
  init: Init
}

export function conv(x: Sym, spec: ConvSpec): Sym {
  const padded = spec.pad > 0 ? apply(tf.layers.zeroPadding2d({ padding: spec.pad, name: `${spec.name}_pad` }), x) : x
  return apply(
    tf.layers.conv2d({
      filters: spec.filters,
      kernelSize: spec.kernel,
      strides: spec.stride,
      padding: 'valid',
      useBias: spec.bias,
      kernelInitializer: spec.init.weight(),
      biasInitializer: 'zeros',
      name: spec.name,
    }),
    padded,
  )
}

export interface DeconvSpec {
  filters: number
  kernel: number
  stride: number
  pad: number
  /** PyTorch's output_padding: extra rows/columns at the bottom/right. */
  outputPad?: number
  bias: boolean
  name: string
  init: Init
}

/**
 * Transposed convolution as PyTorch computes it: the full ('valid') transposed output, cropped by
 * `pad` at the start and `pad - outputPad` at the end.
 */
export function deconv(x: Sym, spec: DeconvSpec): Sym {
  const full = apply(
    tf.layers.conv2dTranspose({
      filters: spec.filters,
      kernelSize: spec.kernel,
      strides: spec.stride,
      padding: 'valid',
      useBias: spec.bias,
      kernelInitializer: spec.init.weight(),
      biasInitializer: 'zeros',
      name: spec.name,
    }),
    x,
  )
  const start = spec.pad
  const end = spec.pad - (spec.outputPad ?? 0)
  if (start === 0 && end === 0) return full
  return apply(tf.layers.cropping2D({ cropping: [[start, end], [start, end]], name: `${spec.name}_crop` }), full)
}

/** BatchNorm with PyTorch's defaults (momentum 0.1 → 0.9 here, ε 1e-5), or instance norm, or nothing. */
export function norm(x: Sym, kind: NormKind, name: string, init: Init): Sym {
  if (kind === 'none') return x
  if (kind === 'instance') return apply(instanceNorm({ name }), x)
  return apply(
    tf.layers.batchNormalization({ momentum: 0.9, epsilon: 1e-5, gammaInitializer: init.gain(), name }),
    x,
  )
}

export const relu = (x: Sym, name: string) => apply(tf.layers.reLU({ name }), x)
export const leakyRelu = (x: Sym, name: string) => apply(tf.layers.leakyReLU({ alpha: 0.2, name }), x)
export const tanh = (x: Sym, name: string) => apply(tf.layers.activation({ activation: 'tanh', name }), x)
export const dropout = (x: Sym, name: string) => apply(new SeededDropout({ rate: 0.5, name }), x)
export const concat = (xs: Sym[], name: string) => apply(tf.layers.concatenate({ axis: -1, name }), xs)
export const add = (xs: Sym[], name: string) => apply(tf.layers.add({ name }), xs)

/** PyTorch convs carry a bias only when no BatchNorm follows (instance norm has no affine shift). */
export const biasFor = (kind: NormKind) => kind !== 'batch'
