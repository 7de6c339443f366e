/**
 * GAN objectives, keyed by name (the reference code's GANLoss): each says how far the
 * discriminator's raw outputs (logits) are from "real" and from "fake", averaged over every patch
 * and image. D minimises ½·[asReal(D(real)) + asFake(D(fake))]; G minimises asReal(D(fake)).
 */
import * as tf from '@tensorflow/tfjs'

export type GanLossName = 'vanilla' | 'lsgan'

export interface GanLoss {
  asReal(logits: tf.Tensor): tf.Scalar
  asFake(logits: tf.Tensor): tf.Scalar
}

const bce = (logits: tf.Tensor, target: 0 | 1) =>
  tf.losses.sigmoidCrossEntropy(target ? tf.onesLike(logits) : tf.zerosLike(logits), logits) as tf.Scalar
const mse = (x: tf.Tensor, target: 0 | 1) => tf.mean(tf.square(tf.sub(x, target))) as tf.Scalar

export const ganLosses: Record<GanLossName, GanLoss> = {
  /** Goodfellow et al. 2014 with the non-saturating generator loss; pix2pix's default. */
  vanilla: { asReal: (x) => bce(x, 1), asFake: (x) => bce(x, 0) },
  /** Mao et al. 2017, least squares; CycleGAN's default. */
  lsgan: { asReal: (x) => mse(x, 1), asFake: (x) => mse(x, 0) },
}

export const l1 = (a: tf.Tensor, b: tf.Tensor) => tf.mean(tf.abs(tf.sub(a, b))) as tf.Scalar
