/**
 * Entry point of the engine process. Picks a backend, says `ready`, then serves calls from the
 * host; a bad message is answered with an error and never kills the engine.
 */
import { stat } from 'node:fs/promises'
import { HostToEngine, engineMethods, type EngineMethodName, type EngineOutput, type EngineParsedInput } from '../shared/engine-protocol'
import { BackendPreference } from '../shared/schemas'
import { selectBackend } from './backend/select'
import { WASM_ABORT_ADVICE, isWasmAbort } from './backend/wasm-abort'
import { openHostChannel } from './channel'
import { runEngineCheck } from './diagnostics/check'
import { importPytorchModel } from './import/import-pytorch'
import { translateFolder } from './inference/translate-folder'
import { previewInterpolation, previewSamples } from './inference/faces-preview'
import { writeDataset } from './inference/generate-files'
import { faceGeneratorFor, translatorFor } from './inference/loaded-models'
import { loadTranslator, translateImage } from './inference/translate'
import { CancelledByHost, type JobHooks } from './job-hooks'
import { writeFileAtomic } from './storage/atomic-write'
import { runTraining } from './training/run'
import { ganvasVersion } from './version'

type EngineHandlers = { [M in EngineMethodName]: (input: EngineParsedInput<M>, hooks: CallHooks) => Promise<EngineOutput<M>> }

interface CallHooks extends JobHooks {
  signal: AbortSignal
  waitWhilePaused(): Promise<void>
}

const handlers: EngineHandlers = {
  check: runEngineCheck,
  train: (request, hooks) => runTraining(request, hooks, ganvasVersion),
  importPytorch: (request, hooks) =>
    importPytorchModel(request, { version: ganvasVersion, onNote: (message) => hooks.progress({ step: 0, total: 1, metrics: {}, message }) }),
  translate: async ({ model, input, output, direction }, hooks) => {
    const translator = await loadTranslator(model, { version: ganvasVersion, ...(direction ? { direction } : {}) })
    try {
      if ((await stat(input)).isDirectory()) {
        const result = await translateFolder(translator, input, output, {
          signal: hooks.signal,
          onProgress: (done, total, file) => hooks.progress({ step: done, total, metrics: {}, message: file }),
        })
        return { written: result.written, skipped: result.skipped, stopped: result.cancelled }
      }
      const result = await translateImage(translator, input)
      await writeFileAtomic(output, result.png)
      hooks.progress({ step: 1, total: 1, metrics: {}, message: input })
      return { written: [output], skipped: [], stopped: false }
    } finally {
      translator.dispose()
    }
  },
  translateImage: async ({ model, image, direction }) => {
    const started = performance.now()
    const translator = await translatorFor(model, direction)
    const input = 'path' in image ? image.path : Buffer.from(image.base64, 'base64')
    const result = await translateImage(translator, input, 'path' in image ? image.path : 'sketch.png')
    return { png: result.png.toString('base64'), width: result.width, height: result.height, ms: performance.now() - started }
  },
  sample: async ({ model, seeds, psi, class: className }) => {
    const started = performance.now()
    const images = await previewSamples(await faceGeneratorFor(model), seeds, psi, className)
    return { images: images.map((i) => ({ ...i, png: i.png.toString('base64') })), ms: performance.now() - started }
  },
  interpolate: async ({ model, seedA, seedB, frames, psi, class: className }) => {
    const started = performance.now()
    const result = await previewInterpolation(await faceGeneratorFor(model), { seedA, seedB, frames, psi, ...(className !== undefined ? { className } : {}) })
    return {
      frames: result.frames.map((png) => png.toString('base64')),
      gif: Buffer.from(result.gif).toString('base64'),
      ms: performance.now() - started,
    }
  },
  generate: async ({ model, output, start, count, psi, class: className }, hooks) => {
    const generator = await faceGeneratorFor(model)
    const classIndex = className === undefined ? undefined : generator.classIndex(className)
    try {
      const written = await writeDataset(generator, output, { start, count, psi, ...(classIndex !== undefined ? { classIndex } : {}), hooks })
      return { ...written, stopped: false }
    } catch (error) {
      if (!(error instanceof CancelledByHost)) throw error
      return { outputDir: output, files: [], stopped: true }
    }
  },
}

const channel = openHostChannel()
interface Running {
  controller: AbortController
  /** Set while paused: resolves when resumed. */
  paused: { promise: Promise<void>; resume(): void } | null
}
const running = new Map<string, Running>()

async function serve(id: string, method: string, input: unknown): Promise<void> {
  if (!Object.prototype.hasOwnProperty.call(engineMethods, method)) {
    channel.post({ kind: 'error', id, error: `unknown engine method "${method}"`, cancelled: false })
    return
  }
  const name = method as EngineMethodName
  const parsed = engineMethods[name].input.safeParse(input)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]
    channel.post({ kind: 'error', id, error: `input.${issue?.path.join('.')}: ${issue?.message}`, cancelled: false })
    return
  }
  const call: Running = { controller: new AbortController(), paused: null }
  running.set(id, call)
  const hooks: CallHooks = {
    signal: call.controller.signal,
    progress: (progress) => channel.post({ kind: 'progress', id, progress }),
    throwIfCancelled: () => {
      if (call.controller.signal.aborted) throw new CancelledByHost()
    },
    yield: () => new Promise((resolve) => setImmediate(resolve)),
    waitWhilePaused: async () => {
      while (call.paused) await call.paused.promise
    },
  }
  try {
    const output = await (handlers[name] as (input: unknown, hooks: CallHooks) => Promise<unknown>)(parsed.data, hooks)
    channel.post({ kind: 'result', id, output })
  } catch (error) {
    if (isWasmAbort(error)) {
      // The wasm module is dead: fail the call with advice, then exit so the host starts a fresh engine.
      channel.post({ kind: 'error', id, error: `The engine stopped: ${WASM_ABORT_ADVICE}`, cancelled: false })
      setTimeout(() => process.exit(70), 100)
      return
    }
    const cancelled = error instanceof CancelledByHost
    channel.post({ kind: 'error', id, error: error instanceof Error ? error.message : String(error), cancelled })
  } finally {
    running.delete(id)
  }
}

function setPaused(id: string, paused: boolean): void {
  const call = running.get(id)
  if (!call) return
  if (paused && !call.paused) {
    let resume!: () => void
    const promise = new Promise<void>((r) => (resume = r))
    call.paused = { promise, resume }
  } else if (!paused && call.paused) {
    const { resume } = call.paused
    call.paused = null
    resume()
  }
}

async function main(): Promise<void> {
  const preference = BackendPreference.catch('auto').parse(process.env.GANVAS_BACKEND ?? 'auto')
  let report
  try {
    report = await selectBackend(preference)
  } catch (error) {
    channel.post({ kind: 'fatal', error: error instanceof Error ? error.message : String(error) })
    setTimeout(() => process.exit(1), 100)
    return
  }
  channel.onMessage((raw) => {
    const message = HostToEngine.safeParse(raw)
    if (!message.success) {
      console.warn('[engine] ignored a malformed message:', message.error.issues[0]?.message)
      return
    }
    const { data } = message
    if (data.kind === 'call') void serve(data.id, data.method, data.input)
    else if (data.kind === 'cancel') {
      setPaused(data.id, false) // a paused call wakes up to notice it was cancelled
      running.get(data.id)?.controller.abort()
    } else setPaused(data.id, data.kind === 'pause')
  })
  channel.post({ kind: 'ready', report })
}

void main()
