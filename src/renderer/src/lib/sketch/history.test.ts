import { describe, expect, it } from 'vitest'
import { Timeline, type Surface } from './history'

/** A surface whose state is the list of operations drawn on it; counts the work it does. */
interface FakeSurface extends Surface<string, string[]> {
  state: string[]
  applies: number
  snapshots: number
}

function fakeSurface(): FakeSurface {
  const surface: FakeSurface = {
    state: [] as string[],
    applies: 0,
    snapshots: 0,
    apply(op: string) {
      surface.state.push(op)
      surface.applies++
    },
    snapshot() {
      surface.snapshots++
      return [...surface.state]
    },
    restore(snapshot: string[]) {
      surface.state = [...snapshot]
    },
  }
  return surface
}

const ops = (n: number, from = 0) => Array.from({ length: n }, (_, i) => `op${from + i}`)

describe('Timeline', () => {
  it('undoes and redoes one step at a time', () => {
    const surface = fakeSurface()
    const timeline = new Timeline(surface)
    expect(timeline.canUndo).toBe(false)
    timeline.record('a')
    timeline.record('b')
    expect(surface.state).toEqual(['a', 'b'])

    expect(timeline.undo()).toBe(true)
    expect(surface.state).toEqual(['a'])
    expect(timeline.canRedo).toBe(true)
    expect(timeline.undo()).toBe(true)
    expect(surface.state).toEqual([])
    expect(timeline.undo()).toBe(false)

    expect(timeline.redo()).toBe(true)
    expect(timeline.redo()).toBe(true)
    expect(timeline.redo()).toBe(false)
    expect(surface.state).toEqual(['a', 'b'])
  })

  it('does not apply an operation that was drawn live, but replays it on redo', () => {
    const surface = fakeSurface()
    const timeline = new Timeline(surface)
    surface.apply('stroke') // drawn while the pointer moved
    timeline.record('stroke', true)
    expect(surface.state).toEqual(['stroke'])
    timeline.undo()
    timeline.redo()
    expect(surface.state).toEqual(['stroke'])
  })

  it('drops the redo steps when a new action is recorded', () => {
    const surface = fakeSurface()
    const timeline = new Timeline(surface, { keyframeEvery: 2 })
    for (const op of ops(5)) timeline.record(op)
    timeline.undo()
    timeline.undo()
    timeline.undo()
    timeline.record('new')
    expect(timeline.canRedo).toBe(false)
    expect(surface.state).toEqual(['op0', 'op1', 'new'])
    // Keyframes from the dropped branch must not be used: undo past them rebuilds the right state.
    timeline.record('x')
    timeline.record('y')
    timeline.undo()
    expect(surface.state).toEqual(['op0', 'op1', 'new', 'x'])
    timeline.undo()
    timeline.undo()
    expect(surface.state).toEqual(['op0', 'op1'])
  })

  it('keeps at least 100 undo steps after 250 actions, with bounded memory', () => {
    const surface = fakeSurface()
    const timeline = new Timeline(surface, { limit: 100, keyframeEvery: 16 })
    const all = ops(250)
    for (const op of all) {
      timeline.record(op)
      expect(timeline.stored.ops).toBeLessThan(100 + 16)
      expect(timeline.stored.keyframes).toBeLessThanOrEqual(Math.ceil((100 + 16) / 16) + 1)
    }
    expect(timeline.undoDepth).toBeGreaterThanOrEqual(100)

    for (let i = 1; i <= 100; i++) {
      const before = surface.applies
      expect(timeline.undo()).toBe(true)
      expect(surface.state).toEqual(all.slice(0, 250 - i))
      // Each undo replays from the nearest keyframe: fewer than keyframeEvery operations.
      expect(surface.applies - before).toBeLessThan(16)
    }
    for (let i = 0; i < 100; i++) timeline.redo()
    expect(surface.state).toEqual(all)
  })

  it('snapshots once per keyframe, not once per step', () => {
    const surface = fakeSurface()
    const timeline = new Timeline(surface, { keyframeEvery: 10 })
    for (const op of ops(100)) timeline.record(op)
    expect(surface.snapshots).toBe(1 + 10) // the base, then every 10th step
  })

  it('reverts a half-drawn live gesture to the current state', () => {
    const surface = fakeSurface()
    const timeline = new Timeline(surface)
    timeline.record('a')
    surface.apply('half a stroke')
    timeline.revert()
    expect(surface.state).toEqual(['a'])
    expect(timeline.undoDepth).toBe(1)
  })

  it('reset makes the current surface the new base', () => {
    const surface = fakeSurface()
    const timeline = new Timeline(surface)
    timeline.record('a')
    surface.state = ['loaded']
    timeline.reset()
    expect(timeline.canUndo).toBe(false)
    timeline.record('b')
    timeline.undo()
    expect(surface.state).toEqual(['loaded'])
  })
})
