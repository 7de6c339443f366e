/**
 * PatchGAN discriminator (Isola et al. 2017; n_layers = 3 gives the 70×70 receptive field):
 *
 *   C64 (no norm) · C128 · C256 · C512 (stride 1) · conv to 1 channel (stride 1)
 *   all 4×4 with padding 1, LeakyReLU 0.2; BatchNorm for Pix2Pix, instance norm for CycleGAN.
 * Output: one logit per overlapping patch (30×30 for a 256×256 input).
 */
import * as tf from '@tensorflow/tfjs'
import { Init, biasFor, conv, leakyRelu, norm, type NormKind } from './blocks'

export interface PatchGanOptions {
  inputChannels: number
  ndf: number
  layers?: number
  norm?: NormKind
  /** Seeds the published N(0, 0.02) initialisation; the same seed builds the same weights. */
  seed?: number
  /** Input side length. */
  size: number
}

export function patchGanDiscriminator(options: PatchGanOptions): tf.LayersModel {
  const { ndf, inputChannels } = options
  const layers = options.layers ?? 3
  const kind = options.norm ?? 'batch'
  const bias = biasFor(kind)
  const { size } = options
  const init = new Init(options.seed ?? 0)
  const input = tf.input({ shape: [size, size, inputChannels], name: 'input' })

  let x = conv(input, { filters: ndf, kernel: 4, stride: 2, pad: 1, bias: true, name: 'layer0_conv', init })
  x = leakyRelu(x, 'layer0_lrelu')
  for (let n = 1; n <= layers; n++) {
    const stride = n < layers ? 2 : 1
    x = conv(x, { filters: ndf * Math.min(2 ** n, 8), kernel: 4, stride, pad: 1, bias, name: `layer${n}_conv`, init })
    x = norm(x, kind, `layer${n}_norm`, init)
    x = leakyRelu(x, `layer${n}_lrelu`)
  }
  const logits = conv(x, { filters: 1, kernel: 4, stride: 1, pad: 1, bias: true, name: 'patch_logits', init })
  return tf.model({ inputs: input, outputs: logits, name: `patchgan_${layers}` })
}
