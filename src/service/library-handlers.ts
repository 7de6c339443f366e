/** The Models library's calls beyond listing: rename, delete, export, import, reveal, and run history. */
import { rm } from 'node:fs/promises'
import { join } from 'node:path'
import type { Handlers } from './dispatch'
import { ServiceError } from './errors'
import type { JobRegistry } from './jobs'
import { findModel } from './model-library'
import { exportModel, importModel, readHistory, renameModel } from './model-files'
import type { PathGuard } from './path-guard'

export interface LibraryContext {
  modelsDir: string
  guard: PathGuard
  jobs: JobRegistry
  /** Shows a path in the system file manager, where there is one (Electron). */
  reveal?: (path: string) => void
}

type LibraryMethods = 'models.rename' | 'models.delete' | 'models.export' | 'models.import' | 'models.reveal' | 'train.history'

export function libraryHandlers({ modelsDir, guard, jobs, reveal }: LibraryContext): Pick<Handlers, LibraryMethods> {
  const entry = async (model: string) => {
    const found = await findModel(modelsDir, model)
    if (!found) throw new ServiceError('not_found', `input.model: the library has no model "${model}"`, 'input.model')
    return found
  }
  const refuseIfInUse = (model: string, what: string) => {
    const active = jobs.activeOn(model)
    if (active.length) throw new ServiceError('invalid_input', `“${model}” is in use by “${active[0]!.title}”: stop it before you ${what}.`, 'input.model')
  }
  return {
    'models.rename': async ({ model, name }) => {
      await entry(model)
      await renameModel(join(modelsDir, model), name)
      return entry(model)
    },
    'models.delete': async ({ model }) => {
      const found = await entry(model)
      refuseIfInUse(model, 'delete it')
      await rm(found.path, { recursive: true, force: true })
      return { deleted: model }
    },
    'models.export': async ({ model, folder }) => {
      const found = await entry(model)
      refuseIfInUse(model, 'export it')
      return exportModel(found.path, await guard.check(folder, 'input.folder'))
    },
    'models.import': async ({ source, model }) => {
      await importModel(await guard.check(source, 'input.source'), join(modelsDir, model))
      return entry(model)
    },
    'models.reveal': async ({ model }) => {
      const found = await entry(model)
      if (!reveal) throw new ServiceError('unsupported', 'Serve mode cannot open a file manager; the model is at the path shown.')
      reveal(found.path)
      return { path: found.path }
    },
    'train.history': async ({ model }) => readHistory((await entry(model)).path),
  }
}
