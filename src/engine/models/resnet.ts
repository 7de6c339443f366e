/**
 * CycleGAN generator: the ResNet of Zhu et al. 2017 (appendix 7.2, after Johnson et al. 2016).
 *
 *   c7s1-64 · d128 · d256 · R256 × blocks · u128 · u64 · c7s1-3 + tanh
 *   c7s1-k: reflection pad 3, conv 7×7 stride 1, instance norm, ReLU
 *   dk:     conv 3×3 stride 2 (zero pad 1), instance norm, ReLU
 *   Rk:     [reflection pad 1, conv 3×3, norm, ReLU, reflection pad 1, conv 3×3, norm] + identity
 *   uk:     transposed conv 3×3 stride 2 (pad 1, output pad 1), instance norm, ReLU
 * resnet_9blocks for 256×256, resnet_6blocks for 128×128.
 */
import * as tf from '@tensorflow/tfjs'
import { reflectionPad } from '../layers/reflection-pad'
import { Init, add, biasFor, conv, deconv, norm, relu, tanh, type NormKind } from './blocks'

export interface ResnetOptions {
  blocks: number
  ngf: number
  inputChannels: number
  outputChannels: number
  norm?: NormKind
  /** Seeds the published N(0, 0.02) initialisation; the same seed builds the same weights. */
  seed?: number
  /** Input side length. */
  size: number
}

type Sym = tf.SymbolicTensor
const pad = (x: Sym, p: number, name: string) => reflectionPad(p, name).apply(x) as Sym

export function resnetGenerator(options: ResnetOptions): tf.LayersModel {
  const { ngf, blocks, inputChannels, outputChannels } = options
  const kind = options.norm ?? 'instance'
  const bias = biasFor(kind)
  const { size } = options
  const init = new Init(options.seed ?? 0)
  const input = tf.input({ shape: [size, size, inputChannels], name: 'input' })

  let x = pad(input, 3, 'stem_pad')
  x = conv(x, { filters: ngf, kernel: 7, stride: 1, pad: 0, bias, name: 'stem_conv', init })
  x = relu(norm(x, kind, 'stem_norm', init), 'stem_relu')
  for (const [i, mult] of [2, 4].entries()) {
    x = conv(x, { filters: ngf * mult, kernel: 3, stride: 2, pad: 1, bias, name: `down${i}_conv`, init })
    x = relu(norm(x, kind, `down${i}_norm`, init), `down${i}_relu`)
  }
  for (let b = 0; b < blocks; b++) {
    const name = `res${b}`
    let y = pad(x, 1, `${name}_pad1`)
    y = conv(y, { filters: ngf * 4, kernel: 3, stride: 1, pad: 0, bias, name: `${name}_conv1`, init })
    y = relu(norm(y, kind, `${name}_norm1`, init), `${name}_relu`)
    y = pad(y, 1, `${name}_pad2`)
    y = conv(y, { filters: ngf * 4, kernel: 3, stride: 1, pad: 0, bias, name: `${name}_conv2`, init })
    y = norm(y, kind, `${name}_norm2`, init)
    x = add([x, y], `${name}_add`)
  }
  for (const [i, mult] of [2, 1].entries()) {
    x = deconv(x, { filters: ngf * mult, kernel: 3, stride: 2, pad: 1, outputPad: 1, bias, name: `up${i}_deconv`, init })
    x = relu(norm(x, kind, `up${i}_norm`, init), `up${i}_relu`)
  }
  x = pad(x, 3, 'head_pad')
  x = conv(x, { filters: outputChannels, kernel: 7, stride: 1, pad: 0, bias: true, name: 'head_conv', init })
  return tf.model({ inputs: input, outputs: tanh(x, 'output'), name: `resnet_${blocks}blocks` })
}
