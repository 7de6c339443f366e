/**
 * DCGAN (Radford et al. 2016, figure 1 and section 3), at 32, 64 or 128 px:
 *
 *   G  z (128) → ConvT 4×4 s1 → 4×4×(ngf·2ⁿ⁻¹) · [ConvT 4×4 s2 p1 + BN + ReLU] halving the width
 *      each time · ConvT 4×4 s2 p1 to 3 channels + tanh.  64 px: 4×4×512 · 8×8×256 · 16×16×128 · 32×32×64 · 64×64×3
 *   D  Conv 4×4 s2 p1 + LeakyReLU 0.2 (no norm on the first) · [Conv 4×4 s2 p1 + BN + LeakyReLU]
 *      doubling the width down to 4×4 · Conv 4×4 s1 p0 to one logit. No pooling, no dense layers.
 *
 * Conditional (one class per data subfolder): G concatenates a learned class embedding to z;
 * D adds a projection term ⟨embed(y), pooled features⟩ to its logit (Miyato & Koyama 2018).
 * WGAN-GP's critic has no BatchNorm (the penalty is per sample); spectral normalisation replaces
 * it too when enabled.
 */
import * as tf from '@tensorflow/tfjs'
import { spectralConv } from '../layers/spectral-conv'
import { Init, conv, deconv, leakyRelu, norm, relu, tanh, type NormKind } from './blocks'

type Sym = tf.SymbolicTensor
const apply = (layer: tf.layers.Layer, x: Sym | Sym[]) => layer.apply(x) as Sym

export interface DcganShape {
  size: number
  /** Latent size. */
  z: number
  ngf: number
  ndf: number
  /** Number of classes for a conditional model; 0 for an unconditional one. */
  classes: number
}

/** Upsampling (and downsampling) steps between 4×4 and the image: 3 at 32 px, 4 at 64, 5 at 128. */
export function dcganLevels(size: number): number {
  const levels = Math.log2(size) - 2
  if (!Number.isInteger(levels) || levels < 2) throw new Error(`DCGAN works at 16, 32, 64, 128 or 256 px, not ${size}`)
  return levels
}

/** Size of the class embedding G concatenates to z. */
const embeddingSize = (shape: DcganShape) => Math.min(shape.z, 64)

export function dcganGenerator(shape: DcganShape, seed = 0): tf.LayersModel {
  const init = new Init(seed)
  const levels = dcganLevels(shape.size)
  const z = tf.input({ shape: [shape.z], name: 'z' })
  const label = shape.classes > 0 ? tf.input({ shape: [1], dtype: 'int32', name: 'label' }) : null
  let code: Sym = z
  if (label) {
    const embedding = tf.layers.embedding({
      inputDim: shape.classes,
      outputDim: embeddingSize(shape),
      embeddingsInitializer: init.weight(),
      name: 'class_embedding',
    })
    const e = apply(tf.layers.flatten({ name: 'class_embedding_flat' }), apply(embedding, label))
    code = apply(tf.layers.concatenate({ name: 'z_and_class' }), [z, e])
  }
  let x = apply(tf.layers.reshape({ targetShape: [1, 1, code.shape[1]!], name: 'z_as_image' }), code)
  x = deconv(x, { filters: shape.ngf * 2 ** (levels - 1), kernel: 4, stride: 1, pad: 0, bias: false, name: 'project', init })
  x = relu(norm(x, 'batch', 'project_norm', init), 'project_relu')
  for (let i = 1; i < levels; i++) {
    x = deconv(x, { filters: shape.ngf * 2 ** (levels - 1 - i), kernel: 4, stride: 2, pad: 1, bias: false, name: `up${i}`, init })
    x = relu(norm(x, 'batch', `up${i}_norm`, init), `up${i}_relu`)
  }
  x = deconv(x, { filters: 3, kernel: 4, stride: 2, pad: 1, bias: true, name: 'to_rgb', init })
  const image = tanh(x, 'tanh')
  return tf.model({ inputs: label ? [z, label] : [z], outputs: image, name: `dcgan_g_${shape.size}` })
}

export interface DiscriminatorOptions {
  norm: NormKind
  spectralNorm: boolean
}

export function dcganDiscriminator(shape: DcganShape, options: DiscriminatorOptions, seed = 0): tf.LayersModel {
  const init = new Init(seed)
  const levels = dcganLevels(shape.size)
  const image = tf.input({ shape: [shape.size, shape.size, 3], name: 'image' })
  const label = shape.classes > 0 ? tf.input({ shape: [1], dtype: 'int32', name: 'label' }) : null
  const convolve = (x: Sym, filters: number, stride: number, pad: number, name: string, bias: boolean) =>
    options.spectralNorm
      ? spectralConv(x, { filters, kernel: 4, stride, pad, bias: true, name, init })
      : conv(x, { filters, kernel: 4, stride, pad, bias, name, init })
  let x: Sym = image
  for (let i = 0; i < levels; i++) {
    const kind = i === 0 ? 'none' : options.norm
    x = convolve(x, shape.ndf * 2 ** i, 2, 1, `down${i}_conv`, kind !== 'batch')
    x = leakyRelu(norm(x, kind, `down${i}_norm`, init), `down${i}_lrelu`)
  }
  const features = x // 4×4×(ndf·2ⁿ⁻¹)
  let logit = apply(tf.layers.flatten({ name: 'logit_flat' }), convolve(features, 1, 1, 0, 'logit', true))
  if (label) {
    const channels = features.shape[3]!
    const pooled = apply(tf.layers.globalAveragePooling2d({ name: 'pooled' }), features)
    const embedding = tf.layers.embedding({ inputDim: shape.classes, outputDim: channels, embeddingsInitializer: init.weight(), name: 'class_projection' })
    const e = apply(tf.layers.flatten({ name: 'class_projection_flat' }), apply(embedding, label))
    const projection = apply(tf.layers.dot({ axes: 1, name: 'projection' }), [e, pooled])
    logit = apply(tf.layers.add({ name: 'logit_with_class' }), [logit, projection])
  }
  return tf.model({ inputs: label ? [image, label] : [image], outputs: logit, name: `dcgan_d_${shape.size}` })
}

/** The first `blocks` discriminator blocks' weights (FreezeD keeps these fixed when fine-tuning). */
export function frozenDiscriminatorWeights(d: tf.LayersModel, blocks: number): Set<string> {
  const names = new Set<string>()
  for (let i = 0; i < blocks; i++) {
    for (const layer of d.layers) if (layer.name.startsWith(`down${i}_`)) for (const w of layer.trainableWeights) names.add(w.name)
  }
  return names
}
