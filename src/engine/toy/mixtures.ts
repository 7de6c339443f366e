/**
 * The two classic 2-D mode-collapse benchmarks (Metz et al. 2017, Srivastava et al. 2017, Lin et
 * al. 2018): a ring of 8 Gaussians and a 5×5 grid of 25, each an equal mixture of isotropic
 * Gaussians, and the coverage figures the literature reports for them.
 */
import type { Random } from '../random'

export type Point = readonly [number, number]

export interface Mixture {
  readonly name: MixtureName
  readonly modes: readonly Point[]
  /** Standard deviation of every component. */
  readonly sigma: number
}

export type MixtureName = 'ring' | 'grid'

/** 8 modes evenly spaced on a circle of radius 2. */
export const ring: Mixture = {
  name: 'ring',
  modes: Array.from({ length: 8 }, (_, k): Point => [2 * Math.cos((2 * Math.PI * k) / 8), 2 * Math.sin((2 * Math.PI * k) / 8)]),
  sigma: 0.05,
}

/** 25 modes at {-4, -2, 0, 2, 4}². */
export const grid: Mixture = {
  name: 'grid',
  modes: [-4, -2, 0, 2, 4].flatMap((x) => [-4, -2, 0, 2, 4].map((y): Point => [x, y])),
  sigma: 0.05,
}

export const mixtures: Record<MixtureName, Mixture> = { ring, grid }

/** n points, flattened as [x0, y0, x1, y1, …]: a uniformly chosen mode plus N(0, σ²I) noise. */
export function sampleMixture(mixture: Mixture, n: number, random: Random): Float32Array {
  const out = new Float32Array(2 * n)
  for (let i = 0; i < n; i++) {
    const [mx, my] = mixture.modes[random.int(mixture.modes.length)]!
    out[2 * i] = mx + mixture.sigma * random.normal()
    out[2 * i + 1] = my + mixture.sigma * random.normal()
  }
  return out
}

export interface Coverage {
  /** Modes that received at least 1% of the samples within 3σ. */
  modesCaptured: number
  totalModes: number
  /** Share of samples within 3σ of some mode ("high quality"). */
  highQualityShare: number
}

/**
 * Mode coverage as in the mode-collapse literature: a sample is high quality when it lies within 3σ
 * of a mode (and then belongs to its nearest mode), and a mode is captured when at least 1% of all
 * samples belong to it. `points` is flattened [x0, y0, x1, y1, …].
 */
export function coverage(points: ArrayLike<number>, modes: readonly Point[], sigma: number): Coverage {
  const n = points.length / 2
  if (!Number.isInteger(n) || n === 0) throw new Error(`coverage needs a non-empty list of (x, y) pairs (got ${points.length} numbers)`)
  const radius2 = (3 * sigma) ** 2
  const perMode = new Array<number>(modes.length).fill(0)
  let highQuality = 0
  for (let i = 0; i < n; i++) {
    const x = points[2 * i]!
    const y = points[2 * i + 1]!
    let nearest = -1
    let best = Infinity
    modes.forEach(([mx, my], m) => {
      const d2 = (x - mx) ** 2 + (y - my) ** 2
      if (d2 < best) [best, nearest] = [d2, m]
    })
    if (best <= radius2) {
      highQuality++
      perMode[nearest]!++
    }
  }
  return {
    modesCaptured: perMode.filter((count) => count >= 0.01 * n).length,
    totalModes: modes.length,
    highQualityShare: highQuality / n,
  }
}
