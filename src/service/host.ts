/**
 * The contract implemented once. Electron main and the serve-mode server each create one host and
 * carry its handlers and events over their own transport; neither re-implements a method.
 */
import { basename, dirname, join } from 'node:path'
import { BackendPreference } from '../shared/schemas'
import { TrainRequest, type DataSource } from '../shared/training'
import { ensureHome, type AppHome } from './app-home'
import type { Handlers } from './dispatch'
import { EngineHost, type EngineLauncher } from './engine-host'
import { ServiceError } from './errors'
import { EventHub } from './event-hub'
import { listFolder } from './files'
import { JobRegistry } from './jobs'
import { libraryHandlers } from './library-handlers'
import { mediaHandlers } from './media-handlers'
import { findModel, listModels } from './model-library'
import { PathGuard } from './path-guard'
import { SettingsStore } from './settings-store'
import { runConfig } from './train-config'

export interface HostOptions {
  home: AppHome
  transport: 'electron' | 'serve'
  version: string
  launcher: EngineLauncher
  /** From --backend or GANVAS_BACKEND: wins over the saved setting for this session. */
  backendOverride?: BackendPreference
  /** Folders readable from the start (serve mode's --root); the app home is always one. */
  roots?: string[]
  /** The native folder dialog, where there is one (Electron). */
  pickFolder?: () => Promise<string | null>
  /** Shows a path in the system file manager, where there is one (Electron). */
  reveal?: (path: string) => void
}

export interface Host {
  handlers: Handlers
  events: EventHub
  engine: EngineHost
  guard: PathGuard
  dispose(): void
}

export async function createHost(options: HostOptions): Promise<Host> {
  const { home } = options
  await ensureHome(home)
  const events = new EventHub()
  const settings = new SettingsStore(home.settingsFile)
  await settings.load()
  if (settings.problem) console.warn(`[settings] ${settings.problem}`)
  const guard = new PathGuard()
  await guard.addRoot(home.root)
  for (const root of options.roots ?? []) await guard.addRoot(root)

  const jobs = new JobRegistry(events.emit)
  /** The last train.start request per model in this session, for train.config while a run has no manifest yet. */
  const runRequests = new Map<string, TrainRequest>()
  const backend = options.backendOverride ?? settings.current.backend
  const engine = new EngineHost(
    options.launcher,
    backend,
    (status) => events.emit({ type: 'engine.status', status }),
    options.backendOverride ? 'override' : 'setting',
  )
  engine.start()

  const handlers: Handlers = {
    ...libraryHandlers({ modelsDir: home.models, guard, jobs, ...(options.reveal ? { reveal: options.reveal } : {}) }),
    ...mediaHandlers({ modelsDir: home.models, guard, engine, jobs }),
    'app.info': async () => ({ version: options.version, transport: options.transport, home: home.root }),
    'engine.status': async () => engine.status,
    'engine.restart': async ({ backend }) => {
      if (backend) await settings.update({ backend })
      return engine.restart(backend)
    },
    'engine.check': async ({ steps, size }) => {
      const job = jobs.start('engine.check', `Engine check: ${steps} training steps at ${size}×${size}`, (ctx) =>
        engine.call('check', { steps, size }, { onProgress: ctx.progress, signal: ctx.signal }),
      )
      return { jobId: job.id }
    },
    'jobs.list': async () => jobs.list(),
    'jobs.cancel': async ({ jobId }) => jobs.cancel(jobId),
    'jobs.pause': async ({ jobId }) => jobs.pause(jobId),
    'jobs.resume': async ({ jobId }) => jobs.resume(jobId),
    'train.start': async (input) => {
      const data: DataSource =
        'dir' in input.data
          ? { dir: await guard.check(input.data.dir, 'input.data.dir') }
          : { dirA: await guard.check(input.data.dirA, 'input.data.dirA'), dirB: await guard.check(input.data.dirB, 'input.data.dirB') }
      const request = TrainRequest.parse({
        options: input.options,
        data,
        out: join(home.models, input.model),
        name: input.name ?? input.model,
        resume: input.resume ?? false,
        ...(input.from ? { from: join(home.models, input.from) } : {}),
      })
      runRequests.set(input.model, request)
      const title = `${input.resume ? 'Resume' : 'Train'} ${input.options.family} “${request.name}”`
      const job = jobs.start(
        'train',
        title,
        (ctx) => engine.call('train', request, { onProgress: ctx.progress, signal: ctx.signal, control: ctx.control }),
        input.model,
      )
      return { jobId: job.id }
    },
    'train.config': async ({ model }) => {
      const entry = await findModel(home.models, model)
      const request = runRequests.get(model)
      if (!entry && !request) throw new ServiceError('not_found', `input.model: the library has no model "${model}"`, 'input.model')
      const running = jobs.activeOn(model).some((job) => job.kind === 'train')
      return runConfig(request, entry?.manifest ?? null, running)
    },
    'translate.start': async ({ model, input, output, direction }) => {
      const source = await guard.check(input, 'input.input')
      // The output may not exist yet; its folder must be one this session may write into.
      const target = join(await guard.check(dirname(output), 'input.output'), basename(output))
      const job = jobs.start(
        'translate',
        `Translate ${basename(source)} with “${model}”`,
        (ctx) =>
          engine.call(
            'translate',
            { model: join(home.models, model), input: source, output: target, ...(direction ? { direction } : {}) },
            { onProgress: ctx.progress, signal: ctx.signal },
          ),
        model,
      )
      return { jobId: job.id }
    },
    'models.list': async () => listModels(home.models),
    'models.importPytorch': async ({ file, model, arch, direction }) => {
      const source = await guard.check(file, 'input.file')
      const request = { file: source, out: join(home.models, model), name: model, ...(arch ? { arch } : {}), ...(direction ? { direction } : {}) }
      const job = jobs.start(
        'import',
        `Import ${basename(source)} as “${model}”`,
        (ctx) => engine.call('importPytorch', request, { onProgress: ctx.progress, signal: ctx.signal }),
        model,
      )
      return { jobId: job.id }
    },
    'settings.get': async () => settings.current,
    'settings.update': async (patch) => {
      const next = await settings.update(patch)
      // Saving a backend is an explicit choice: it also ends a --backend override for this session.
      const { requested, requestedBy } = engine.status
      if (patch.backend && (patch.backend !== requested || requestedBy === 'override')) void engine.restart(next.backend)
      return next
    },
    'files.roots': async () => ({ roots: guard.roots, nativePicker: Boolean(options.pickFolder) }),
    'files.list': async ({ path }) => listFolder(guard, path),
    'files.pickFolder': async () => {
      if (!options.pickFolder) {
        throw new ServiceError(
          'unsupported',
          'There is no system folder dialog in serve mode: browse the allowed folders instead, or restart serve with --root FOLDER.',
        )
      }
      const picked = await options.pickFolder()
      if (picked === null) return { path: null }
      const root = await guard.addRoot(picked)
      events.emit({ type: 'files.roots', roots: guard.roots })
      return { path: root }
    },
  }

  return { handlers, events, engine, guard, dispose: () => engine.dispose() }
}
