import { describe, expect, it } from 'vitest'
import { keepShown, pairOf, roleOf, swapped, toggleSelected, type Selection } from './selection'

const clicks = (...seeds: number[]) => seeds.reduce<Selection>((sel, seed) => toggleSelected(sel, seed), [])

describe('the selection model', () => {
  it('picks samples in click order as A then B', () => {
    const sel = clicks(5, 9)
    expect(sel).toEqual([5, 9])
    expect(roleOf(sel, 5)).toBe('A')
    expect(roleOf(sel, 9)).toBe('B')
    expect(roleOf(sel, 1)).toBeNull()
    expect(pairOf(sel)).toEqual({ seedA: 5, seedB: 9 })
  })

  it('clicking a picked sample lets go of it; the other becomes A', () => {
    const sel = clicks(5, 9, 5)
    expect(sel).toEqual([9])
    expect(roleOf(sel, 9)).toBe('A')
    expect(pairOf(sel)).toBeNull()
    expect(clicks(5, 5)).toEqual([])
  })

  it('a third pick lets go of the oldest, so the last two clicks are the pair', () => {
    expect(clicks(1, 2, 3)).toEqual([2, 3])
    expect(clicks(1, 2, 3, 4)).toEqual([3, 4])
  })

  it('keeps only samples still on the grid, and the same object when nothing left', () => {
    const sel = clicks(4, 8)
    expect(keepShown(sel, [8, 9, 10])).toEqual([8])
    expect(keepShown(sel, [1, 4, 8])).toBe(sel)
    expect(keepShown(sel, [])).toEqual([])
  })

  it('swaps A and B only when there are two', () => {
    expect(swapped(clicks(1, 2))).toEqual([2, 1])
    expect(swapped(clicks(1))).toEqual([1])
  })
})
