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
      expect(result.highQualityShare).toBeGreaterThan(0.99) // 3σ holds 98.9% of a 2-D Gaussian
    }
  })
})

describe('a short GAN run on the 8-Gaussian ring', () => {
  const short: ToyGanOptions = { mixture: ring, loss: 'hinge', steps: 0, batch: 128, seed: 1, width: 64 }

  it('captures most modes, beats the untrained generator, repeats exactly and leaks nothing', () => {
    const before = tf.memory().numTensors
    const untrained = trainToyGan(short)
    const trained = trainToyGan({ ...short, steps: 1000 })
    expect(tf.memory().numTensors).toBe(before)
    expect(trained.coverage.modesCaptured).toBeGreaterThanOrEqual(7)
    expect(trained.coverage.highQualityShare).toBeGreaterThan(0.5)
    expect(trained.coverage.modesCaptured).toBeGreaterThan(untrained.coverage.modesCaptured)
    expect(trained.coverage.highQualityShare).toBeGreaterThan(untrained.coverage.highQualityShare + 0.3)
  })
})
