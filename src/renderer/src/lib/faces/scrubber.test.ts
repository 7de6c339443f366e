import { describe, expect, it } from 'vitest'
import { clampFrame, emptyScrub, frameText, loaded, positionOf, scrubTo, tick, togglePlaying, type Scrub } from './scrubber'

const at = (index: number, count = 5, extra: Partial<Scrub> = {}): Scrub => ({ count, index, playing: false, direction: 1, ...extra })

describe('the interpolation scrubber', () => {
  it('starts at A, and a new interpolation keeps the scrubbed position', () => {
    expect(loaded(emptyScrub, 24).index).toBe(0)
    expect(loaded(at(4, 5), 24)).toMatchObject({ count: 24, index: 23 })
    expect(loaded(at(2, 5), 9)).toMatchObject({ count: 9, index: 4 })
    expect(loaded(at(3, 7, { playing: true }), 2)).toMatchObject({ index: 1, playing: true })
  })

  it('scrubbing shows that frame, clamped, and stops playback', () => {
    expect(scrubTo(at(0, 5, { playing: true }), 3)).toMatchObject({ index: 3, playing: false })
    expect(scrubTo(at(0), 99).index).toBe(4)
    expect(scrubTo(at(0), -3).index).toBe(0)
    expect(clampFrame(2.6, 5)).toBe(3)
    expect(clampFrame(Number.NaN, 5)).toBe(0)
    expect(clampFrame(3, 0)).toBe(0)
  })

  it('plays back and forth between the ends without jumping', () => {
    let scrub = togglePlaying(at(0, 3))
    const seen: number[] = []
    for (let i = 0; i < 7; i++) {
      scrub = tick(scrub)
      seen.push(scrub.index)
    }
    expect(seen).toEqual([1, 2, 1, 0, 1, 2, 1])
  })

  it('does nothing while paused or with fewer than two frames', () => {
    const paused = at(1)
    expect(tick(paused)).toBe(paused)
    expect(togglePlaying(at(0, 1))).toMatchObject({ playing: false })
    expect(togglePlaying(togglePlaying(at(0)))).toMatchObject({ playing: false })
  })

  it('says where along the path the shown frame is', () => {
    expect(positionOf(at(2, 5))).toBe(0.5)
    expect(frameText(at(0, 24))).toBe('Frame 1 of 24, t = 0.00')
    expect(frameText(at(23, 24))).toBe('Frame 24 of 24, t = 1.00')
    expect(frameText(emptyScrub)).toBe('No frames')
  })
})
