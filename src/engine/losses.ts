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

/**
 * The face generator's objectives, each as D's loss on (real, fake) logits and G's loss on fake
 * logits. Smaller is better for both; the critic's raw scores are unbounded for 'wgan-gp'.
 */
export interface AdversarialLoss {
  discriminator(real: tf.Tensor, fake: tf.Tensor): { real: tf.Scalar; fake: tf.Scalar }
  generator(fake: tf.Tensor): tf.Scalar
}

export const adversarialLosses: Record<'bce' | 'wgan-gp' | 'hinge', AdversarialLoss> = {
  /** Goodfellow et al. 2014, with the non-saturating generator loss −log D(G(z)). */
  bce: {
    discriminator: (real, fake) => ({ real: bce(real, 1), fake: bce(fake, 0) }),
    generator: (fake) => bce(fake, 1),
  },
  /** Gulrajani et al. 2017: the Wasserstein critic; its gradient penalty is added by the trainer. */
  'wgan-gp': {
    discriminator: (real, fake) => ({ real: tf.neg(tf.mean(real)) as tf.Scalar, fake: tf.mean(fake) as tf.Scalar }),
    generator: (fake) => tf.neg(tf.mean(fake)) as tf.Scalar,
  },
  /** Lim & Ye 2017 / Miyato et al. 2018: hinge for D, −D(G(z)) for G. */
  hinge: {
    discriminator: (real, fake) => ({
      real: tf.mean(tf.relu(tf.sub(1, real))) as tf.Scalar,
      fake: tf.mean(tf.relu(tf.add(1, fake))) as tf.Scalar,
    }),
    generator: (fake) => tf.neg(tf.mean(fake)) as tf.Scalar,
  },
}

/**
 * WGAN-GP's penalty, E[(‖∇ₓ D(x̂)‖₂ − 1)²] at x̂ = ε·real + (1 − ε)·fake with ε ~ U(0, 1) per sample
 * (`epsilon`, drawn by the caller from the run's RNG). Differentiating it again, for D's update,
 * needs second-order gradients: see registerComparisonGradients.
 */
export function gradientPenalty(critic: (x: tf.Tensor) => tf.Tensor, real: tf.Tensor, fake: tf.Tensor, epsilon: number[]): tf.Scalar {
  registerComparisonGradients()
  const shape = [epsilon.length, ...real.shape.slice(1).map(() => 1)]
  const eps = tf.tensor(epsilon, shape)
  const mixed = tf.add(tf.mul(eps, real), tf.mul(tf.sub(1, eps), fake))
  const grad = tf.grad((x: tf.Tensor) => tf.sum(critic(x)))(mixed)
  const axes = grad.shape.slice(1).map((_, i) => i + 1)
  const norms = tf.sqrt(tf.add(tf.sum(tf.square(grad), axes), 1e-12))
  return tf.mean(tf.square(tf.sub(norms, 1))) as tf.Scalar
}

let comparisonGradientsRegistered = false

/**
 * Comparisons are flat almost everywhere, so their gradient is zero (as in TensorFlow); TF.js 4.22
 * registers none, and LeakyReLU's gradient uses Greater, so the penalty's own gradient would fail.
 */
export function registerComparisonGradients(): void {
  if (comparisonGradientsRegistered) return
  comparisonGradientsRegistered = true
  for (const kernelName of [tf.Greater, tf.GreaterEqual, tf.Less, tf.LessEqual, tf.Equal, tf.NotEqual]) {
    tf.registerGradient({
      kernelName,
      inputsToSave: ['a', 'b'],
      gradFunc: (_dy, [a, b]) => ({ a: () => tf.zerosLike(a!), b: () => tf.zerosLike(b!) }),
    })
  }
}
