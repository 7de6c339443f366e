/**
 * The arithmetic of a virtualised grid of equal cells: how many columns fit, how tall the whole
 * grid is, and which item indices a scroll offset makes visible. Only those get DOM nodes, so a
 * folder of 10,000 images costs the same to draw as a folder of 50.
 */

export interface GridLayout {
  /** Items per row, at least 1. */
  columns: number
  /** Side of each (square) cell: the minimum, stretched so the columns fill the width. */
  cell: number
  /** Cell height plus the gap below it. */
  rowPitch: number
  /** Cell width plus the gap to its right. */
  columnPitch: number
  rows: number
  /** Height of the whole grid in pixels (no trailing gap). */
  totalHeight: number
}

export interface GridMetrics {
  /** Items in the grid. */
  count: number
  /** Inner width of the scroll viewport. */
  width: number
  /** Smallest side of a (square) cell; cells grow to share the leftover width. */
  cell: number
  gap: number
}

export function gridLayout({ count, width, cell: minCell, gap }: GridMetrics): GridLayout {
  const columns = Math.max(1, Math.floor((Math.max(0, width) + gap) / (minCell + gap)))
  const cell = Math.max(minCell, Math.floor((width - gap * (columns - 1)) / columns))
  const rows = Math.ceil(Math.max(0, count) / columns)
  const pitch = cell + gap
  return { columns, cell, rowPitch: pitch, columnPitch: pitch, rows, totalHeight: rows === 0 ? 0 : rows * pitch - gap }
}

export interface IndexRange {
  /** First index shown. */
  start: number
  /** One past the last index shown. */
  end: number
}

/**
 * Indices of the items in rows that intersect [scrollTop, scrollTop + viewportHeight), widened by
 * `overscanRows` rows on each side so a small scroll never shows empty cells.
 */
export function visibleRange(
  layout: GridLayout,
  count: number,
  scrollTop: number,
  viewportHeight: number,
  overscanRows = 2,
): IndexRange {
  if (count <= 0 || layout.rows === 0) return { start: 0, end: 0 }
  const top = Math.max(0, scrollTop)
  const firstRow = Math.max(0, Math.floor(top / layout.rowPitch) - overscanRows)
  const lastRow = Math.min(layout.rows - 1, Math.floor((top + Math.max(0, viewportHeight)) / layout.rowPitch) + overscanRows)
  if (lastRow < firstRow) return { start: 0, end: 0 }
  return { start: firstRow * layout.columns, end: Math.min(count, (lastRow + 1) * layout.columns) }
}

/** Top-left corner of item `index`, in pixels from the grid's origin. */
export function cellPosition(layout: GridLayout, index: number): { top: number; left: number } {
  const row = Math.floor(index / layout.columns)
  const column = index % layout.columns
  return { top: row * layout.rowPitch, left: column * layout.columnPitch }
}

/**
 * The scrollTop that brings item `index` fully into view, or null when it already is: the
 * least movement, as keyboard navigation in a list expects.
 */
export function scrollToReveal(layout: GridLayout, index: number, scrollTop: number, viewportHeight: number, cell: number): number | null {
  const { top } = cellPosition(layout, index)
  if (top < scrollTop) return top
  if (top + cell > scrollTop + viewportHeight) return Math.max(0, top + cell - viewportHeight)
  return null
}

/** The index keyboard navigation moves to from `index`; null when the key is not a move. */
export function moveIndex(key: string, index: number, count: number, columns: number, rowsPerPage: number): number | null {
  if (count <= 0) return null
  const last = count - 1
  const clamp = (value: number) => Math.min(last, Math.max(0, value))
  switch (key) {
    case 'ArrowRight':
      return clamp(index + 1)
    case 'ArrowLeft':
      return clamp(index - 1)
    case 'ArrowDown':
      return clamp(index + columns)
    case 'ArrowUp':
      return clamp(index - columns)
    case 'PageDown':
      return clamp(index + columns * Math.max(1, rowsPerPage))
    case 'PageUp':
      return clamp(index - columns * Math.max(1, rowsPerPage))
    case 'Home':
      return 0
    case 'End':
      return last
    default:
      return null
  }
}
