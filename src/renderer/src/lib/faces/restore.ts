/**
 * Dropping a PNG on Faces: what images.metadata found in it, turned into what the studio should do.
 * A Ganvas sample gives back its seed, ψ and class; when it came from another model, the studio
 * says so and offers to switch to that model if the library has it (matched by manifest name).
 */
import type { FaceSettings } from '../../../../shared/schemas'
import type { FaceModel } from './face-models'

export interface RestoreSettings {
  seed: number
  psi: number
  /** The class to pick; null keeps "every class" (unconditional, or the seed chose the class). */
  className: string | null
}

export type RestorePlan =
  /** Restore on `modelId` (the current model, or the one it came from). */
  | { kind: 'restore'; modelId: string; settings: RestoreSettings; switched: boolean }
  /** Made with a model the library has under another id: ask before switching. */
  | { kind: 'other-model'; made: string; match: FaceModel; settings: RestoreSettings }
  /** Made with a model not in the library: ask before restoring on the current one. */
  | { kind: 'unknown-model'; made: string | null; settings: RestoreSettings }
  /** Not something the grid can restore; `reason` says why, in words. */
  | { kind: 'nothing'; reason: string }

export interface MetadataAnswer {
  metadata: Record<string, unknown> | null
  faces: FaceSettings | null
}

export function planRestore(answer: MetadataAnswer, models: readonly FaceModel[], currentId: string | null, fileName = 'This image'): RestorePlan {
  const { metadata, faces } = answer
  if (faces === null) {
    if (metadata === null) return { kind: 'nothing', reason: `${fileName} has no Ganvas settings in it: only PNGs saved from Faces (or by ganvas generate) can be restored.` }
    if (metadata['kind'] === 'interpolation') {
      return { kind: 'nothing', reason: `${fileName} is an interpolation, not a single sample: save a sample from the grid to restore its seed.` }
    }
    return { kind: 'nothing', reason: `${fileName} was made by Ganvas, but not by a face generator, so it has no seed to restore.` }
  }
  const current = models.find((m) => m.id === currentId) ?? null
  // The class only counts when the user chose it; a seed-chosen class follows from the seed again.
  const chosenClass = metadata?.['classFrom'] === 'seed' ? null : faces.class
  const settings = (model: FaceModel | null): RestoreSettings => ({
    seed: faces.seed,
    psi: Math.min(1, Math.max(0, faces.psi)),
    className: chosenClass !== null && model?.classes?.includes(chosenClass) ? chosenClass : null,
  })
  if (faces.model === null || (current !== null && current.name === faces.model)) {
    if (current === null) return { kind: 'unknown-model', made: faces.model, settings: settings(null) }
    return { kind: 'restore', modelId: current.id, settings: settings(current), switched: false }
  }
  const match = models.find((m) => m.name === faces.model) ?? null
  if (match) return { kind: 'other-model', made: faces.model, match, settings: settings(match) }
  return { kind: 'unknown-model', made: faces.model, settings: settings(current) }
}

/** "seed 42, ψ 0.70, class cats" */
export function describeSettings(settings: RestoreSettings): string {
  return [`seed ${settings.seed}`, `ψ ${settings.psi.toFixed(2)}`, ...(settings.className ? [`class ${settings.className}`] : [])].join(', ')
}
