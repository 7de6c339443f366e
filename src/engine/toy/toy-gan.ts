/**
 * A GAN on a 2-D mixture (see mixtures.ts): MLP generator and critic trained with the face
 * generator's own objectives (adversarialLosses, gradientPenalty), to measure mode coverage apart
 * from convolutions and images. Deterministic for a seed: weights, data and latents all come from
 * the engine's Random.
 */
import * as tf from '@tensorflow/tfjs'
import { DcganOptions, optimiserSettings, type DcganLoss } from '../../shared/training'
import { adversarialLosses, gradientPenalty } from '../losses'
import { Random } from '../random'
import { learningRateAt } from '../training/schedule'
import { adam, setLearningRate } from '../training/trainer'
import { coverage, sampleMixture, type Coverage, type Mixture } from './mixtures'

export interface ToyGanOptions {
  mixture: Mixture
  loss: DcganLoss
  /** Generator updates (each after `nCritic` critic updates). */
  steps: number
  /** Real and fake points per update. */
  batch: number
  seed: number
  /** Hidden units per layer of both MLPs. */
  width?: number
  /** Hidden layers of both MLPs. */
  depth?: number
  /** The critic's hidden activation (the generator's is ReLU). */
  criticActivation?: Activation
  /** Size of the latent z ~ N(0, I). */
  latent?: number
  /** Adam settings and critic updates per step; default: the face generator's published ones. */
  lr?: number
  beta1?: number
  beta2?: number
  nCritic?: number
  /** Fraction of the steps after which the learning rate decays linearly to 0 (1: constant, as for faces). */
  decayFrom?: number
  /** λ of the gradient penalty (WGAN-GP only). */
  gpWeight?: number
  /**
   * ε of the drift term ε·E[D(real)²] added to the critic's loss (WGAN-GP only; Karras et al. 2018):
   * keeps the critic's output from drifting, which the Wasserstein loss alone does not. 0: off.
   */
  driftWeight?: number
  /**
   * Decay of an exponential moving average of G's weights, updated after every G step; when > 0,
   * coverage is measured on the EMA generator (as the face generator samples from its EMA), else on
   * G itself. 0: off.
   */
  emaDecay?: number
  /** Points drawn from the trained generator to measure coverage. */
  evalSamples?: number
  /**
   * Called every `progressEvery` steps with the latest loss terms; `measure` gives the current
   * coverage on the fixed evaluation latents without touching the training's random stream.
   */
  onProgress?: (step: number, losses: Record<string, number>, measure: () => Coverage) => void
  progressEvery?: number
  signal?: AbortSignal
}

export type ToySettings = Required<Omit<ToyGanOptions, 'mixture' | 'onProgress' | 'signal'>> & { mixture: string }

export interface ToyGanResult {
  settings: ToySettings
  /** The trained generator's points, flattened [x0, y0, x1, y1, …]. */
  samples: Float32Array
  /** Coverage of the measured generator: the EMA one when `emaDecay` > 0, else G. */
  coverage: Coverage
  /** With an EMA: the coverage of G's own (last) weights, for comparison. */
  coverageWithoutEma?: Coverage
  seconds: number
}

/** Fills in the defaults: the published optimiser settings of the chosen loss, and a toy-sized MLP. */
export function toySettings(options: ToyGanOptions): ToySettings {
  const published = optimiserSettings(DcganOptions.parse({ family: 'dcgan', steps: 1, loss: options.loss }))
  return {
    mixture: options.mixture.name,
    loss: options.loss,
    steps: options.steps,
    batch: options.batch,
    seed: options.seed,
    width: options.width ?? 256,
    depth: options.depth ?? 3,
    criticActivation: options.criticActivation ?? 'leakyRelu',
    latent: options.latent ?? 2,
    lr: options.lr ?? published.lr,
    beta1: options.beta1 ?? published.beta1,
    beta2: options.beta2 ?? published.beta2,
    nCritic: options.nCritic ?? published.nCritic,
    decayFrom: options.decayFrom ?? 1,
    gpWeight: options.gpWeight ?? 10,
    driftWeight: options.driftWeight ?? 0,
    emaDecay: options.emaDecay ?? 0,
    evalSamples: options.evalSamples ?? 2500,
    progressEvery: options.progressEvery ?? 100,
  }
}

export type Activation = 'relu' | 'leakyRelu'

/**
 * inputs → `depth` hidden layers of `width` → outputs (linear). He init for the hidden layers,
 * Glorot for the head, each seeded from `seed`. LeakyReLU(0.2) for critics, as DCGAN: a critic
 * with dead ReLUs is flat in places, and G gets no gradient there.
 */
export function mlp(shape: { inputs: number; outputs: number; width: number; depth: number; activation: Activation }, seed: number, name: string): tf.Sequential {
  const seeds = new Random(seed)
  const model = tf.sequential({ name })
  for (let i = 0; i < shape.depth; i++) {
    model.add(
      tf.layers.dense({
        ...(i === 0 ? { inputShape: [shape.inputs] } : {}),
        units: shape.width,
        activation: shape.activation === 'relu' ? 'relu' : 'linear',
        kernelInitializer: tf.initializers.heNormal({ seed: seeds.uint32() }),
        name: `${name}_hidden${i}`,
      }),
    )
    if (shape.activation === 'leakyRelu') model.add(tf.layers.leakyReLU({ alpha: 0.2, name: `${name}_leaky${i}` }))
  }
  model.add(
    tf.layers.dense({
      ...(shape.depth === 0 ? { inputShape: [shape.inputs] } : {}),
      units: shape.outputs,
      kernelInitializer: tf.initializers.glorotUniform({ seed: seeds.uint32() }),
      name: `${name}_out`,
    }),
  )
  return model
}

function normals(rows: number, cols: number, random: Random): tf.Tensor2D {
  const values = new Float32Array(rows * cols)
  for (let i = 0; i < values.length; i++) values[i] = random.normal()
  return tf.tensor2d(values, [rows, cols])
}

/** Trains G and D from scratch, then measures the coverage of `evalSamples` points from G. */
export function trainToyGan(options: ToyGanOptions): ToyGanResult {
  const started = performance.now()
  const s = toySettings(options)
  const random = new Random(s.seed)
  const { width, depth } = s
  const gShape = { inputs: s.latent, outputs: 2, width, depth, activation: 'relu' } as const
  const gSeed = random.uint32()
  const G = mlp(gShape, gSeed, 'generator')
  const D = mlp({ inputs: 2, outputs: 1, width, depth, activation: s.criticActivation }, random.uint32(), 'critic')
  // The EMA generator starts as a copy of G (same seed, same initial weights).
  const emaG = s.emaDecay > 0 ? mlp(gShape, gSeed, 'generatorEma') : undefined
  const optG = adam(s.lr, s.beta1, s.beta2)
  const optD = adam(s.lr, s.beta1, s.beta2)
  const variables = (m: tf.LayersModel) => m.trainableWeights.map((w) => w.read() as tf.Variable)
  const [gVariables, dVariables] = [variables(G), variables(D)]
  const emaVariables = emaG ? variables(emaG) : []
  const updateEma = () =>
    tf.tidy(() => emaVariables.forEach((v, i) => v.assign(tf.add(tf.mul(v, s.emaDecay), tf.mul(gVariables[i]!, 1 - s.emaDecay)))))
  const loss = adversarialLosses[s.loss]
  const critic = (x: tf.Tensor) => D.apply(x) as tf.Tensor
  // One fixed set of evaluation latents, from its own stream: measuring never changes the training.
  const evalLatents = normals(s.evalSamples, s.latent, random.fork())
  const generate = (generator = emaG ?? G): Float32Array => {
    const points = tf.tidy(() => generator.apply(evalLatents) as tf.Tensor)
    const values = points.dataSync() as Float32Array
    points.dispose()
    return values
  }
  const measure = () => coverage(generate(), options.mixture.modes, options.mixture.sigma)
  try {
    for (let step = 1; step <= s.steps; step++) {
      options.signal?.throwIfAborted()
      const lr = learningRateAt(step, s)
      setLearningRate(optG, lr)
      setLearningRate(optD, lr)
      const report = options.onProgress && (step % s.progressEvery === 0 || step === s.steps)
      const terms = tf.tidy(() => {
        let dTerms: Record<string, tf.Scalar> = {}
        for (let k = 0; k < s.nCritic; k++) {
          const real = tf.tensor2d(sampleMixture(options.mixture, s.batch, random), [s.batch, 2])
          const fake = G.apply(normals(s.batch, s.latent, random)) as tf.Tensor
          const epsilon = s.loss === 'wgan-gp' ? Array.from({ length: s.batch }, () => random.next()) : []
          tf.dispose(Object.values(dTerms))
          optD.minimize(
            () => {
              const realScores = critic(real)
              const { real: dReal, fake: dFake } = loss.discriminator(realScores, critic(fake))
              dTerms = { D_real: tf.keep(dReal), D_fake: tf.keep(dFake) }
              const total = tf.add(dReal, dFake) as tf.Scalar
              if (s.loss !== 'wgan-gp') return total
              dTerms.GP = tf.keep(gradientPenalty(critic, real, fake, epsilon))
              let penalised = tf.add(total, tf.mul(dTerms.GP, s.gpWeight)) as tf.Scalar
              if (s.driftWeight > 0) {
                dTerms.drift = tf.keep(tf.mean(tf.square(realScores)) as tf.Scalar)
                penalised = tf.add(penalised, tf.mul(dTerms.drift, s.driftWeight))
              }
              return penalised
            },
            false,
            dVariables,
          )
        }
        const z = normals(s.batch, s.latent, random)
        const gLoss = optG.minimize(() => loss.generator(critic(G.apply(z) as tf.Tensor)), true, gVariables)!
        return { G: gLoss, ...dTerms }
      })
      updateEma()
      if (report) options.onProgress!(step, readNumbers(terms), measure)
      tf.dispose(Object.values(terms))
    }
    const samples = generate()
    return {
      settings: s,
      samples,
      coverage: coverage(samples, options.mixture.modes, options.mixture.sigma),
      ...(emaG ? { coverageWithoutEma: coverage(generate(G), options.mixture.modes, options.mixture.sigma) } : {}),
      seconds: (performance.now() - started) / 1000,
    }
  } finally {
    G.dispose()
    emaG?.dispose()
    D.dispose()
    optG.dispose()
    optD.dispose()
    evalLatents.dispose()
  }
}

function readNumbers(scalars: Record<string, tf.Scalar>): Record<string, number> {
  return Object.fromEntries(Object.entries(scalars).map(([name, t]) => [name, t.dataSync()[0]!]))
}
