/**
 * Arrow keys in the sample grid (one tab stop, arrows move between samples, like a photo grid).
 * `columns` is how many tiles the current layout fits in a row.
 */

export function gridMove(index: number, key: string, count: number, columns: number): number | null {
  if (count === 0) return null
  const cols = Math.max(1, columns)
  const last = count - 1
  switch (key) {
    case 'ArrowRight':
      return Math.min(last, index + 1)
    case 'ArrowLeft':
      return Math.max(0, index - 1)
    case 'ArrowDown':
      return index + cols <= last ? index + cols : index
    case 'ArrowUp':
      return index - cols >= 0 ? index - cols : index
    case 'Home':
      return 0
    case 'End':
      return last
    default:
      return null
  }
}

/** Columns in a laid-out grid: how many children share the first child's row. */
export function columnsOf(tops: readonly number[]): number {
  if (tops.length === 0) return 1
  const first = tops[0]!
  let n = 0
  while (n < tops.length && Math.abs(tops[n]! - first) < 2) n++
  return Math.max(1, n)
}
