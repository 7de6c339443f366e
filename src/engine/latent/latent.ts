/**
 * Latent vectors for face generators: z ~ N(0, I) from a seed with the engine's own RNG (so a seed
 * gives the same face on every run, backend and machine), truncation toward the mean latent, and
 * spherical interpolation.
 *
 * Everything here is plain JavaScript on Float32Arrays, never a TF.js op, so a latent does not
 * depend on the backend: the same seed gives the same bits on cpu, wasm and tensorflow.
 */
import { Random } from '../random'

/** Seeds are unsigned 32-bit integers: Random folds anything else into that range, so we refuse it. */
export const MAX_SEED = 0xffffffff

export function isSeed(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= MAX_SEED
}

/** The latent for `seed`: `dims` standard normals from Random(seed), as float32. */
export function latentFromSeed(seed: number, dims: number): Float32Array {
  if (!isSeed(seed)) throw new Error(`a seed is a whole number from 0 to ${MAX_SEED} (got ${seed})`)
  const random = new Random(seed)
  const z = new Float32Array(dims)
  for (let i = 0; i < dims; i++) z[i] = random.normal()
  return z
}

/**
 * The truncation trick: ψ·z + (1 − ψ)·z̄ pulls a latent toward the mean latent z̄ (0 for
 * N(0, I) latents without a mapping network): ψ = 1 leaves it, ψ → 0 gives the average face.
 */
export function truncate(z: Float32Array, psi: number, mean?: Float32Array): Float32Array {
  return z.map((v, i) => (mean ? mean[i]! + psi * (v - mean[i]!) : psi * v))
}

/** ψ must be a number from 0 (the mean face) to 1 (no truncation). */
export function checkPsi(psi: number): number {
  if (!Number.isFinite(psi) || psi < 0 || psi > 1) throw new Error(`truncation ψ goes from 0 (the average face) to 1 (none), got ${psi}`)
  return psi
}

/** The latent for `seed`, truncated by ψ toward the mean (0): what a generator is fed for that seed. */
export function truncatedLatent(seed: number, dims: number, psi = 1): Float32Array {
  return truncate(latentFromSeed(seed, dims), checkPsi(psi))
}

/** Euclidean length. */
export function norm(z: Float32Array): number {
  let sum = 0
  for (const v of z) sum += v * v
  return Math.sqrt(sum)
}

/** Spherical interpolation (Shoemake 1985; White 2016 for GAN latents); linear when nearly parallel. */
export function slerp(a: Float32Array, b: Float32Array, t: number): Float32Array {
  if (a.length !== b.length) throw new Error(`slerp: latents of different sizes (${a.length} and ${b.length})`)
  // The ends are copies of the inputs, whatever the angle (also for antiparallel latents).
  if (t === 0) return a.slice()
  if (t === 1) return b.slice()
  let dot = 0
  let na = 0
  let nb = 0
  for (let i = 0; i < a.length; i++) {
    dot += a[i]! * b[i]!
    na += a[i]! * a[i]!
    nb += b[i]! * b[i]!
  }
  const cos = Math.min(1, Math.max(-1, dot / Math.sqrt(na * nb || 1)))
  const omega = Math.acos(cos)
  const sin = Math.sin(omega)
  if (sin < 1e-6) return a.map((v, i) => (1 - t) * v + t * b[i]!)
  const wa = Math.sin((1 - t) * omega) / sin
  const wb = Math.sin(t * omega) / sin
  return a.map((v, i) => wa * v + wb * b[i]!)
}

/** `frames` latents from a to b inclusive. */
export function interpolate(a: Float32Array, b: Float32Array, frames: number): Float32Array[] {
  if (!Number.isInteger(frames) || frames < 2) throw new Error(`an interpolation needs at least 2 frames (got ${frames})`)
  return Array.from({ length: frames }, (_, i) => slerp(a, b, i / (frames - 1)))
}
