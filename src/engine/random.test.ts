import { describe, expect, it } from 'vitest'
import { Random } from './random'

describe('Random', () => {
  it('is repeatable from a seed and differs between seeds', () => {
    const a = new Random(42)
    const b = new Random(42)
    const c = new Random(43)
    const seq = (r: Random) => Array.from({ length: 8 }, () => r.uint32())
    const first = seq(a)
    expect(seq(b)).toEqual(first)
    expect(seq(c)).not.toEqual(first)
  })

  it('resumes exactly from a saved state', () => {
    const r = new Random(7)
    for (let i = 0; i < 100; i++) r.next()
    const saved = r.state
    const ahead = Array.from({ length: 5 }, () => r.next())
    const resumed = new Random(saved)
    expect(Array.from({ length: 5 }, () => resumed.next())).toEqual(ahead)
  })

  it('has the right moments: uniform mean 0.5, normal mean 0 and variance 1', () => {
    const r = new Random(1)
    const n = 20000
    let u = 0
    let m = 0
    let v = 0
    for (let i = 0; i < n; i++) {
      u += r.next()
      const z = r.normal()
      m += z
      v += z * z
    }
    expect(u / n).toBeCloseTo(0.5, 2)
    expect(m / n).toBeCloseTo(0, 1)
    expect(v / n).toBeCloseTo(1, 1)
  })

  it('shuffles into a permutation', () => {
    const items = Array.from({ length: 50 }, (_, i) => i)
    const shuffled = new Random(3).shuffled(items)
    expect(shuffled).not.toEqual(items)
    expect([...shuffled].sort((a, b) => a - b)).toEqual(items)
  })
})
