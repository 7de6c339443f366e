/**
 * A model on disk (DESIGN.md, "Models on disk"):
 *
 *   MODEL_DIR/manifest.json                      what it is; `weights` names the current snapshot
 *   MODEL_DIR/checkpoints/step-000500/<net>/     each network in TF.js layers format
 *                                                (model.json + weights.bin)
 *   MODEL_DIR/checkpoints/step-000500/state.*    training state for --resume (optimisers, RNG, pools)
 *
 * A snapshot folder appears atomically and the manifest is switched to it only afterwards, so a
 * half-written checkpoint is never loaded. Loading reads JSON and float arrays only: no code runs.
 */
import { readFile, readdir, rm } from 'node:fs/promises'
import { isAbsolute, join, normalize } from 'node:path'
import * as tf from '@tensorflow/tfjs'
import { ModelManifest } from '../../shared/schemas'
import '../layers/instance-norm' // custom layers must be registered before a model is deserialised
import '../layers/reflection-pad'
import '../layers/seeded-dropout'
import { writeFileAtomic, writeFolderAtomic } from './atomic-write'
import { loadLayersNetwork } from './load-network'
import { readWholeFile } from './read-file'

export interface TrainingState {
  /** Plain data: step, RNG state, options, anything JSON. */
  json: Record<string, unknown>
  /** Tensors: optimiser slots, image pools. */
  tensors: { name: string; tensor: tf.Tensor }[]
}

export interface Snapshot {
  networks: Record<string, tf.LayersModel>
  state?: TrainingState
}

const MANIFEST = 'manifest.json'
export const snapshotName = (step: number) => `checkpoints/step-${String(step).padStart(6, '0')}`

/** Serialises a model to its two files without touching the disk. */
export async function modelFiles(model: tf.LayersModel): Promise<{ 'model.json': string; 'weights.bin': Uint8Array }> {
  let captured: tf.io.ModelArtifacts | null = null
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      captured = artifacts
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } }
    }),
  )
  const artifacts = captured as tf.io.ModelArtifacts | null
  if (!artifacts?.weightData || !artifacts.weightSpecs) throw new Error(`could not serialise model ${model.name}`)
  const weights = new Uint8Array(tf.io.CompositeArrayBuffer.join(artifacts.weightData))
  const modelJson = {
    format: 'layers-model',
    generatedBy: `TensorFlow.js tfjs-layers v${tf.version.tfjs}`,
    convertedBy: null,
    modelTopology: artifacts.modelTopology,
    weightsManifest: [{ paths: ['weights.bin'], weights: artifacts.weightSpecs }],
  }
  return { 'model.json': JSON.stringify(modelJson), 'weights.bin': weights }
}

/**
 * Writes a new snapshot for `step` and points the manifest at it; keeps the newest `keep` snapshots.
 * Returns the manifest as written.
 */
export async function saveSnapshot(
  modelDir: string,
  manifest: Omit<ModelManifest, 'weights'>,
  step: number,
  snapshot: Snapshot,
  keep = 2,
): Promise<ModelManifest> {
  const files: Record<string, string | Uint8Array> = {}
  for (const [name, model] of Object.entries(snapshot.networks)) {
    for (const [file, data] of Object.entries(await modelFiles(model))) files[`${name}/${file}`] = data
  }
  if (snapshot.state) {
    const { data, specs } = await tf.io.encodeWeights(snapshot.state.tensors)
    files['state.json'] = JSON.stringify({ ...snapshot.state.json, tensorSpecs: specs })
    files['state.bin'] = new Uint8Array(tf.io.CompositeArrayBuffer.join(data))
  }
  const weights = snapshotName(step)
  const existing = await readManifest(modelDir).catch(() => null)
  if (existing?.weights === weights) {
    // Already saved at this step (e.g. stop right after a periodic checkpoint): keep what is there.
    return existing
  }
  await rm(join(modelDir, weights), { recursive: true, force: true }) // an unreferenced leftover
  await writeFolderAtomic(join(modelDir, weights), files)
  const written = ModelManifest.parse({ ...manifest, stepsDone: step, weights })
  await writeFileAtomic(join(modelDir, MANIFEST), JSON.stringify(written, null, 2) + '\n')
  await pruneSnapshots(modelDir, weights, keep)
  return written
}

async function pruneSnapshots(modelDir: string, current: string, keep: number): Promise<void> {
  const dir = join(modelDir, 'checkpoints')
  const names = (await readdir(dir).catch(() => [] as string[])).filter((n) => /^step-\d+$/.test(n)).sort()
  const keepSet = new Set([...names.slice(-keep), current.split('/').pop()])
  for (const name of names) if (!keepSet.has(name)) await rm(join(dir, name), { recursive: true, force: true })
}

/** Reads and validates manifest.json, with messages that say what to do. */
export async function readManifest(modelDir: string): Promise<ModelManifest> {
  let text: string
  try {
    text = await readFile(join(modelDir, MANIFEST), 'utf8')
  } catch {
    throw new Error(`${modelDir} is not a Ganvas model: manifest.json is missing. Pick a model folder made by "ganvas train" or "ganvas import".`)
  }
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch {
    throw new Error(`${join(modelDir, MANIFEST)} is not valid JSON: the model folder is damaged.`)
  }
  const parsed = ModelManifest.safeParse(json)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]
    throw new Error(`${join(modelDir, MANIFEST)}: ${issue?.path.join('.') || 'root'}: ${issue?.message}`)
  }
  return parsed.data
}

function snapshotDir(modelDir: string, manifest: ModelManifest): string {
  const relative = normalize(manifest.weights)
  if (isAbsolute(relative) || relative.startsWith('..')) throw new Error(`manifest.json: weights must stay inside ${modelDir}`)
  return join(modelDir, relative)
}

/** Loads one network of the current snapshot. */
export async function loadNetwork(modelDir: string, manifest: ModelManifest, name: string): Promise<tf.LayersModel> {
  const dir = join(snapshotDir(modelDir, manifest), name)
  try {
    return await loadLayersNetwork(dir)
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? `${(error as NodeJS.ErrnoException).path} is missing` : (error as Error).message.split('\n')[0]
    throw new Error(`could not read network "${name}" of ${modelDir} (${reason})`)
  }
}

/** The training state of the current snapshot, or null when it holds none (e.g. an imported model). */
export async function loadTrainingState(
  modelDir: string,
  manifest: ModelManifest,
): Promise<{ json: Record<string, unknown>; tensors: tf.NamedTensorMap } | null> {
  const dir = snapshotDir(modelDir, manifest)
  let text: string
  try {
    text = await readFile(join(dir, 'state.json'), 'utf8')
  } catch {
    return null
  }
  const { tensorSpecs, ...json } = JSON.parse(text) as { tensorSpecs: tf.io.WeightsManifestEntry[] } & Record<string, unknown>
  const data = await readWholeFile(join(dir, 'state.bin'))
  return { json, tensors: tf.io.decodeWeights(data, tensorSpecs) }
}
