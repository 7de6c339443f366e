/**
 * THE contract between the renderer and the host (Electron main or the serve-mode server).
 * Every call the renderer can make and every event it can receive is declared here once,
 * with runtime schemas; preload, main, server and the renderer's client are all typed from it.
 */
import { z } from 'zod'
import { DataSource, Direction, TrainOptions } from './training'
import {
  BackendPreference,
  DatasetScan,
  EngineStatus,
  FaceSettings,
  FileEntry,
  GeneratorArch,
  Job,
  JobProgress,
  ModelEntry,
  Settings,
  TrainHistory,
} from './schemas'

const method = <I extends z.ZodType, O extends z.ZodType>(input: I, output: O) => ({ input, output })
/** An image carried inline (the canvas, a dropped file): PNG, JPEG or WebP, at most ~12 MB. */
const ImageDataUrl = z
  .string()
  .max(16_000_000)
  .regex(/^data:image\/(png|jpeg|webp);base64,[A-Za-z0-9+/]*={0,2}$/, 'must be a PNG, JPEG or WebP image as a base64 data: URL')
const Seed = z.number().int().min(0).max(2 ** 32 - 1)
/** Truncation ψ: 1 = as trained, toward 0 = toward the average face. */
const Psi = z.number().min(0).max(1)
const none = z.object({}).strict()
const AbsolutePath = z.string().min(1).max(4096)
const JobRef = z.object({ jobId: z.string().min(1).max(100) }).strict()
/** A folder name in the model library: no separators, no leading dot. */
const ModelId = z
  .string()
  .min(1)
  .max(100)
  .regex(/^[A-Za-z0-9][A-Za-z0-9 _.-]*$/, 'use letters, digits, spaces, dots, dashes and underscores')

export const api = {
  /** Version, where data lives, and which transport carries this session. */
  'app.info': method(
    none,
    z.object({
      version: z.string(),
      transport: z.enum(['electron', 'serve']),
      home: z.string(),
    }),
  ),
  'engine.status': method(none, EngineStatus),
  /** Restart the engine process, optionally on another backend (also saved as the setting). */
  'engine.restart': method(z.object({ backend: BackendPreference.optional() }).strict(), EngineStatus),
  /** Train a tiny conv net for a few steps on the active backend: proves training works, times it. */
  'engine.check': method(
    z.object({ steps: z.number().int().min(1).max(500), size: z.number().int().min(8).max(128) }).strict(),
    z.object({ jobId: z.string() }),
  ),
  'jobs.list': method(none, z.array(Job)),
  /** Stops a job; a training run saves a checkpoint first and can be resumed. */
  'jobs.cancel': method(JobRef, Job),
  'jobs.pause': method(JobRef, Job),
  'jobs.resume': method(JobRef, Job),
  /** Starts a training run into the model library as `model` (a folder name); the run appears in jobs. */
  'train.start': method(
    z
      .object({
        options: TrainOptions,
        data: DataSource,
        model: ModelId,
        name: z.string().min(1).max(200).optional(),
        /** Fine-tune from this library model. */
        from: ModelId.optional(),
        /** Continue `model`'s stopped run. */
        resume: z.boolean().optional(),
      })
      .strict(),
    z.object({ jobId: z.string() }),
  ),
  /** Translates an image or a folder with a library model into `output` (a file or a folder). */
  'translate.start': method(
    z.object({ model: ModelId, input: AbsolutePath, output: AbsolutePath, direction: Direction.optional() }).strict(),
    z.object({ jobId: z.string() }),
  ),
  'models.list': method(none, z.array(ModelEntry)),
  /** Imports a published pix2pix/CycleGAN generator (`*_net_G.pth`) into the library as `model`. */
  'models.importPytorch': method(
    z
      .object({
        file: AbsolutePath,
        model: ModelId,
        arch: GeneratorArch.optional(),
        direction: Direction.optional(),
      })
      .strict(),
    z.object({ jobId: z.string() }),
  ),
  /** Renames a model in the library (its display name; the folder keeps its id). */
  'models.rename': method(z.object({ model: ModelId, name: z.string().trim().min(1).max(200) }).strict(), ModelEntry),
  /** Deletes a model folder from the library, for good. */
  'models.delete': method(z.object({ model: ModelId }).strict(), z.object({ deleted: z.string() })),
  /** Writes `<model>.ganvas.zip` into `folder` (an allowed folder). */
  'models.export': method(z.object({ model: ModelId, folder: AbsolutePath }).strict(), z.object({ path: z.string(), bytes: z.number() })),
  /** Copies a model folder, or unpacks a zip made by models.export, into the library as `model`. */
  'models.import': method(z.object({ source: AbsolutePath, model: ModelId }).strict(), ModelEntry),
  /** Shows the model folder in the system file manager (Electron only). */
  'models.reveal': method(z.object({ model: ModelId }).strict(), z.object({ path: z.string() })),
  /** A training run's history from its model folder: losses per step and every sample grid. */
  'train.history': method(z.object({ model: ModelId }).strict(), TrainHistory),
  /**
   * A run's settings: those it was started with while it runs (known before its first checkpoint
   * writes a manifest), else its manifest's. `from` is the library id it was fine-tuned from.
   */
  'train.config': method(
    z.object({ model: ModelId }).strict(),
    z.object({ options: z.record(z.string(), z.unknown()).nullable(), data: DataSource.nullable(), from: z.string().nullable() }),
  ),
  /** One image through a Pix2Pix/CycleGAN model, at once (not a job): Sketch's live output, Style's preview. */
  'translate.image': method(
    z
      .object({ model: ModelId, image: z.union([ImageDataUrl, z.object({ path: AbsolutePath }).strict()]), direction: Direction.optional() })
      .strict(),
    z.object({ image: z.string(), width: z.number().int(), height: z.number().int(), ms: z.number() }),
  ),
  /** Samples from a face generator, one per seed (PNG data URLs carrying seed, ψ and class). */
  'faces.sample': method(
    z.object({ model: ModelId, seeds: z.array(Seed).min(1).max(64), psi: Psi.default(1), class: z.string().max(200).optional() }).strict(),
    z.object({ images: z.array(z.object({ seed: Seed, class: z.string().nullable(), image: z.string() })), ms: z.number() }),
  ),
  /** Spherical interpolation between two seeds: the frames, and the same as an animated GIF. */
  'faces.interpolate': method(
    z
      .object({
        model: ModelId,
        seedA: Seed,
        seedB: Seed,
        frames: z.number().int().min(2).max(120),
        psi: Psi.default(1),
        class: z.string().max(200).optional(),
      })
      .strict(),
    z.object({ frames: z.array(z.string()), gif: z.string(), ms: z.number() }),
  ),
  /** "Make a data set": `count` samples into `output` (an allowed folder), as a job. */
  'faces.makeDataset': method(
    z
      .object({
        model: ModelId,
        output: AbsolutePath,
        count: z.number().int().min(1).max(100_000),
        start: Seed.default(0),
        psi: Psi.default(1),
        class: z.string().max(200).optional(),
      })
      .strict(),
    z.object({ jobId: z.string() }),
  ),
  /** Ganvas metadata in an image (e.g. a dropped PNG): the face settings to restore, when present. */
  'images.metadata': method(
    z.object({ image: ImageDataUrl }).strict(),
    z.object({ metadata: z.record(z.string(), z.unknown()).nullable(), faces: FaceSettings.nullable() }),
  ),
  /** An allowed image file, scaled to fit `maxSize` (samples, results, previews). */
  'images.read': method(
    z.object({ path: AbsolutePath, maxSize: z.number().int().min(16).max(4096).default(1024) }).strict(),
    z.object({ image: z.string(), width: z.number().int(), height: z.number().int() }),
  ),
  /** Thumbnails of many images at once, made on the host side; a file that fails has its problem. */
  'images.thumbnails': method(
    z.object({ paths: z.array(AbsolutePath).min(1).max(200), size: z.number().int().min(16).max(512).default(128) }).strict(),
    z.object({ items: z.array(z.object({ path: z.string(), image: z.string().nullable(), problem: z.string().nullable() })) }),
  ),
  /** What a training folder holds: usable images (paths for browsing), classes, and skipped files with reasons. */
  'datasets.scan': method(
    z.object({ dir: AbsolutePath, layout: z.enum(['images', 'paired']).default('images') }).strict(),
    DatasetScan,
  ),
  'settings.get': method(none, Settings),
  'settings.update': method(Settings.partial().strict(), Settings),
  /** Folders this session may read; `nativePicker` is true where a system dialog exists (Electron). */
  'files.roots': method(none, z.object({ roots: z.array(z.string()), nativePicker: z.boolean() })),
  'files.list': method(
    z.object({ path: AbsolutePath }).strict(),
    z.object({ path: z.string(), parent: z.string().nullable(), entries: z.array(FileEntry) }),
  ),
  /** Native folder dialog (Electron only); the chosen folder becomes an allowed root. */
  'files.pickFolder': method(none, z.object({ path: z.string().nullable() })),
} as const

export type Api = typeof api
export type MethodName = keyof Api
export type Input<M extends MethodName> = z.input<Api[M]['input']>
export type Output<M extends MethodName> = z.output<Api[M]['output']>
export const methodNames = Object.keys(api) as MethodName[]
export const isMethodName = (name: unknown): name is MethodName =>
  typeof name === 'string' && Object.prototype.hasOwnProperty.call(api, name)

/** Events pushed from the host to every renderer. */
export const GanvasEvent = z.discriminatedUnion('type', [
  z.object({ type: z.literal('engine.status'), status: EngineStatus }),
  z.object({ type: z.literal('job.started'), job: Job }),
  z.object({ type: z.literal('job.progress'), jobId: z.string(), progress: JobProgress }),
  /** Paused or resumed. */
  z.object({ type: z.literal('job.updated'), job: Job }),
  z.object({ type: z.literal('job.finished'), job: Job }),
  z.object({ type: z.literal('job.failed'), job: Job }),
  /** The readable folders changed (e.g. a folder was opened from the menu). */
  z.object({ type: z.literal('files.roots'), roots: z.array(z.string()) }),
])
export type GanvasEvent = z.infer<typeof GanvasEvent>

export const ErrorCode = z.enum([
  'invalid_message', // the envelope itself is malformed
  'unknown_method',
  'invalid_input', // the input fails the method's schema
  'not_found',
  'forbidden', // e.g. a path outside the allowed roots
  'unsupported', // not available on this transport/machine
  'engine_unavailable',
  'failed',
])
export type ErrorCode = z.infer<typeof ErrorCode>

export const ApiError = z.object({
  code: ErrorCode,
  message: z.string(),
  /** Dotted path of the offending field, e.g. 'input.steps', when validation failed. */
  field: z.string().optional(),
})
export type ApiError = z.infer<typeof ApiError>

/** Wire envelopes. The id is chosen by the caller and echoed back. */
export const CallRequest = z
  .object({
    id: z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER),
    method: z.string().max(100),
    input: z.unknown().optional(),
  })
  .strict()
export type CallRequest = z.infer<typeof CallRequest>

export const CallResponse = z.discriminatedUnion('ok', [
  z.object({ id: z.number(), ok: z.literal(true), output: z.unknown() }),
  z.object({ id: z.number(), ok: z.literal(false), error: ApiError }),
])
export type CallResponse = z.infer<typeof CallResponse>

/** Server → browser frames on the WebSocket: a response to a call, or an event. */
export const ServerFrame = z.union([
  z.object({ kind: z.literal('response'), response: CallResponse }),
  z.object({ kind: z.literal('event'), event: GanvasEvent }),
])
export type ServerFrame = z.infer<typeof ServerFrame>

/**
 * What the preload exposes as `window.ganvas` and what the WebSocket client implements:
 * a raw carrier of the contract. The renderer wraps it in its typed client.
 */
export interface GanvasBridge {
  call(method: MethodName, input: unknown): Promise<CallResponse>
  onEvent(listener: (event: GanvasEvent) => void): () => void
}

/** Turn a zod failure into one line that names the field, e.g. "input.steps: Too big: …". */
export function describeIssues(error: z.ZodError, prefix: string): { message: string; field: string } {
  const first = error.issues[0]
  const field = [prefix, ...(first?.path ?? []).map(String)].join('.')
  const rest = error.issues.length > 1 ? ` (and ${error.issues.length - 1} more problem(s))` : ''
  return { field, message: `${field}: ${first?.message ?? 'invalid'}${rest}` }
}
