import { describe, expect, it } from 'vitest'
import { actionForKey, shortcutOf, type KeyLike } from './actions'

const press = (key: string, mods: Partial<KeyLike> = {}): KeyLike => ({ key, ctrlKey: false, metaKey: false, shiftKey: false, altKey: false, ...mods })

describe('sketch keyboard actions', () => {
  it('switches tools with single letters', () => {
    expect(actionForKey(press('b'), false)).toBe('tool.pen')
    expect(actionForKey(press('E', { shiftKey: true }), false)).toBe(null) // Shift+E is not a tool
    expect(actionForKey(press('e'), false)).toBe('tool.eraser')
    expect(actionForKey(press('g'), false)).toBe('tool.fill')
    expect(actionForKey(press('l'), false)).toBe('tool.line')
    expect(actionForKey(press('b', { ctrlKey: true }), false)).toBe(null)
  })

  it('undoes with Ctrl+Z and redoes with Shift+Ctrl+Z or Ctrl+Y; ⌘ on Apple', () => {
    expect(actionForKey(press('z', { ctrlKey: true }), false)).toBe('undo')
    expect(actionForKey(press('Z', { ctrlKey: true, shiftKey: true }), false)).toBe('redo')
    expect(actionForKey(press('y', { ctrlKey: true }), false)).toBe('redo')
    expect(actionForKey(press('z', { metaKey: true }), true)).toBe('undo')
    expect(actionForKey(press('z', { metaKey: true }), false)).toBe(null)
    expect(actionForKey(press('z'), false)).toBe(null)
  })

  it('sizes the brush with [ and ], zooms with + - 0', () => {
    expect(actionForKey(press('['), false)).toBe('size.down')
    expect(actionForKey(press(']'), false)).toBe('size.up')
    expect(actionForKey(press('='), false)).toBe('zoom.in')
    expect(actionForKey(press('-'), false)).toBe('zoom.out')
    expect(actionForKey(press('0'), false)).toBe('zoom.fit')
    expect(actionForKey(press('Escape'), false)).toBe('cancel')
  })

  it('names the shortcuts for aria-keyshortcuts', () => {
    expect(shortcutOf('undo', false)).toBe('Control+Z')
    expect(shortcutOf('redo', true)).toBe('Shift+Meta+Z')
    expect(shortcutOf('tool.fill', false)).toBe('G')
  })
})
