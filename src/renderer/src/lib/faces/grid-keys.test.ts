import { describe, expect, it } from 'vitest'
import { columnsOf, gridMove } from './grid-keys'

describe('arrow keys in the sample grid', () => {
  it('move by one across and by a row up and down, stopping at the edges', () => {
    expect(gridMove(0, 'ArrowRight', 10, 4)).toBe(1)
    expect(gridMove(9, 'ArrowRight', 10, 4)).toBe(9)
    expect(gridMove(0, 'ArrowLeft', 10, 4)).toBe(0)
    expect(gridMove(1, 'ArrowDown', 10, 4)).toBe(5)
    expect(gridMove(7, 'ArrowDown', 10, 4)).toBe(7)
    expect(gridMove(5, 'ArrowUp', 10, 4)).toBe(1)
    expect(gridMove(2, 'ArrowUp', 10, 4)).toBe(2)
    expect(gridMove(5, 'Home', 10, 4)).toBe(0)
    expect(gridMove(5, 'End', 10, 4)).toBe(9)
    expect(gridMove(5, 'a', 10, 4)).toBeNull()
    expect(gridMove(0, 'ArrowRight', 0, 4)).toBeNull()
  })

  it('count the columns of the laid-out grid from the tiles’ tops', () => {
    expect(columnsOf([10, 10, 10, 150, 150])).toBe(3)
    expect(columnsOf([10])).toBe(1)
    expect(columnsOf([])).toBe(1)
  })
})
