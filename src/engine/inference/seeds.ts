/**
 * Seed lists as people type them: "1-16", "3,7,42", "1-4,9". Shared by the CLI and the studio.
 */
import { MAX_SEED, isSeed } from '../latent/latent'

/** More seeds than this in one request is almost certainly a typo (e.g. "1-1000000000"). */
export const MAX_SEEDS = 100_000
const EXAMPLE = 'write seeds like 1-16, 3,7,42 or 1-4,9'

/** The seeds `start`, `start + 1`, … (`count` of them): a data set's seeds. */
export function seedRange(start: number, count: number): number[] {
  if (!isSeed(start)) throw new Error(`the first seed must be a whole number from 0 to ${MAX_SEED} (got ${start})`)
  if (!Number.isInteger(count) || count < 1 || count > MAX_SEEDS) {
    throw new Error(`the count must be a whole number from 1 to ${MAX_SEEDS} (got ${count})`)
  }
  if (start + count - 1 > MAX_SEED) throw new Error(`seeds ${start}… run past the largest seed, ${MAX_SEED}`)
  return Array.from({ length: count }, (_, i) => start + i)
}

/**
 * Parses comma-separated seeds and inclusive ranges, in the order given, repeats dropped.
 * Throws an Error saying which part is wrong.
 */
export function parseSeeds(text: string): number[] {
  const seeds = new Set<number>()
  const parts = text.split(',').map((p) => p.trim())
  for (const part of parts) {
    const match = /^(\d+)(?:\s*-\s*(\d+))?$/.exec(part)
    if (!match) throw new Error(`${part === '' ? `"${text}" has an empty entry` : `"${part}" is not a seed or a range`}; ${EXAMPLE}`)
    const from = Number(match[1])
    const to = match[2] === undefined ? from : Number(match[2])
    for (const seed of [from, to]) if (!isSeed(seed)) throw new Error(`${seed} is not a seed: seeds go from 0 to ${MAX_SEED}`)
    if (to < from) throw new Error(`the range ${part} runs backwards; write ${to}-${from}`)
    if (seeds.size + (to - from + 1) > MAX_SEEDS) throw new Error(`"${text}" asks for more than ${MAX_SEEDS} images at once`)
    for (let seed = from; seed <= to; seed++) seeds.add(seed)
  }
  return [...seeds]
}
