/**
 * train.config: a run's settings for the Train view. While a run is in progress its request is
 * the truth (the manifest appears only with the first checkpoint); afterwards the manifest is.
 */
import { basename } from 'node:path'
import type { Output } from '../shared/contract'
import type { ModelManifest } from '../shared/schemas'
import type { DataSource, TrainRequest } from '../shared/training'

export type RunConfig = Output<'train.config'>

const text = (record: Record<string, unknown>, key: string): string | null => (typeof record[key] === 'string' ? (record[key] as string) : null)

/** The folders a manifest's dataset summary names (kind paired/images: root; unpaired: dirA, dirB). */
export function dataOfManifest(dataset: ModelManifest['dataset']): DataSource | null {
  if (!dataset) return null
  const root = text(dataset, 'root')
  if (root) return { dir: root }
  const dirA = text(dataset, 'dirA')
  const dirB = text(dataset, 'dirB')
  return dirA && dirB ? { dirA, dirB } : null
}

/** `request`: the last train.start for the model in this session; `running`: whether that run is still going. */
export function runConfig(request: TrainRequest | undefined, manifest: ModelManifest | null, running: boolean): RunConfig {
  if (request && (running || !manifest)) {
    const from = request.from ?? null
    return { options: { ...request.options }, data: request.data, from: from === null ? null : basename(from) }
  }
  if (!manifest) return { options: null, data: null, from: null }
  const { from, ...options } = manifest.training
  return { options, data: dataOfManifest(manifest.dataset), from: typeof from === 'string' ? basename(from) : null }
}
