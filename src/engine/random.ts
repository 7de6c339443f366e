/**
 * The engine's own seeded random numbers (xoshiro128**): data order, crops, flips, dropout masks,
 * the image pool and latent vectors all draw from it, never from Math.random, so a run is
 * repeatable from its seed and resumable from a saved state.
 */
export type RandomState = [number, number, number, number]

export class Random {
  #s: Uint32Array

  constructor(seed: number | RandomState) {
    this.#s = new Uint32Array(4)
    if (Array.isArray(seed)) {
      this.#s.set(seed)
    } else {
      // splitmix32 spreads a small integer seed over the 128-bit state.
      let x = seed >>> 0
      for (let i = 0; i < 4; i++) {
        x = (x + 0x9e3779b9) >>> 0
        let z = x
        z = Math.imul(z ^ (z >>> 16), 0x85ebca6b)
        z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35)
        this.#s[i] = (z ^ (z >>> 16)) >>> 0
      }
    }
    if (this.#s.every((v) => v === 0)) this.#s[0] = 1 // the all-zero state is a fixed point
  }

  get state(): RandomState {
    return [this.#s[0]!, this.#s[1]!, this.#s[2]!, this.#s[3]!]
  }

  /** A uniformly distributed 32-bit unsigned integer. */
  uint32(): number {
    const s = this.#s
    const result = Math.imul(rotl(Math.imul(s[1]!, 5), 7), 9) >>> 0
    const t = s[1]! << 9
    s[2]! ^= s[0]!
    s[3]! ^= s[1]!
    s[1]! ^= s[2]!
    s[0]! ^= s[3]!
    s[2]! ^= t
    s[3] = rotl(s[3]!, 11)
    return result
  }

  /** Uniform in [0, 1). */
  next(): number {
    return this.uint32() / 4294967296
  }

  /** Uniform integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n)
  }

  /** Standard normal (Box–Muller). */
  normal(): number {
    const u = 1 - this.next() // (0, 1]: log(0) is never taken
    const v = this.next()
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v)
  }

  /** A Fisher–Yates shuffled copy. */
  shuffled<T>(items: readonly T[]): T[] {
    const out = items.slice()
    for (let i = out.length - 1; i > 0; i--) {
      const j = this.int(i + 1)
      ;[out[i], out[j]] = [out[j]!, out[i]!]
    }
    return out
  }

  /** An independent stream derived from this one (e.g. one per worker or purpose). */
  fork(): Random {
    return new Random([this.uint32(), this.uint32(), this.uint32(), this.uint32()])
  }
}

const rotl = (x: number, k: number) => ((x << k) | (x >>> (32 - k))) >>> 0
