/**
 * Latent vectors for face generators: z ~ N(0, I) from a seed with the engine's own RNG (so a seed
 * gives the same face on every run, backend and machine), truncation toward the mean latent, and
 * spherical interpolation.
 */
import { Random } from '../random'

/** The latent for `seed`: `dims` standard normals from Random(seed), as float32. */
export function latentFromSeed(seed: number, dims: number): Float32Array {
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

/** Spherical interpolation (Shoemake 1985; White 2016 for GAN latents); linear when nearly parallel. */
export function slerp(a: Float32Array, b: Float32Array, t: number): Float32Array {
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
  if (frames < 2) throw new Error(`an interpolation needs at least 2 frames (got ${frames})`)
  return Array.from({ length: frames }, (_, i) => slerp(a, b, i / (frames - 1)))
}
