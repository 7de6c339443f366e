/**
 * Building blocks of the contract: the shapes every process agrees on.
 * Plain data only (structured-clone safe): no tensors, classes, Buffers or Electron types.
 */
import { z } from 'zod'

/** TF.js backend names as the engine reports them ('tensorflow' = tfjs-node or tfjs-node-gpu). */
export const BackendName = z.enum(['tensorflow', 'wasm', 'cpu'])
export type BackendName = z.infer<typeof BackendName>

/** What the user asks for; `auto` walks tfjs-node-gpu → tfjs-node → wasm → cpu. */
export const BackendPreference = z.enum(['auto', 'tensorflow', 'wasm', 'cpu'])
export type BackendPreference = z.infer<typeof BackendPreference>

export const EngineState = z.enum(['starting', 'ready', 'restarting', 'failed'])
export type EngineState = z.infer<typeof EngineState>

/** One line per backend tried, so the user sees why a preferred one is not active. */
export const BackendAttempt = z.object({
  backend: z.string(),
  ok: z.boolean(),
  reason: z.string(),
})
export type BackendAttempt = z.infer<typeof BackendAttempt>

export const EngineStatus = z.object({
  state: EngineState,
  /** The backend asked for, and whether by the saved setting or this session's --backend / GANVAS_BACKEND. */
  requested: BackendPreference,
  requestedBy: z.enum(['setting', 'override']),
  backend: BackendName.nullable(),
  /** Human-readable device: the GPU's name under CUDA, otherwise the CPU and how it is used. */
  device: z.string(),
  tfjsVersion: z.string(),
  /** Which package supplied the backend, e.g. '@tensorflow/tfjs-node-gpu'. */
  backendPackage: z.string().nullable(),
  attempts: z.array(BackendAttempt),
  pid: z.number().int().nullable(),
  restarts: z.number().int().nonnegative(),
  /** Last crash or start-up failure, in words for the user. */
  lastError: z.string().nullable(),
})
export type EngineStatus = z.infer<typeof EngineStatus>

export const JobState = z.enum(['queued', 'running', 'paused', 'done', 'failed', 'cancelled'])
export type JobState = z.infer<typeof JobState>

/** The kinds of work the engine runs; later issues add training and inference kinds. */
export const JobKind = z.enum(['engine.check', 'train', 'translate', 'import', 'generate'])
export type JobKind = z.infer<typeof JobKind>

export const JobProgress = z.object({
  step: z.number().int().nonnegative(),
  total: z.number().int().nonnegative(),
  /** Named scalars for this step (losses, ms/step, images/s …). */
  metrics: z.record(z.string(), z.number()),
  message: z.string().optional(),
  /** Absolute path of the newest sample image (training runs), when one was just written. */
  sample: z.string().optional(),
})
export type JobProgress = z.infer<typeof JobProgress>

export const Job = z.object({
  id: z.string(),
  kind: JobKind,
  title: z.string(),
  state: JobState,
  progress: JobProgress.nullable(),
  /** Present when state is 'done'. */
  result: z.record(z.string(), z.unknown()).nullable(),
  /** Present when state is 'failed': what went wrong, for the user. */
  error: z.string().nullable(),
  startedAt: z.string(),
  endedAt: z.string().nullable(),
  /** The library model the job trains, reads or writes, when there is one. */
  model: z.string().nullable().default(null),
})
export type Job = z.infer<typeof Job>

export const Settings = z.object({
  backend: BackendPreference,
})
export type Settings = z.infer<typeof Settings>
export const defaultSettings: Settings = { backend: 'auto' }

export const FileEntry = z.object({
  name: z.string(),
  kind: z.enum(['dir', 'image', 'file']),
  size: z.number().int().nonnegative(),
})
export type FileEntry = z.infer<typeof FileEntry>

export const ModelEntry = z.object({
  /** Folder name under $GANVAS_HOME/models; the model's id. */
  id: z.string(),
  path: z.string(),
  /** Null when manifest.json is missing or invalid; `problem` then says why. */
  manifest: z.lazy(() => ModelManifest).nullable(),
  problem: z.string().nullable(),
})

/** The published pix2pix/CycleGAN generator architectures (what `import pytorch` reads). */
export const GeneratorArch = z.enum(['unet_256', 'unet_128', 'resnet_9blocks', 'resnet_6blocks'])
export type GeneratorArch = z.infer<typeof GeneratorArch>

/** Model families the engine knows; each later issue registers its own. */
export const ModelFamily = z.enum(['pix2pix', 'cyclegan', 'dcgan'])
export type ModelFamily = z.infer<typeof ModelFamily>

/** manifest.json in every model folder (DESIGN.md: "Models on disk"). */
export const ModelManifest = z.object({
  format: z.literal('ganvas-model'),
  formatVersion: z.literal(1),
  name: z.string().min(1),
  family: ModelFamily,
  resolution: z.number().int().positive(),
  channels: z.number().int().positive(),
  training: z.record(z.string(), z.unknown()),
  stepsDone: z.number().int().nonnegative(),
  /** The current weights snapshot: a folder inside the model folder, e.g. 'checkpoints/step-000500'. */
  weights: z
    .string()
    .regex(/^[A-Za-z0-9_-]+(\/[A-Za-z0-9_-]+)*$/, 'must be a plain relative folder inside the model folder'),
  dataset: z.record(z.string(), z.unknown()).nullable(),
  metrics: z.record(z.string(), z.number()),
  created: z.string(),
})
export type ModelManifest = z.infer<typeof ModelManifest>
export type ModelEntry = z.infer<typeof ModelEntry>

/** A face generator's settings as a Ganvas PNG records them (restored when the PNG is dropped back in). */
export const FaceSettings = z.object({
  model: z.string().nullable(),
  seed: z.number().int().nonnegative(),
  psi: z.number(),
  class: z.string().nullable(),
})
export type FaceSettings = z.infer<typeof FaceSettings>

/** history.jsonl of a model folder, and its sample grids in step order. */
export const TrainHistory = z.object({
  entries: z.array(z.object({ step: z.number().int(), time: z.number(), metrics: z.record(z.string(), z.number()) })),
  samples: z.array(z.object({ step: z.number().int(), path: z.string() })),
})
export type TrainHistory = z.infer<typeof TrainHistory>

/** datasets.scan: a training folder as the engine will read it. */
export const DatasetScan = z.object({
  dir: z.string(),
  /** Usable images (or pairs), each by path; classes when the folder has one subfolder per class. */
  images: z.array(z.string()),
  classes: z.array(z.object({ name: z.string(), count: z.number().int() })).nullable(),
  skipped: z.array(z.object({ path: z.string(), reason: z.string() })),
  /** A DatasetError message when nothing is usable. */
  problem: z.string().nullable(),
})
export type DatasetScan = z.infer<typeof DatasetScan>
