/** Applying a CycleGAN model to a folder: where the results go by default, and which files are results. */
import type { FileEntry } from '../../../../shared/schemas'
import { baseName, isWithinRoots, joinPath, parentOf } from '../folder-browser'
import { deriveModelId } from './model-id'

/**
 * `photos` restyled with `monet` → a sibling `photos-monet` when the session may write beside
 * the input folder, else a subfolder `photos/monet results` (translation never reads subfolders).
 */
export function defaultOutputFolder(input: string, modelId: string, roots: readonly string[]): string {
  const model = deriveModelId(modelId) || 'styled'
  const parent = parentOf(input)
  if (parent !== null && isWithinRoots(parent, roots) && isWithinRoots(input, roots) && !roots.includes(input)) {
    return joinPath(parent, `${baseName(input)}-${model}`)
  }
  return joinPath(input, `${model} results`)
}

/** Image files of a listed folder as absolute paths, in the listing's (name) order. */
export function imagePaths(folder: string, entries: readonly FileEntry[]): string[] {
  return entries.filter((entry) => entry.kind === 'image').map((entry) => joinPath(folder, entry.name))
}
