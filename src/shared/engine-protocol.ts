/**
 * Messages between the host (main process or server) and the engine process.
 * Both sides validate what they receive: the engine may be a different build, or crashed mid-write.
 */
import { z } from 'zod'
import { BackendAttempt, BackendName, GeneratorArch, JobProgress } from './schemas'
import { Direction, TrainRequest } from './training'

/** What the engine knows about itself; the host adds process state (pid, restarts). */
export const EngineReport = z.object({
  backend: BackendName,
  backendPackage: z.string(),
  device: z.string(),
  tfjsVersion: z.string(),
  attempts: z.array(BackendAttempt),
})
export type EngineReport = z.infer<typeof EngineReport>

const engineMethod = <I extends z.ZodType, O extends z.ZodType>(input: I, output: O) => ({
  input,
  output,
})

/** Every long-running engine method reports JobProgress and can be cancelled. */
export const engineMethods = {
  check: engineMethod(
    z.object({ steps: z.number().int().min(1), size: z.number().int().min(8) }),
    z.object({
      backend: BackendName,
      steps: z.number().int(),
      msPerStep: z.number(),
      firstLoss: z.number(),
      lastLoss: z.number(),
    }),
  ),
  /** A whole training run; progress per step, pause/resume/stop by message. */
  train: engineMethod(
    TrainRequest,
    z.object({ model: z.string(), steps: z.number().int(), stopped: z.boolean(), losses: z.record(z.string(), z.number()) }),
  ),
  /** An image or a folder through a Pix2Pix/CycleGAN model. */
  translate: engineMethod(
    z.object({ model: z.string(), input: z.string(), output: z.string(), direction: Direction.optional() }),
    z.object({ written: z.array(z.string()), skipped: z.array(z.object({ path: z.string(), reason: z.string() })), stopped: z.boolean() }),
  ),
  /** A published PyTorch generator checkpoint into a new model folder. */
  importPytorch: engineMethod(
    z.object({
      file: z.string(),
      out: z.string(),
      arch: GeneratorArch.optional(),
      name: z.string().optional(),
      direction: Direction.optional(),
    }),
    z.object({
      model: z.string(),
      family: z.enum(['pix2pix', 'cyclegan']),
      network: z.string(),
      arch: z.string(),
      ngf: z.number().int(),
      params: z.number().int(),
      direction: Direction,
    }),
  ),
  /** One encoded image (base64) through a cached translator: the studio's live output. */
  translateImage: engineMethod(
    z.object({ model: z.string(), image: z.union([z.object({ base64: z.string() }), z.object({ path: z.string() })]), direction: Direction.optional() }),
    z.object({ png: z.string(), width: z.number().int(), height: z.number().int(), ms: z.number() }),
  ),
  /** Face-generator samples as base64 PNGs with their metadata. */
  sample: engineMethod(
    z.object({ model: z.string(), seeds: z.array(z.number().int().nonnegative()).min(1).max(64), psi: z.number(), class: z.string().optional() }),
    z.object({ images: z.array(z.object({ seed: z.number().int(), class: z.string().nullable(), png: z.string() })), ms: z.number() }),
  ),
  interpolate: engineMethod(
    z.object({
      model: z.string(),
      seedA: z.number().int().nonnegative(),
      seedB: z.number().int().nonnegative(),
      frames: z.number().int().min(2).max(120),
      psi: z.number(),
      class: z.string().optional(),
    }),
    z.object({ frames: z.array(z.string()), gif: z.string(), ms: z.number() }),
  ),
  /** "Make a data set": samples of seeds start…start+count−1 written into a folder. */
  generate: engineMethod(
    z.object({ model: z.string(), output: z.string(), start: z.number().int().nonnegative(), count: z.number().int().min(1), psi: z.number(), class: z.string().optional() }),
    z.object({ outputDir: z.string(), files: z.array(z.string()), stopped: z.boolean() }),
  ),
} as const
export type EngineMethods = typeof engineMethods
export type EngineMethodName = keyof EngineMethods
export type EngineInput<M extends EngineMethodName> = z.input<EngineMethods[M]['input']>
/** What a handler receives: the input after validation, defaults filled in. */
export type EngineParsedInput<M extends EngineMethodName> = z.output<EngineMethods[M]['input']>
export type EngineOutput<M extends EngineMethodName> = z.output<EngineMethods[M]['output']>

const CallId = z.string().min(1).max(100)

export const HostToEngine = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('call'), id: CallId, method: z.string(), input: z.unknown() }),
  z.object({ kind: z.literal('cancel'), id: CallId }),
  z.object({ kind: z.literal('pause'), id: CallId }),
  z.object({ kind: z.literal('resume'), id: CallId }),
])
export type HostToEngine = z.infer<typeof HostToEngine>

export const EngineToHost = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('ready'), report: EngineReport }),
  /** Start-up failed for good (no backend could be initialised). */
  z.object({ kind: z.literal('fatal'), error: z.string() }),
  z.object({ kind: z.literal('progress'), id: CallId, progress: JobProgress }),
  z.object({ kind: z.literal('result'), id: CallId, output: z.unknown() }),
  z.object({ kind: z.literal('error'), id: CallId, error: z.string(), cancelled: z.boolean() }),
])
export type EngineToHost = z.infer<typeof EngineToHost>
