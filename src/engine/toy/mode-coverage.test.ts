/**
 * Mode coverage on the 2-D benchmarks at CI size: the coverage figures on hand-made points, and a
 * short run of the face generator's losses on the 8-Gaussian ring. The long runs are
 * bench/mode-coverage.ts.
 */
import * as tf from '@tensorflow/tfjs'
import '@tensorflow/tfjs-backend-wasm'
import { beforeAll, describe, expect, it } from 'vitest'
import { registerWasmTrainingKernels } from '../backend/wasm-kernels'
import { Random } from '../random'
import { coverage, grid, ring, sampleMixture, type Point } from './mixtures'
import { trainToyGan, type ToyGanOptions } from './toy-gan'

beforeAll(async () => {
  registerWasmTrainingKernels()
  await tf.setBackend('wasm')
})

/** `count` copies of each point, flattened. */
const repeat = (points: readonly Point[], count: number) => points.flatMap((p) => Array.from({ length: count }, () => [...p])).flat()

describe('coverage', () => {
  const { modes, sigma } = ring

  it('counts every mode and every point when points sit on the modes', () => {
    expect(coverage(repeat(modes, 10), modes, sigma)).toEqual({ modesCaptured: 8, totalModes: 8, highQualityShare: 1 })
  })

  it('counts one mode when all points fall on it', () => {
    expect(coverage(repeat([modes[3]!], 100), modes, sigma)).toEqual({ modesCaptured: 1, totalModes: 8, highQualityShare: 1 })
  })

  it('counts nothing for points off every mode', () => {
    const offMode = repeat([[0, 0], [1, 1], [2 + 3.1 * sigma, 0]], 5)
    expect(coverage(offMode, modes, sigma)).toEqual({ modesCaptured: 0, totalModes: 8, highQualityShare: 0 })
  })

  it('uses 3σ as the radius and 1% of all points as the capture threshold', () => {
    // 100 points in all: 97 at the centre (off-mode), 2 at 2.9σ from mode 0, 1 on mode 1.
    const points = [...repeat([[0, 0]], 97), ...repeat([[2 + 2.9 * sigma, 0]], 2), ...repeat([modes[1]!], 1)]
    expect(coverage(points, modes, sigma)).toEqual({ modesCaptured: 2, totalModes: 8, highQualityShare: 0.03 })
    // 200 points: the single point on mode 1 is now 0.5%, under the threshold.
    expect(coverage([...points, ...repeat([[0, 0]], 100)], modes, sigma).modesCaptured).toBe(1)
  })

  it('finds the true mixtures fully covered', () => {
    for (const mixture of [ring, grid]) {
      const result = coverage(sampleMixture(mixture, 2500, new Random(7)), mixture.modes, mixture.sigma)
      expect(result.modesCaptured).toBe(mixture.modes.length)
      // A 2-D Gaussian puts 1 − e^(−9/2) ≈ 98.9% of its mass within 3σ: the best share there is.
      expect(result.highQualityShare).toBeCloseTo(1 - Math.exp(-4.5), 2)
    }
  })
})

describe('trainToyGan', () => {
  /** Tiny nets and few steps: what every loss must do, not how well. */
  const tiny = { mixture: ring, batch: 16, seed: 3, width: 8, depth: 2, evalSamples: 100 } as const

  it.each(['bce', 'hinge', 'wgan-gp'] as const)('trains %s with the shared loss terms, repeats exactly and leaks nothing', (loss) => {
    const before = tf.memory().numTensors
    const reported: Record<string, number>[] = []
    const run = () => trainToyGan({ ...tiny, loss, steps: 3, progressEvery: 1, onProgress: (_, terms) => reported.push(terms) })
    const first = run()
    expect(tf.memory().numTensors).toBe(before)
    expect(Object.keys(reported[0]!).sort()).toEqual(loss === 'wgan-gp' ? ['D_fake', 'D_real', 'G', 'GP'] : ['D_fake', 'D_real', 'G'])
    expect(reported.flatMap(Object.values).every(Number.isFinite)).toBe(true)
    expect(first.settings.nCritic).toBe(loss === 'wgan-gp' ? 5 : 1) // the published settings by default
    expect(Array.from(run().samples)).toEqual(Array.from(first.samples))
  })

  it('samples from the EMA generator and adds the drift term when asked, leaking nothing', () => {
    const before = tf.memory().numTensors
    const reported: Record<string, number>[] = []
    const options = { ...tiny, loss: 'wgan-gp', steps: 3, driftWeight: 1e-3, progressEvery: 1, onProgress: (_: number, terms: Record<string, number>) => reported.push(terms) } as const
    const withEma = trainToyGan({ ...options, emaDecay: 0.5 })
    expect(tf.memory().numTensors).toBe(before)
    expect(Object.keys(reported[0]!).sort()).toEqual(['D_fake', 'D_real', 'G', 'GP', 'drift'])
    // The same training without the EMA: G's own figures, and different samples from the EMA's.
    const plain = trainToyGan({ ...options, emaDecay: 0 })
    expect(withEma.coverageWithoutEma).toEqual(plain.coverage)
    expect(plain.coverageWithoutEma).toBeUndefined()
    expect(Array.from(withEma.samples)).not.toEqual(Array.from(plain.samples))
  })
})

describe('a short hinge run on the 8-Gaussian ring', () => {
  // Measured (seed 1, wasm): 8/8 modes, 73% high quality after 600 steps; seeds 2 and 3 also reach 8/8.
  const short: ToyGanOptions = { mixture: ring, loss: 'hinge', steps: 600, batch: 64, seed: 1, width: 64, lr: 2e-3, decayFrom: 0.5 }

  it('captures most modes with mostly high-quality samples, unlike the untrained generator', () => {
    const untrained = trainToyGan({ ...short, steps: 0 })
    const trained = trainToyGan(short)
    expect(trained.coverage.modesCaptured).toBeGreaterThanOrEqual(7)
    expect(trained.coverage.highQualityShare).toBeGreaterThan(0.5)
    expect(untrained.coverage.modesCaptured).toBeLessThanOrEqual(3)
    expect(trained.coverage.highQualityShare).toBeGreaterThan(untrained.coverage.highQualityShare + 0.4)
  })
})
