/**
 * Which samples are picked, by seed, in the order they were clicked. At most two: they are the
 * ends of the interpolation, A (first) and B (second). Picking a third lets go of the oldest, so
 * the last two clicks are always the pair, and clicking a picked sample lets go of it.
 */

export type Selection = readonly number[]
export type Role = 'A' | 'B'

export const MAX_SELECTED = 2

export function toggleSelected(selection: Selection, seed: number): Selection {
  if (selection.includes(seed)) return selection.filter((s) => s !== seed)
  return [...selection, seed].slice(-MAX_SELECTED)
}

/** Keeps only seeds still on the grid (after new seeds or a shuffle), in their order. */
export function keepShown(selection: Selection, shown: readonly number[]): Selection {
  const present = new Set(shown)
  const kept = selection.filter((seed) => present.has(seed))
  return kept.length === selection.length ? selection : kept
}

export function roleOf(selection: Selection, seed: number): Role | null {
  const index = selection.indexOf(seed)
  return index === 0 ? 'A' : index === 1 ? 'B' : null
}

/** The interpolation's ends when two samples are picked. */
export function pairOf(selection: Selection): { seedA: number; seedB: number } | null {
  return selection.length === 2 ? { seedA: selection[0]!, seedB: selection[1]! } : null
}

/** A to B becomes B to A. */
export function swapped(selection: Selection): Selection {
  return selection.length === 2 ? [selection[1]!, selection[0]!] : selection
}
