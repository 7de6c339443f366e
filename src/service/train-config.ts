/**
 * train.config: a run's settings for the Train view. While a run is in progress its request is
 * the truth (the manifest appears only with the first checkpoint); afterwards the manifest is.
 */
import { basename } from 'node:path'
import type { Output } from '../shared/contract'
import type { ModelManifest } from '../shared/schemas'
import { dataSourceOf, type TrainRequest } from '../shared/training'

export type RunConfig = Output<'train.config'>

/** `request`: the last train.start for the model in this session; `running`: whether that run is still going. */
export function runConfig(request: TrainRequest | undefined, manifest: ModelManifest | null, running: boolean): RunConfig {
  if (request && (running || !manifest)) {
    const from = request.from ?? null
    return { options: { ...request.options }, data: request.data, from: from === null ? null : basename(from) }
  }
  if (!manifest) return { options: null, data: null, from: null }
  const { from, ...options } = manifest.training
  return { options, data: dataSourceOf(manifest.dataset), from: typeof from === 'string' ? basename(from) : null }
}
