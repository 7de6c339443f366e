/**
 * Pix2Pix training (Isola et al. 2017), step for step as the reference code does it:
 *   fake = G(A)
 *   D:  ½ [ GAN(D(A, fake), false) + GAN(D(A, B), true) ]              fake held constant
 *   G:  GAN(D(A, fake), true) + λ_L1 · |fake − B|₁                       with the updated D
 * G runs forward once per iteration (its batch statistics are updated once, as in the reference).
 */
import * as tf from '@tensorflow/tfjs'
import type { Pix2PixOptions } from '../../shared/training'
import { ganLosses, l1 } from '../losses'
import { patchGanDiscriminator } from '../models/patchgan'
import { unetGenerator } from '../models/unet'
import { Random } from '../random'
import {
  adam,
  optimizerState,
  readScalars,
  restoreOptimizer,
  setLearningRate,
  variablesOf,
  bothSides,
  type Batch,
  type NamedTensors,
  type Trainer,
} from './trainer'

export class Pix2PixTrainer implements Trainer {
  readonly lossNames = ['G_GAN', 'G_L1', 'D_real', 'D_fake'] as const
  readonly networks: { generator: tf.LayersModel; discriminator: tf.LayersModel }
  readonly #optG: tf.AdamOptimizer
  readonly #optD: tf.AdamOptimizer

  constructor(
    readonly options: Pix2PixOptions,
    networks?: { generator: tf.LayersModel; discriminator?: tf.LayersModel },
  ) {
    const { size, ngf, ndf } = options
    const seeds = new Random(options.seed) // the run's seed fixes the initial weights too
    const [gSeed, dSeed] = [seeds.uint32(), seeds.uint32()]
    this.networks = {
      // A U-Net down to 1×1: unet_256 has 8 levels, unet_128 7, and so on.
      generator:
        networks?.generator ?? unetGenerator({ levels: Math.log2(size), ngf, size, inputChannels: 3, outputChannels: 3, seed: gSeed }),
      discriminator: networks?.discriminator ?? patchGanDiscriminator({ inputChannels: 6, ndf, size, norm: 'batch', seed: dSeed }),
    }
    this.#optG = adam(options.lr, options.beta1)
    this.#optD = adam(options.lr, options.beta1)
  }

  async step(batch: Batch, random: Random): Promise<Record<string, number>> {
    const { a, b } = bothSides(batch)
    const { generator: G, discriminator: D } = this.networks
    const gan = ganLosses[this.options.ganLoss]
    const train = { training: true, dropoutSeed: random.uint32() }
    const scalars = tf.tidy(() => {
      let dReal!: tf.Scalar
      let dFake!: tf.Scalar
      let gGan!: tf.Scalar
      let gL1!: tf.Scalar
      // G's loss is recorded from its one forward pass, as in the reference code; the D step runs in
      // between on that same image (only D's gradient is taken there), so G is judged by the updated D.
      this.#optG.minimize(
        () => {
          const fake = G.apply(a, train) as tf.Tensor4D
          this.#optD.minimize(
            () => {
              const fakeLogits = D.apply(tf.concat([a, fake], 3), { training: true }) as tf.Tensor
              const realLogits = D.apply(tf.concat([a, b], 3), { training: true }) as tf.Tensor
              dFake = tf.keep(gan.asFake(fakeLogits))
              dReal = tf.keep(gan.asReal(realLogits))
              return tf.mul(tf.add(dReal, dFake), 0.5) as tf.Scalar
            },
            false,
            variablesOf(D),
          )
          const logits = D.apply(tf.concat([a, fake], 3), { training: true }) as tf.Tensor
          gGan = tf.keep(gan.asReal(logits))
          gL1 = tf.keep(tf.mul(l1(fake, b), this.options.lambdaL1) as tf.Scalar)
          return tf.add(gGan, gL1) as tf.Scalar
        },
        false,
        variablesOf(G),
      )
      return { G_GAN: gGan, G_L1: gL1, D_real: dReal, D_fake: dFake }
    })
    return readScalars(scalars)
  }

  setLearningRate(lr: number): void {
    setLearningRate(this.#optG, lr)
    setLearningRate(this.#optD, lr)
  }

  visuals(batch: Batch): tf.Tensor4D[] {
    const { a, b } = bothSides(batch)
    const fake = tf.tidy(() => this.networks.generator.apply(a, { training: false }) as tf.Tensor4D)
    return [a.clone(), fake, b.clone()]
  }

  async stateTensors(): Promise<NamedTensors> {
    return [...(await optimizerState('optG', this.#optG)), ...(await optimizerState('optD', this.#optD))]
  }

  async restoreState(tensors: tf.NamedTensorMap): Promise<void> {
    await restoreOptimizer('optG', this.#optG, tensors)
    await restoreOptimizer('optD', this.#optD, tensors)
  }

  dispose(): void {
    this.#optG.dispose()
    this.#optD.dispose()
    this.networks.generator.dispose()
    this.networks.discriminator.dispose()
  }
}
