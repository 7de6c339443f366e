/**
 * Pix2Pix generator: the U-Net of Isola et al. 2017 (appendix 6.1.1), as the reference code builds it.
 *
 *   unet_256 (8 downsamplings), ngf = 64, BatchNorm; "C k" = conv 4×4 stride 2, "D" = dropout 0.5
 *   encoder  C64 (no norm) · C128 · C256 · C512 · C512 · C512 · C512 · C512 (innermost, no norm)
 *   decoder  C512 · CD512 · CD512 · CD512 · C256 · C128 · C64 · C3 + tanh
 *   each decoder layer takes [skip, previous] concatenated; LeakyReLU 0.2 down, ReLU up.
 *   unet_128 drops one of the 512 levels (7 downsamplings).
 * Dropout sits where the reference code puts it: in the ngf×8 blocks next to the innermost one.
 */
import * as tf from '@tensorflow/tfjs'
import { Init, biasFor, concat, conv, deconv, dropout, leakyRelu, norm, relu, tanh, type NormKind } from './blocks'

export interface UnetOptions {
  /** Downsamplings: 8 for unet_256, 7 for unet_128. */
  levels: number
  ngf: number
  inputChannels: number
  outputChannels: number
  norm?: NormKind
  dropout?: boolean
  /** Seeds the published N(0, 0.02) initialisation; the same seed builds the same weights. */
  seed?: number
  /** Input side length (a multiple of 2^levels). */
  size: number
}

/** Width multiplier of each encoder level, outermost first. */
const widthAt = (level: number) => Math.min(2 ** level, 8)

export function unetGenerator(options: UnetOptions): tf.LayersModel {
  const { levels, ngf, inputChannels, outputChannels } = options
  const kind = options.norm ?? 'batch'
  const bias = biasFor(kind)
  const { size } = options
  const init = new Init(options.seed ?? 0)
  const input = tf.input({ shape: [size, size, inputChannels], name: 'input' })

  const skips: tf.SymbolicTensor[] = []
  let x = conv(input, { filters: ngf, kernel: 4, stride: 2, pad: 1, bias, name: 'down0_conv', init })
  skips.push(x)
  for (let level = 1; level < levels; level++) {
    const innermost = level === levels - 1
    x = leakyRelu(x, `down${level}_lrelu`)
    x = conv(x, { filters: ngf * widthAt(level), kernel: 4, stride: 2, pad: 1, bias, name: `down${level}_conv`, init })
    if (!innermost) x = norm(x, kind, `down${level}_norm`, init)
    skips.push(x)
  }

  for (let level = levels - 1; level >= 1; level--) {
    x = relu(x, `up${level}_relu`)
    x = deconv(x, { filters: ngf * widthAt(level - 1), kernel: 4, stride: 2, pad: 1, bias, name: `up${level}_deconv`, init })
    x = norm(x, kind, `up${level}_norm`, init)
    if (options.dropout !== false && level >= 4 && level <= levels - 2) x = dropout(x, `up${level}_dropout`)
    x = concat([skips[level - 1]!, x], `up${level}_skip`)
  }
  x = relu(x, 'up0_relu')
  x = deconv(x, { filters: outputChannels, kernel: 4, stride: 2, pad: 1, bias: true, name: 'up0_deconv', init })
  const output = tanh(x, 'output')
  return tf.model({ inputs: input, outputs: output, name: `unet_${2 ** levels}` })
}
