/** The face generators in the library (family 'dcgan'), as the Faces section lists them. */
import type { ModelEntry, ModelManifest } from '../../../../shared/schemas'

export interface FaceModel {
  /** Folder name: what calls take as `model`. */
  id: string
  /** manifest.name: what Ganvas PNGs record as their model. */
  name: string
  resolution: number
  stepsDone: number
  /** Class names of a conditional model; null when unconditional. */
  classes: readonly string[] | null
}

/** A conditional model's classes, from manifest.training.classes; null otherwise. */
export function classesOf(manifest: Pick<ModelManifest, 'training'>): string[] | null {
  const classes = manifest.training['classes']
  if (!Array.isArray(classes) || classes.length === 0) return null
  return classes.every((c): c is string => typeof c === 'string') ? classes : null
}

/** Usable face generators, sorted by name; broken folders and other families are left out. */
export function faceModels(entries: readonly ModelEntry[]): FaceModel[] {
  const models: FaceModel[] = []
  for (const entry of entries) {
    const manifest = entry.manifest
    if (manifest === null || manifest.family !== 'dcgan') continue
    models.push({ id: entry.id, name: manifest.name, resolution: manifest.resolution, stepsDone: manifest.stepsDone, classes: classesOf(manifest) })
  }
  return models.sort((a, b) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id))
}

/** The model to show: the one asked for if it is still there, else the first. */
export function pickModel(models: readonly FaceModel[], wanted: string | null): FaceModel | null {
  return models.find((m) => m.id === wanted) ?? models[0] ?? null
}

/** "32 px · 1,200 steps · 2 classes" */
export function describeModel(model: FaceModel): string {
  const parts = [`${model.resolution} px`, `${model.stepsDone.toLocaleString('en-US')} ${model.stepsDone === 1 ? 'step' : 'steps'}`]
  parts.push(model.classes ? `${model.classes.length} ${model.classes.length === 1 ? 'class' : 'classes'}` : 'unconditional')
  return parts.join(' · ')
}
