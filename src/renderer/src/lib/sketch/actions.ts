/**
 * The Sketch section's keyboard commands, one registry: each action's name, its key test and its
 * aria-keyshortcuts. The section supplies a handler for every name (a mapped type makes a missing
 * one a compile error).
 */
import { TOOLS, type ToolId } from './tools.svelte'

export type ActionName = `tool.${ToolId}` | 'size.down' | 'size.up' | 'undo' | 'redo' | 'zoom.in' | 'zoom.out' | 'zoom.fit' | 'cancel'

export type ActionHandlers = Record<ActionName, () => void>

export interface KeyLike {
  key: string
  ctrlKey: boolean
  metaKey: boolean
  shiftKey: boolean
  altKey: boolean
}

interface ActionSpec {
  name: ActionName
  test(e: KeyLike, mod: boolean): boolean
  /** aria-keyshortcuts, with `Mod` for Control or Meta. */
  shortcut: string
}

const plain = (e: KeyLike, mod: boolean) => !mod && !e.altKey && !e.ctrlKey && !e.metaKey
const key = (e: KeyLike) => e.key.toLowerCase()

export const ACTIONS: readonly ActionSpec[] = [
  ...TOOLS.map((tool) => ({
    name: `tool.${tool.id}` as const,
    test: (e: KeyLike, mod: boolean) => plain(e, mod) && !e.shiftKey && key(e) === tool.key,
    shortcut: tool.key.toUpperCase(),
  })),
  { name: 'size.down', test: (e, mod) => plain(e, mod) && e.key === '[', shortcut: '[' },
  { name: 'size.up', test: (e, mod) => plain(e, mod) && e.key === ']', shortcut: ']' },
  { name: 'undo', test: (e, mod) => mod && !e.altKey && !e.shiftKey && key(e) === 'z', shortcut: 'Mod+Z' },
  { name: 'redo', test: (e, mod) => mod && !e.altKey && ((e.shiftKey && key(e) === 'z') || (!e.shiftKey && key(e) === 'y')), shortcut: 'Shift+Mod+Z' },
  { name: 'zoom.in', test: (e, mod) => plain(e, mod) && (e.key === '+' || e.key === '='), shortcut: '+' },
  { name: 'zoom.out', test: (e, mod) => plain(e, mod) && (e.key === '-' || e.key === '_'), shortcut: '-' },
  { name: 'zoom.fit', test: (e, mod) => plain(e, mod) && e.key === '0', shortcut: '0' },
  { name: 'cancel', test: (e) => e.key === 'Escape', shortcut: 'Escape' },
]

/** The action a key press asks for; `apple` makes ⌘ the modifier instead of Ctrl. */
export function actionForKey(e: KeyLike, apple: boolean): ActionName | null {
  const mod = apple ? e.metaKey : e.ctrlKey
  return ACTIONS.find((action) => action.test(e, mod))?.name ?? null
}

export function shortcutOf(name: ActionName, apple: boolean): string {
  const spec = ACTIONS.find((action) => action.name === name)
  return spec ? spec.shortcut.replace('Mod', apple ? 'Meta' : 'Control') : ''
}

/** Typing in a field must not switch tools. */
export function isTypingTarget(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false
  if (target.isContentEditable || target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement) return true
  return target instanceof HTMLInputElement && !['range', 'color', 'checkbox', 'radio', 'button', 'file'].includes(target.type)
}
