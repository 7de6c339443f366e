/**
 * Arrow keys in the sample grid (one tab stop, arrows move between samples, like a photo grid).
 * `columns` is how many tiles the current layout fits in a row.
 */
import { moveIndex } from '../virtual-grid'

export function gridMove(index: number, key: string, count: number, columns: number): number | null {
  // The sample grid has no paging; up and down stay put at the top and bottom rows.
  if (count === 0 || key === 'PageUp' || key === 'PageDown') return null
  const cols = Math.max(1, columns)
  if ((key === 'ArrowDown' && index + cols > count - 1) || (key === 'ArrowUp' && index - cols < 0)) return index
  return moveIndex(key, index, count, cols, 1)
}

/** Columns in a laid-out grid: how many children share the first child's row. */
export function columnsOf(tops: readonly number[]): number {
  if (tops.length === 0) return 1
  const first = tops[0]!
  let n = 0
  while (n < tops.length && Math.abs(tops[n]! - first) < 2) n++
  return Math.max(1, n)
}
