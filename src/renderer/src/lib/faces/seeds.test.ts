import { describe, expect, it } from 'vitest'
import { createRng, formatSeedList, MAX_GRID, parseSeedList, shuffledSeeds, SHUFFLE_RANGE } from './seeds'

const seedsOf = (text: string) => {
  const parsed = parseSeedList(text)
  if (!parsed.ok) throw new Error(parsed.error)
  return parsed.seeds
}
const errorOf = (text: string, max?: number) => {
  const parsed = parseSeedList(text, max)
  if (parsed.ok) throw new Error(`expected "${text}" to be refused`)
  return parsed.error
}

describe('parseSeedList', () => {
  it('reads single seeds, ranges and lists in the order typed, without repeats', () => {
    expect(seedsOf('42')).toEqual([42])
    expect(seedsOf('1-4')).toEqual([1, 2, 3, 4])
    expect(seedsOf('3, 7,42')).toEqual([3, 7, 42])
    expect(seedsOf('9 1-3 2')).toEqual([9, 1, 2, 3])
    expect(seedsOf(' 5 - 7 , 5 ')).toEqual([5, 6, 7])
    expect(seedsOf('1–3')).toEqual([1, 2, 3]) // an en dash, as some keyboards type it
    expect(seedsOf('0, 4294967295')).toEqual([0, 4294967295])
  })

  it('refuses what is not a seed, saying which part and how to write it', () => {
    expect(errorOf('')).toMatch(/at least one seed/)
    expect(errorOf(' , ')).toMatch(/at least one seed/)
    expect(errorOf('1, cat')).toMatch(/“cat” is not a seed or a range; write seeds like/)
    expect(errorOf('-3')).toMatch(/not a seed/)
    expect(errorOf('1.5')).toMatch(/“1.5” is not a seed/)
    expect(errorOf('8-2')).toMatch(/runs backwards; write 2-8/)
    expect(errorOf('4294967296')).toMatch(/4294967296 is too large: seeds go from 0 to 4294967295/)
    expect(errorOf('1-99999999999999999999')).toMatch(/99999999999999999999 is too large/)
  })

  it('keeps a grid to at most 64 samples, even when typed as separate ranges', () => {
    expect(seedsOf(`1-${MAX_GRID}`)).toHaveLength(MAX_GRID)
    expect(errorOf(`1-${MAX_GRID + 1}`)).toMatch(/is 65 seeds; one grid shows at most 64/)
    expect(errorOf('1-40, 100-140')).toMatch(/one grid shows at most 64/)
    expect(errorOf('1-3', 2)).toMatch(/at most 2/)
    expect(seedsOf('1-64, 1')).toHaveLength(64) // a repeat is not one more
  })
})

describe('formatSeedList', () => {
  it('writes runs of three or more as ranges and reads back to the same seeds', () => {
    expect(formatSeedList([1, 2, 3, 4])).toBe('1-4')
    expect(formatSeedList([7, 8, 20, 3, 4, 5])).toBe('7, 8, 20, 3-5')
    expect(formatSeedList([42])).toBe('42')
    expect(formatSeedList([])).toBe('')
    for (const seeds of [[5, 6, 7, 9, 11, 12], [0], [100, 99, 98]]) expect(seedsOf(formatSeedList(seeds))).toEqual(seeds)
  })
})

describe('shuffling with a seeded RNG', () => {
  it('is reproducible: the same RNG seed gives the same shuffles, another seed other ones', () => {
    const a = createRng(1234)
    const b = createRng(1234)
    const first = shuffledSeeds(a, 16)
    expect(shuffledSeeds(b, 16)).toEqual(first)
    expect(shuffledSeeds(a, 16)).toEqual(shuffledSeeds(b, 16))
    expect(shuffledSeeds(createRng(99), 16)).not.toEqual(first)
  })

  it('gives the count asked for, all different, readable and inside the range', () => {
    const seeds = shuffledSeeds(createRng(7), 64)
    expect(seeds).toHaveLength(64)
    expect(new Set(seeds).size).toBe(64)
    for (const seed of seeds) {
      expect(Number.isInteger(seed)).toBe(true)
      expect(seed).toBeGreaterThanOrEqual(0)
      expect(seed).toBeLessThan(SHUFFLE_RANGE)
    }
    expect(shuffledSeeds(createRng(7), 500)).toHaveLength(MAX_GRID)
    expect(shuffledSeeds(createRng(7), 0)).toHaveLength(1)
  })

  it('avoids the seeds it replaces, unless the range is too small to', () => {
    const rng = createRng(3)
    const shown = shuffledSeeds(rng, 8, [], 16)
    const next = shuffledSeeds(rng, 8, shown, 16)
    expect(next.filter((s) => shown.includes(s))).toEqual([])
    expect(new Set(shuffledSeeds(rng, 10, shown, 16)).size).toBe(10)
  })

  it('draws evenly: each tenth of the range gets a fair share over many draws', () => {
    const random = createRng(2024)
    const buckets = new Array<number>(10).fill(0)
    for (let i = 0; i < 20_000; i++) buckets[Math.floor(random() * 10)]!++
    for (const n of buckets) expect(Math.abs(n - 2000)).toBeLessThan(200)
  })
})
