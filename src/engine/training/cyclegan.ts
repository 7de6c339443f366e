/**
 * CycleGAN training (Zhu et al. 2017), as the reference code does it. G_A: A→B, G_B: B→A;
 * D_A judges B-domain images, D_B judges A-domain images.
 *   G:  GAN(D_A(G_A(A)), real) + GAN(D_B(G_B(B)), real)
 *       + λ_A·|G_B(G_A(A)) − A|₁ + λ_B·|G_A(G_B(B)) − B|₁                       cycle consistency
 *       + λ_idt·(λ_B·|G_A(B) − B|₁ + λ_A·|G_B(A) − A|₁)                          identity
 *   D:  ½[GAN(D_A(B), real) + GAN(D_A(pool_B(fake B)), fake)] and the same for D_B,
 *       the discriminators seeing generated images through 50-image history pools.
 * One Adam for both generators and one for both discriminators, as published.
 */
import * as tf from '@tensorflow/tfjs'
import type { CycleGanOptions } from '../../shared/training'
import { ganLosses, l1 } from '../losses'
import { patchGanDiscriminator } from '../models/patchgan'
import { resnetGenerator } from '../models/resnet'
import { Random } from '../random'
import { ImagePool } from './image-pool'
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

export type CycleGanNetworks = {
  generator_AtoB: tf.LayersModel
  generator_BtoA: tf.LayersModel
  discriminator_A: tf.LayersModel
  discriminator_B: tf.LayersModel
}

/** Σ of the gradients of each loss term with respect to `variables`, computed one term at a time. */
function sumOfGradients(terms: (() => tf.Scalar)[], variables: tf.Variable[]): tf.NamedTensorMap {
  const sum: tf.NamedTensorMap = {}
  for (const term of terms) {
    const { value, grads } = tf.variableGrads(term, variables)
    value.dispose()
    for (const [name, grad] of Object.entries(grads)) {
      const previous = sum[name]
      sum[name] = previous ? tf.add(previous, grad) : grad
      if (previous) tf.dispose([previous, grad])
    }
  }
  return sum
}

export const defaultBlocks = (size: number) => (size >= 256 ? 9 : 6)

export class CycleGanTrainer implements Trainer {
  readonly lossNames = ['D_A', 'G_A', 'cycle_A', 'idt_A', 'D_B', 'G_B', 'cycle_B', 'idt_B'] as const
  readonly networks: CycleGanNetworks
  readonly #optG: tf.AdamOptimizer
  readonly #optD: tf.AdamOptimizer
  readonly #poolFakeA: ImagePool
  readonly #poolFakeB: ImagePool

  constructor(
    readonly options: CycleGanOptions,
    networks?: Partial<CycleGanNetworks>,
  ) {
    const { size, ngf, ndf } = options
    const blocks = options.blocks ?? defaultBlocks(size)
    const seeds = new Random(options.seed) // the run's seed fixes the initial weights too
    const generator = () => resnetGenerator({ blocks, ngf, size, inputChannels: 3, outputChannels: 3, seed: seeds.uint32() })
    const discriminator = () => patchGanDiscriminator({ inputChannels: 3, ndf, size, norm: 'instance', seed: seeds.uint32() })
    this.networks = {
      generator_AtoB: networks?.generator_AtoB ?? generator(),
      generator_BtoA: networks?.generator_BtoA ?? generator(),
      discriminator_A: networks?.discriminator_A ?? discriminator(),
      discriminator_B: networks?.discriminator_B ?? discriminator(),
    }
    this.#optG = adam(options.lr, options.beta1)
    this.#optD = adam(options.lr, options.beta1)
    this.#poolFakeA = new ImagePool(options.poolSize)
    this.#poolFakeB = new ImagePool(options.poolSize)
  }

  async step(batch: Batch, random: Random): Promise<Record<string, number>> {
    const { a, b } = bothSides(batch)
    const { generator_AtoB: GA, generator_BtoA: GB, discriminator_A: DA, discriminator_B: DB } = this.networks
    const { lambdaA, lambdaB, lambdaIdentity } = this.options
    const gan = ganLosses[this.options.ganLoss]
    const train = { training: true }
    const run = (model: tf.LayersModel, x: tf.Tensor) => model.apply(x, train) as tf.Tensor4D
    const scalars = tf.tidy(() => {
      const terms: Record<string, tf.Scalar> = {}
      const keep = (name: string, value: tf.Scalar) => (terms[name] = tf.keep(value))
      let fakeA!: tf.Tensor4D
      let fakeB!: tf.Tensor4D
      // The generators' loss, as three terms whose gradients are taken one after the other and summed
      // before one Adam step (∇ of a sum is the sum of ∇s): only one term's activations are held at a
      // time, a third of the whole loss's, which is what lets a 256 px step fit in wasm's 4 GB.
      const parts: (() => tf.Scalar)[] = [
        () => {
          fakeB = tf.keep(run(GA, a))
          const gA = keep('G_A', gan.asReal(run(DA, fakeB)))
          const cycleA = keep('cycle_A', tf.mul(l1(run(GB, fakeB), a), lambdaA) as tf.Scalar)
          return tf.add(gA, cycleA) as tf.Scalar
        },
        () => {
          fakeA = tf.keep(run(GB, b))
          const gB = keep('G_B', gan.asReal(run(DB, fakeA)))
          const cycleB = keep('cycle_B', tf.mul(l1(run(GA, fakeA), b), lambdaB) as tf.Scalar)
          return tf.add(gB, cycleB) as tf.Scalar
        },
      ]
      if (lambdaIdentity > 0) {
        parts.push(() => {
          const idtA = keep('idt_A', tf.mul(l1(run(GA, b), b), lambdaB * lambdaIdentity) as tf.Scalar)
          const idtB = keep('idt_B', tf.mul(l1(run(GB, a), a), lambdaA * lambdaIdentity) as tf.Scalar)
          return tf.add(idtA, idtB) as tf.Scalar
        })
      } else {
        keep('idt_A', tf.scalar(0))
        keep('idt_B', tf.scalar(0))
      }
      const gradients = sumOfGradients(parts, variablesOf(GA, GB))
      // by variable name, as minimize passes them (the declared type says Variable; any tensor is read)
      this.#optG.applyGradients(gradients as Parameters<tf.AdamOptimizer['applyGradients']>[0])
      tf.dispose(Object.values(gradients))
      const pooledB = this.#poolFakeB.query(fakeB, random)
      const pooledA = this.#poolFakeA.query(fakeA, random)
      fakeA.dispose()
      fakeB.dispose()
      this.#optD.minimize(
        () => {
          const dA = keep('D_A', tf.mul(tf.add(gan.asReal(run(DA, b)), gan.asFake(run(DA, pooledB))), 0.5) as tf.Scalar)
          const dB = keep('D_B', tf.mul(tf.add(gan.asReal(run(DB, a)), gan.asFake(run(DB, pooledA))), 0.5) as tf.Scalar)
          return tf.add(dA, dB) as tf.Scalar
        },
        false,
        variablesOf(DA, DB),
      )
      return terms
    })
    return readScalars(scalars)
  }

  setLearningRate(lr: number): void {
    setLearningRate(this.#optG, lr)
    setLearningRate(this.#optD, lr)
  }

  visuals(batch: Batch): tf.Tensor4D[] {
    const { a, b } = bothSides(batch)
    return tf.tidy(() => {
      const { generator_AtoB: GA, generator_BtoA: GB } = this.networks
      const fakeB = GA.apply(a, { training: false }) as tf.Tensor4D
      const fakeA = GB.apply(b, { training: false }) as tf.Tensor4D
      // Two rows per pair: A | G_A(A) | G_B(G_A(A)) and B | G_B(B) | G_A(G_B(B)).
      const rows = (x: tf.Tensor4D, y: tf.Tensor4D, back: tf.LayersModel) => [x, y, back.apply(y, { training: false }) as tf.Tensor4D]
      const [x1, y1, z1] = rows(a, fakeB, GB)
      const [x2, y2, z2] = rows(b, fakeA, GA)
      return [tf.concat([x1!, x2!]), tf.concat([y1!, y2!]), tf.concat([z1!, z2!])] as tf.Tensor4D[]
    })
  }

  async stateTensors(): Promise<NamedTensors> {
    return [
      ...(await optimizerState('optG', this.#optG)),
      ...(await optimizerState('optD', this.#optD)),
      ...this.#poolFakeA.tensors('poolFakeA'),
      ...this.#poolFakeB.tensors('poolFakeB'),
    ]
  }

  async restoreState(tensors: tf.NamedTensorMap): Promise<void> {
    await restoreOptimizer('optG', this.#optG, tensors)
    await restoreOptimizer('optD', this.#optD, tensors)
    const pool = (prefix: string) =>
      Object.keys(tensors)
        .filter((n) => n.startsWith(`${prefix}/`))
        .sort((x, y) => Number(x.split('/')[1]) - Number(y.split('/')[1]))
        .map((n) => tensors[n]!)
    this.#poolFakeA.restore(pool('poolFakeA'))
    this.#poolFakeB.restore(pool('poolFakeB'))
  }

  dispose(): void {
    this.#optG.dispose()
    this.#optD.dispose()
    this.#poolFakeA.dispose()
    this.#poolFakeB.dispose()
    for (const net of Object.values(this.networks)) net.dispose()
  }
}
