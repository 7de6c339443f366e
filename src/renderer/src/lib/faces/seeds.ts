/**
 * Seeds as the Faces grid takes them: typed by hand ("42", "1-16", "3, 7, 42") or shuffled.
 * The same syntax as `ganvas generate --seeds` (src/engine/inference/seeds.ts), limited to what
 * one grid shows; the renderer cannot import the engine, so the rules live here too.
 */

/** The largest seed the generator accepts (seeds are uint32). */
export const MAX_SEED = 0xffffffff
/** faces.sample takes at most this many seeds per call. */
export const MAX_GRID = 64
/** Shuffled seeds stay short enough to read aloud and type back. */
export const SHUFFLE_RANGE = 100_000

export type SeedParse = { ok: true; seeds: number[] } | { ok: false; error: string }

const EXAMPLE = 'write seeds like 42, 1-16 or 3, 7, 42'

/** Comma-separated seeds and inclusive ranges, in the order given, repeats dropped. */
export function parseSeedList(text: string, max = MAX_GRID): SeedParse {
  if (text.trim() === '') return { ok: false, error: `Type at least one seed: ${EXAMPLE}.` }
  const seeds = new Set<number>()
  // "1 - 16" is one range; commas and spaces separate entries.
  for (const part of text.trim().replace(/\s*[-–]\s*/g, '-').split(/[\s,]+/)) {
    if (part === '') continue
    const match = /^(\d+)(?:-(\d+))?$/.exec(part)
    if (!match) return { ok: false, error: `“${part}” is not a seed or a range; ${EXAMPLE}.` }
    const from = Number(match[1])
    const to = match[2] === undefined ? from : Number(match[2])
    const tooLarge = [from, to].find((seed) => !Number.isSafeInteger(seed) || seed > MAX_SEED)
    if (tooLarge !== undefined) return { ok: false, error: `${tooLarge === from ? match[1] : match[2]} is too large: seeds go from 0 to ${MAX_SEED}.` }
    if (to < from) return { ok: false, error: `The range ${part} runs backwards; write ${to}-${from}.` }
    if (to - from + 1 > max) return { ok: false, error: `${part} is ${to - from + 1} seeds; one grid shows at most ${max}.` }
    for (let seed = from; seed <= to; seed++) seeds.add(seed)
    if (seeds.size > max) return { ok: false, error: `That is ${seeds.size} or more seeds; one grid shows at most ${max}.` }
  }
  if (seeds.size === 0) return { ok: false, error: `Type at least one seed: ${EXAMPLE}.` }
  return { ok: true, seeds: [...seeds] }
}

/** Seeds written back compactly: runs of three or more become ranges ("1-16, 40, 41"). */
export function formatSeedList(seeds: readonly number[]): string {
  const parts: string[] = []
  for (let i = 0; i < seeds.length; ) {
    let j = i
    while (j + 1 < seeds.length && seeds[j + 1] === seeds[j]! + 1) j++
    if (j - i >= 2) {
      parts.push(`${seeds[i]}-${seeds[j]}`)
      i = j + 1
    } else {
      parts.push(String(seeds[i]))
      i++
    }
  }
  return parts.join(', ')
}

/** A small seeded generator (mulberry32): the same seed gives the same shuffles, for tests and replay. */
export function createRng(seed: number): () => number {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** A seed for createRng from the platform's random source. */
export function freshRngSeed(): number {
  const word = new Uint32Array(1)
  globalThis.crypto.getRandomValues(word)
  return word[0]!
}

/** `count` different seeds below `range`, none of them in `avoid` (the grid being replaced) when possible. */
export function shuffledSeeds(random: () => number, count: number, avoid: readonly number[] = [], range = SHUFFLE_RANGE): number[] {
  const n = Math.max(1, Math.min(count, MAX_GRID, range))
  const skip = new Set(range - avoid.length >= n ? avoid : [])
  const seeds = new Set<number>()
  while (seeds.size < n) {
    const seed = Math.floor(random() * range)
    if (!skip.has(seed)) seeds.add(seed)
  }
  return [...seeds]
}
