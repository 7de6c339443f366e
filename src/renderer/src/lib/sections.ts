/**
 * The studio's sections, in navigation order: one registry drives the nav, the shortcuts
 * (Ctrl/Cmd + position) and the router, so they cannot disagree.
 */
import type { Component } from 'svelte'
import Faces from '../sections/Faces.svelte'
import Models from '../sections/Models.svelte'
import Sketch from '../sections/Sketch.svelte'
import Style from '../sections/Style.svelte'
import Train from '../sections/Train.svelte'

export type SectionId = 'sketch' | 'style' | 'faces' | 'train' | 'models'

export interface Section {
  id: SectionId
  label: string
  /** What the section is for, shown as the nav tooltip. */
  purpose: string
  component: Component
}

export const sections: readonly Section[] = [
  { id: 'sketch', label: 'Sketch', purpose: 'Draw a sketch and turn it into a photo (Pix2Pix)', component: Sketch },
  { id: 'style', label: 'Style', purpose: 'Restyle a folder of photos like another folder (CycleGAN)', component: Style },
  { id: 'faces', label: 'Faces', purpose: "Explore a face generator's latent space", component: Faces },
  { id: 'train', label: 'Train', purpose: 'Training runs, jobs and the engine check', component: Train },
  { id: 'models', label: 'Models', purpose: 'Your model library', component: Models },
]

export const defaultSection: SectionId = 'train'

export function sectionFromHash(hash: string): SectionId | null {
  const id = hash.replace(/^#\/?/, '')
  return sections.find((section) => section.id === id)?.id ?? null
}

const isApple = (): boolean => /Mac|iPhone|iPad/.test(navigator.platform)

/** The shortcut of the section at `index` (0-based), in aria-keyshortcuts and display forms. */
export function shortcutFor(index: number): { aria: string; label: string } {
  const digit = String(index + 1)
  return isApple() ? { aria: `Meta+${digit}`, label: `⌘${digit}` } : { aria: `Control+${digit}`, label: `Ctrl+${digit}` }
}

/** The section a key press switches to, if it is one of our shortcuts. */
export function sectionForKey(event: KeyboardEvent): SectionId | null {
  const modifier = isApple() ? event.metaKey : event.ctrlKey
  if (!modifier || event.altKey || event.shiftKey) return null
  const index = Number(event.key) - 1
  return Number.isInteger(index) ? (sections[index]?.id ?? null) : null
}
