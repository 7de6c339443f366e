/** Seeds to latents, truncation and spherical interpolation (plain arrays: no backend involved). */
import { describe, expect, it } from 'vitest'
import { MAX_SEED, checkPsi, interpolate, isSeed, latentFromSeed, norm, slerp, truncate, truncatedLatent } from './latent'

describe('latentFromSeed', () => {
  it('is deterministic: the same seed gives the same bits, other seeds other latents', () => {
    const a = latentFromSeed(42, 128)
    expect(Buffer.from(latentFromSeed(42, 128).buffer)).toEqual(Buffer.from(a.buffer))
    expect(Array.from(latentFromSeed(43, 128))).not.toEqual(Array.from(a))
    expect(Array.from(latentFromSeed(0, 128))).not.toEqual(Array.from(latentFromSeed(1, 128)))
  })

  it('gives standard normals', () => {
    const z = latentFromSeed(7, 20_000)
    const mean = z.reduce((s, v) => s + v, 0) / z.length
    const variance = z.reduce((s, v) => s + (v - mean) ** 2, 0) / z.length
    expect(Math.abs(mean)).toBeLessThan(0.03)
    expect(Math.abs(variance - 1)).toBeLessThan(0.05)
    expect(z.every(Number.isFinite)).toBe(true)
  })

  it('a shorter latent is the start of a longer one (same stream)', () => {
    expect(Array.from(latentFromSeed(5, 16))).toEqual(Array.from(latentFromSeed(5, 64).subarray(0, 16)))
  })

  it('refuses seeds outside 0 … 2³²−1 instead of folding them', () => {
    expect(isSeed(0) && isSeed(MAX_SEED)).toBe(true)
    for (const bad of [-1, 1.5, MAX_SEED + 1, Number.NaN]) {
      expect(isSeed(bad)).toBe(false)
      expect(() => latentFromSeed(bad, 4)).toThrow(/whole number from 0 to 4294967295/)
    }
  })
})

describe('truncate', () => {
  const z = latentFromSeed(3, 64)
  it('ψ = 1 is the latent itself, ψ = 0 the mean (0), ψ scales toward it', () => {
    expect(Array.from(truncate(z, 1))).toEqual(Array.from(z))
    expect(Array.from(truncate(z, 0)).every((v) => v === 0)).toBe(true)
    expect(norm(truncate(z, 0.5))).toBeCloseTo(norm(z) / 2, 4)
  })
  it('pulls toward a given mean', () => {
    const mean = new Float32Array(64).fill(2)
    expect(Array.from(truncate(z, 0, mean))).toEqual(Array.from(mean))
  })
  it('truncatedLatent checks ψ', () => {
    expect(Array.from(truncatedLatent(3, 64, 0.7))).toEqual(Array.from(truncate(z, 0.7)))
    expect(checkPsi(0)).toBe(0)
    for (const bad of [-0.1, 1.01, Number.NaN]) expect(() => truncatedLatent(3, 64, bad)).toThrow(/ψ goes from 0/)
  })
})

describe('slerp and interpolate', () => {
  const a = latentFromSeed(1, 128)
  const b = latentFromSeed(2, 128)

  it('the ends are the inputs exactly', () => {
    expect(Array.from(slerp(a, b, 0))).toEqual(Array.from(a))
    expect(Array.from(slerp(a, b, 1))).toEqual(Array.from(b))
    const frames = interpolate(a, b, 9)
    expect(frames).toHaveLength(9)
    expect(Array.from(frames[0]!)).toEqual(Array.from(a))
    expect(Array.from(frames[8]!)).toEqual(Array.from(b))
  })

  it('intermediate norms stay between the ends (no dip toward the low-density centre, unlike lerp)', () => {
    const [na, nb] = [norm(a), norm(b)]
    const [lo, hi] = [Math.min(na, nb), Math.max(na, nb)]
    for (const frame of interpolate(a, b, 11)) {
      expect(norm(frame)).toBeGreaterThanOrEqual(lo - 1e-3)
      expect(norm(frame)).toBeLessThanOrEqual(hi + 1e-3)
    }
    // a linear mix of two near-orthogonal latents would be much shorter halfway
    const lerp = a.map((v, i) => (v + b[i]!) / 2)
    expect(norm(lerp)).toBeLessThan(lo * 0.8)
  })

  it('moves at constant angular speed along the arc (unit latents)', () => {
    const unit = (z: Float32Array) => z.map((v) => v / norm(z))
    const frames = interpolate(unit(a), unit(b), 5)
    const angle = (x: Float32Array, y: Float32Array) => Math.acos(x.reduce((s, v, i) => s + v * y[i]!, 0) / (norm(x) * norm(y)))
    const steps = frames.slice(1).map((f, i) => angle(frames[i]!, f))
    for (const step of steps) expect(step).toBeCloseTo(angle(a, b) / 4, 3)
  })

  it('parallel latents fall back to a linear mix; bad input is refused', () => {
    const twice = a.map((v) => 2 * v)
    expect(norm(slerp(a, twice, 0.5))).toBeCloseTo(1.5 * norm(a), 3)
    expect(() => interpolate(a, b, 1)).toThrow(/at least 2 frames/)
    expect(() => slerp(a, latentFromSeed(2, 4), 0.5)).toThrow(/different sizes/)
  })
})
