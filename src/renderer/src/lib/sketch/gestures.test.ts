import { describe, expect, it } from 'vitest'
import { pointerPressure } from './gestures'

describe('pointerPressure', () => {
  it('uses a pen’s pressure, never quite zero', () => {
    expect(pointerPressure('pen', 0.3)).toBe(0.3)
    expect(pointerPressure('pen', 0)).toBe(0.05)
  })

  it('draws at full pressure with a mouse, and with touch screens that cannot measure it', () => {
    expect(pointerPressure('mouse', 0.5)).toBe(1)
    expect(pointerPressure('touch', 0.5)).toBe(1)
    expect(pointerPressure('touch', 0.8)).toBe(0.8)
  })
})
