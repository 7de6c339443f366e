/**
 * Face-generator training: DCGAN networks with a choice of objective (non-saturating BCE, WGAN-GP,
 * hinge), optional class conditioning, DiffAugment and FreezeD for small data sets, and an
 * exponential moving average of G's weights for sampling (as StyleGAN and BigGAN sample).
 *
 *   repeat n_critic times, each on its own real batch x (and its labels y):
 *     D:  L_D(D(aug(x), y), D(aug(G(z, y)), y))  [+ λ·GP for WGAN-GP]
 *   G:  L_G(D(aug(G(z, y)), y))                    with fresh z, then the EMA update
 */
import * as tf from '@tensorflow/tfjs'
import { optimiserSettings, type DcganOptions } from '../../shared/training'
import { latentFromSeed } from '../latent/latent'
import { adversarialLosses, gradientPenalty } from '../losses'
import { dcganDiscriminator, dcganGenerator, frozenDiscriminatorWeights, type DcganShape } from '../models/dcgan'
import { Random } from '../random'
import { diffAugment } from './diff-augment'
import { adam, optimizerState, readScalars, restoreOptimizer, setLearningRate, type Batch, type NamedTensors, type Trainer } from './trainer'

export type DcganNetworks = {
  /** What inference loads: the moving average of G when EMA is on, else G itself. */
  generator: tf.LayersModel
  /** The generator being optimised, kept beside its average so a run can resume (EMA only). */
  generator_live?: tf.LayersModel
  discriminator: tf.LayersModel
}

/** Seeds of the sample grid written while training: the same faces at every step. */
const SAMPLE_SEEDS = Array.from({ length: 16 }, (_, i) => i)
/** EMA warm-up (as in Karras et al.'s code): the average follows closely while G changes fast. */
const emaDecayAt = (decay: number, step: number) => Math.min(decay, (1 + step) / (10 + step))

export const dcganShape = (options: DcganOptions): DcganShape => ({
  size: options.size,
  z: options.z,
  ngf: options.ngf,
  ndf: options.ndf,
  classes: options.classes?.length ?? 0,
})

export class DcganTrainer implements Trainer {
  readonly lossNames: readonly string[]
  readonly networks: DcganNetworks
  /** Real batches each step takes: one per critic update. */
  readonly batchesPerStep: number
  readonly #live: tf.LayersModel
  readonly #optG: tf.AdamOptimizer
  readonly #optD: tf.AdamOptimizer
  readonly #dVariables: tf.Variable[]
  readonly #shape: DcganShape
  /** Names of G's trained weights: averaged; the rest (BatchNorm statistics) are copied. */
  readonly #trainedWeightNames: ReadonlySet<string>
  #generatorSteps = 0

  constructor(
    readonly options: DcganOptions,
    networks: Partial<DcganNetworks> = {},
  ) {
    this.#shape = dcganShape(options)
    const settings = optimiserSettings(options)
    this.batchesPerStep = settings.nCritic
    const seeds = new Random(options.seed) // the run's seed fixes the initial weights too
    const [gSeed, dSeed] = [seeds.uint32(), seeds.uint32()]
    // A critic judges each sample on its own: no BatchNorm for WGAN-GP (Gulrajani et al. §4) or with spectral norm.
    const dNorm = options.loss === 'wgan-gp' || options.spectralNorm ? 'none' : 'batch'
    const live = networks.generator_live ?? networks.generator ?? dcganGenerator(this.#shape, gSeed)
    this.#live = live
    const discriminator =
      networks.discriminator ?? dcganDiscriminator(this.#shape, { norm: dNorm, spectralNorm: options.spectralNorm }, dSeed)
    let average: tf.LayersModel | undefined
    if (options.ema > 0) {
      average = networks.generator_live ? networks.generator : undefined
      if (!average) {
        average = dcganGenerator(this.#shape, gSeed)
        average.setWeights(live.getWeights())
      }
    }
    this.networks = average ? { generator: average, generator_live: live, discriminator } : { generator: live, discriminator }
    this.#optG = adam(settings.lr, settings.beta1, settings.beta2)
    this.#optD = adam(settings.lr, settings.beta1, settings.beta2)
    const frozen = frozenDiscriminatorWeights(discriminator, options.freezeD)
    this.#dVariables = discriminator.trainableWeights.filter((w) => !frozen.has(w.name)).map((w) => w.read() as tf.Variable)
    this.#trainedWeightNames = new Set(live.trainableWeights.map((w) => w.name))
    this.lossNames = ['G', 'D_real', 'D_fake', ...(options.loss === 'wgan-gp' ? ['GP'] : [])]
  }

  /** A batch of latents (and, for a conditional model, the labels) as G's inputs. */
  #generatorInputs(z: Float32Array, labels: tf.Tensor | undefined): tf.Tensor[] {
    const n = z.length / this.#shape.z
    const latents = tf.tensor2d(z, [n, this.#shape.z])
    if (!this.#shape.classes) return [latents]
    if (!labels) throw new Error('this generator is class-conditional: every batch needs labels')
    return [latents, tf.reshape(labels, [n, 1])]
  }

  #randomLatents(n: number, random: Random): Float32Array {
    const z = new Float32Array(n * this.#shape.z)
    for (let i = 0; i < z.length; i++) z[i] = random.normal()
    return z
  }

  async step(batch: Batch, random: Random): Promise<Record<string, number>> {
    const D = this.networks.discriminator
    const G = this.#live
    const loss = adversarialLosses[this.options.loss]
    const augment = (x: tf.Tensor4D) => (this.options.augment.length ? diffAugment(x, this.options.augment, random) : x)
    const n = batch.a.shape[0] / this.batchesPerStep
    if (!Number.isInteger(n)) throw new Error(`a DCGAN step takes ${this.batchesPerStep} batches of equal size`)
    const scalars = tf.tidy(() => {
      // Labels only reach a conditional model's networks (a labelled batch may train an unconditional one).
      const labelsOf = (k: number) =>
        this.#shape.classes && batch.labels ? tf.reshape(tf.slice(batch.labels, [k * n], [n]), [n, 1]) : undefined
      const judge = (images: tf.Tensor4D, labels: tf.Tensor | undefined, training = true) =>
        D.apply(labels ? [images, labels] : [images], { training }) as tf.Tensor
      let dReal!: tf.Scalar
      let dFake!: tf.Scalar
      let gp: tf.Scalar | undefined
      for (let k = 0; k < this.batchesPerStep; k++) {
        const real = tf.slice(batch.a, [k * n, 0, 0, 0], [n, -1, -1, -1]) as tf.Tensor4D
        const labels = labelsOf(k)
        const fake = G.apply(this.#generatorInputs(this.#randomLatents(n, random), labels), { training: true }) as tf.Tensor4D
        const epsilon = this.options.loss === 'wgan-gp' ? Array.from({ length: n }, () => random.next()) : []
        const [realSeen, fakeSeen] = [augment(real), augment(fake)]
        if (k > 0) tf.dispose([dReal, dFake, ...(gp ? [gp] : [])])
        this.#optD.minimize(
          () => {
            const terms = loss.discriminator(judge(realSeen, labels), judge(fakeSeen, labels))
            dReal = tf.keep(terms.real)
            dFake = tf.keep(terms.fake)
            let total = tf.add(dReal, dFake) as tf.Scalar
            if (this.options.loss === 'wgan-gp') {
              gp = tf.keep(gradientPenalty((x) => judge(x as tf.Tensor4D, labels), realSeen, fakeSeen, epsilon))
              total = tf.add(total, tf.mul(gp, this.options.gpWeight))
            }
            return total
          },
          false,
          this.#dVariables,
        )
      }
      const labels = labelsOf(0)
      const z = this.#randomLatents(n, random)
      let gLoss!: tf.Scalar
      this.#optG.minimize(
        () => {
          const fake = G.apply(this.#generatorInputs(z, labels), { training: true }) as tf.Tensor4D
          const cost = loss.generator(judge(augment(fake), labels))
          gLoss = tf.keep(tf.clone(cost)) // minimize() disposes the cost it is given
          return cost
        },
        false,
        G.trainableWeights.map((w) => w.read() as tf.Variable),
      )
      this.#updateAverage()
      return { G: gLoss, D_real: dReal, D_fake: dFake, ...(gp ? { GP: gp } : {}) }
    })
    return readScalars(scalars)
  }

  /** ema ← β·ema + (1 − β)·G for trained weights; BatchNorm's running statistics are copied. */
  #updateAverage(): void {
    const average = this.networks.generator
    if (average === this.#live) return
    const beta = emaDecayAt(this.options.ema, this.#generatorSteps++)
    const trainable = this.#trainedWeightNames
    const liveWeights = this.#live.weights
    average.weights.forEach((target, i) => {
      const source = liveWeights[i]!.read()
      const next = trainable.has(liveWeights[i]!.name) ? tf.add(tf.mul(target.read(), beta), tf.mul(source, 1 - beta)) : source
      target.write(next)
    })
  }

  setLearningRate(lr: number): void {
    setLearningRate(this.#optG, lr)
    setLearningRate(this.#optD, lr)
  }

  /** A 4×4 grid of the averaged generator's samples from fixed seeds; one class per row when conditional. */
  visuals(): tf.Tensor4D[] {
    return tf.tidy(() => {
      const z = new Float32Array(SAMPLE_SEEDS.flatMap((s) => Array.from(latentFromSeed(s, this.#shape.z))))
      const classes = this.#shape.classes
      const labels = classes ? tf.tensor1d(SAMPLE_SEEDS.map((_, i) => Math.floor(i / 4) % classes), 'int32') : undefined
      const images = this.networks.generator.apply(this.#generatorInputs(z, labels), { training: false }) as tf.Tensor4D
      // Columns of the grid: image i of row r is sample 4r + i.
      return [0, 1, 2, 3].map((c) => tf.gather(images, [c, 4 + c, 8 + c, 12 + c]) as tf.Tensor4D)
    })
  }

  async stateTensors(): Promise<NamedTensors> {
    return [
      ...(await optimizerState('optG', this.#optG)),
      ...(await optimizerState('optD', this.#optD)),
      { name: 'ema.generatorSteps', tensor: tf.scalar(this.#generatorSteps, 'int32') },
    ]
  }

  async restoreState(tensors: tf.NamedTensorMap): Promise<void> {
    await restoreOptimizer('optG', this.#optG, tensors)
    await restoreOptimizer('optD', this.#optD, tensors)
    const steps = tensors['ema.generatorSteps']
    if (steps) {
      this.#generatorSteps = (await steps.data())[0]!
      steps.dispose()
    }
  }

  dispose(): void {
    this.#optG.dispose()
    this.#optD.dispose()
    for (const network of new Set(Object.values(this.networks))) network.dispose()
  }
}
