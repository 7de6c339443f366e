/**
 * The interpolation player: which frame is shown, scrubbed with a slider or played back and
 * forth. Pure state transitions; the component owns the timer.
 */

export interface Scrub {
  /** Frames in the interpolation (both ends included). */
  count: number
  /** Shown frame, 0-based. */
  index: number
  playing: boolean
  /** Playback direction: 1 toward B, −1 back toward A. */
  direction: 1 | -1
}

export const emptyScrub: Scrub = { count: 0, index: 0, playing: false, direction: 1 }

/** A fresh interpolation keeps the relative position the user had scrubbed to. */
export function loaded(previous: Scrub, count: number): Scrub {
  const t = previous.count > 1 ? previous.index / (previous.count - 1) : 0
  return { ...previous, count, index: count > 1 ? Math.round(t * (count - 1)) : 0 }
}

/** The slider moved: show that frame and stop playing (a hand on the slider wins). */
export function scrubTo(scrub: Scrub, index: number): Scrub {
  return { ...scrub, index: clampFrame(index, scrub.count), playing: false }
}

export function clampFrame(index: number, count: number): number {
  if (count <= 0 || !Number.isFinite(index)) return 0
  return Math.min(count - 1, Math.max(0, Math.round(index)))
}

/** One playback tick: ping-pong between the ends, so A → B → A loops without a jump. */
export function tick(scrub: Scrub): Scrub {
  if (!scrub.playing || scrub.count < 2) return scrub
  let direction = scrub.direction
  let index = scrub.index + direction
  if (index > scrub.count - 1 || index < 0) {
    direction = direction === 1 ? -1 : 1
    index = scrub.index + direction
  }
  return { ...scrub, index, direction }
}

export function togglePlaying(scrub: Scrub): Scrub {
  return scrub.count < 2 ? scrub : { ...scrub, playing: !scrub.playing }
}

/** Position along the path, t in [0, 1]. */
export function positionOf(scrub: Scrub): number {
  return scrub.count > 1 ? scrub.index / (scrub.count - 1) : 0
}

/** What the slider announces: "Frame 5 of 24, t = 0.17". */
export function frameText(scrub: Scrub): string {
  if (scrub.count === 0) return 'No frames'
  return `Frame ${scrub.index + 1} of ${scrub.count}, t = ${positionOf(scrub).toFixed(2)}`
}
