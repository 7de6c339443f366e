import { readdir, readFile, stat } from 'node:fs/promises'
import { join } from 'node:path'
import { ModelManifest, type ModelEntry } from '../shared/schemas'

/**
 * The model library is $GANVAS_HOME/models/<id>/manifest.json. Folders placed there by hand or by
 * the CLI show up; a folder with a missing or invalid manifest is listed with the problem named.
 */
export async function listModels(modelsDir: string): Promise<ModelEntry[]> {
  let names: string[]
  try {
    const dirents = await readdir(modelsDir, { withFileTypes: true })
    names = dirents.filter((d) => d.isDirectory() && !d.name.startsWith('.')).map((d) => d.name)
  } catch {
    return []
  }
  names.sort((a, b) => a.localeCompare(b))
  return Promise.all(names.map((id) => readModel(modelsDir, id)))
}

/** One library model by id, or null when there is no such folder. */
export async function findModel(modelsDir: string, id: string): Promise<ModelEntry | null> {
  const info = await stat(join(modelsDir, id)).catch(() => null)
  return info?.isDirectory() ? readModel(modelsDir, id) : null
}

async function readModel(modelsDir: string, id: string): Promise<ModelEntry> {
  const path = join(modelsDir, id)
  return { id, path, ...(await readModelFolder(path)) }
}

/** A model folder's manifest, or why it cannot be used (in words for the user). */
export async function readModelFolder(path: string): Promise<{ manifest: ModelManifest; problem: null } | { manifest: null; problem: string }> {
  let text: string
  try {
    text = await readFile(join(path, 'manifest.json'), 'utf8')
  } catch {
    return { manifest: null, problem: 'manifest.json is missing: this folder is not a Ganvas model' }
  }
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch {
    return { manifest: null, problem: 'manifest.json is not valid JSON' }
  }
  const parsed = ModelManifest.safeParse(json)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]
    return { manifest: null, problem: `manifest.json: ${issue?.path.join('.') || 'root'}: ${issue?.message}` }
  }
  return { manifest: parsed.data, problem: null }
}
