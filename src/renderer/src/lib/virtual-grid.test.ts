import { describe, expect, it } from 'vitest'
import { cellPosition, gridLayout, moveIndex, scrollToReveal, visibleRange } from './virtual-grid'

describe('gridLayout', () => {
  it('fits as many columns as the width allows, counting gaps between cells only', () => {
    // 5 cells of 96 + 4 gaps of 8 = 512: exactly five columns.
    expect(gridLayout({ count: 100, width: 512, cell: 96, gap: 8 }).columns).toBe(5)
    expect(gridLayout({ count: 100, width: 511, cell: 96, gap: 8 }).columns).toBe(4)
  })

  it('stretches the cells to share the width the columns leave over', () => {
    // 4 columns of at least 96 in 511 px: (511 - 3 gaps of 8) / 4 = 121.75 → 121.
    expect(gridLayout({ count: 100, width: 511, cell: 96, gap: 8 })).toMatchObject({ columns: 4, cell: 121, rowPitch: 129, columnPitch: 129 })
    expect(gridLayout({ count: 100, width: 512, cell: 96, gap: 8 }).cell).toBe(96)
  })

  it('never has fewer than one column, even before the viewport is measured', () => {
    expect(gridLayout({ count: 3, width: 0, cell: 96, gap: 8 })).toMatchObject({ columns: 1, rows: 3, cell: 96 })
  })

  it('sizes the whole grid from the row count', () => {
    const layout = gridLayout({ count: 10_000, width: 512, cell: 96, gap: 8 })
    expect(layout.rows).toBe(2000)
    expect(layout.totalHeight).toBe(2000 * 104 - 8)
    expect(gridLayout({ count: 0, width: 512, cell: 96, gap: 8 }).totalHeight).toBe(0)
  })
})

describe('visibleRange', () => {
  const layout = gridLayout({ count: 10_000, width: 512, cell: 96, gap: 8 }) // 5 columns, 104 px rows

  it('shows the first rows plus the overscan at the top', () => {
    // 300 px tall: rows 0-2 intersect; 2 rows of overscan below → rows 0-4.
    expect(visibleRange(layout, 10_000, 0, 300, 2)).toEqual({ start: 0, end: 25 })
  })

  it('shows only a window around the scroll offset deep in a 10,000-item grid', () => {
    const range = visibleRange(layout, 10_000, 104 * 1000 + 50, 300, 2)
    // Rows 1000-1003 intersect; overscan widens to 998-1005.
    expect(range).toEqual({ start: 998 * 5, end: 1006 * 5 })
    expect(range.end - range.start).toBeLessThan(60)
  })

  it('stops at the last item when the last row is partly filled', () => {
    const odd = gridLayout({ count: 23, width: 512, cell: 96, gap: 8 })
    expect(visibleRange(odd, 23, odd.totalHeight, 300, 1)).toEqual({ start: 15, end: 23 })
  })

  it('is empty for an empty grid and clamps a negative (rubber-band) scroll', () => {
    expect(visibleRange(gridLayout({ count: 0, width: 512, cell: 96, gap: 8 }), 0, 0, 300)).toEqual({ start: 0, end: 0 })
    expect(visibleRange(layout, 10_000, -40, 104, 0)).toEqual({ start: 0, end: 10 })
  })
})

describe('cellPosition and scrollToReveal', () => {
  const layout = gridLayout({ count: 100, width: 512, cell: 96, gap: 8 })

  it('places items row by row', () => {
    expect(cellPosition(layout, 0)).toEqual({ top: 0, left: 0 })
    expect(cellPosition(layout, 7)).toEqual({ top: 104, left: 2 * 104 })
  })

  it('scrolls the least amount that shows the item, or not at all', () => {
    expect(scrollToReveal(layout, 7, 0, 300, 96)).toBeNull()
    expect(scrollToReveal(layout, 0, 200, 300, 96)).toBe(0)
    // Row 5 starts at 520 and ends at 616: scroll so its bottom meets the viewport's.
    expect(scrollToReveal(layout, 25, 0, 300, 96)).toBe(316)
  })
})

describe('moveIndex', () => {
  it('moves by one, by a row, by a page and to the ends, clamped', () => {
    expect(moveIndex('ArrowRight', 4, 10, 5, 3)).toBe(5)
    expect(moveIndex('ArrowLeft', 0, 10, 5, 3)).toBe(0)
    expect(moveIndex('ArrowDown', 7, 10, 5, 3)).toBe(9)
    expect(moveIndex('ArrowUp', 7, 10, 5, 3)).toBe(2)
    expect(moveIndex('PageDown', 0, 100, 5, 3)).toBe(15)
    expect(moveIndex('Home', 42, 100, 5, 3)).toBe(0)
    expect(moveIndex('End', 0, 100, 5, 3)).toBe(99)
    expect(moveIndex('a', 0, 100, 5, 3)).toBeNull()
    expect(moveIndex('End', 0, 0, 5, 3)).toBeNull()
  })
})
