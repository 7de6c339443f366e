/**
 * The contract's method names without zod, for the sandboxed preload bundle (contract.ts pulls in
 * zod). The compiler checks this list against `api` in both directions; main validates fully anyway.
 */
import type { MethodName } from './contract'

const names = [
  'app.info',
  'engine.status',
  'engine.restart',
  'engine.check',
  'jobs.list',
  'jobs.cancel',
  'jobs.pause',
  'jobs.resume',
  'train.start',
  'translate.start',
  'models.list',
  'models.importPytorch',
  'models.rename',
  'models.delete',
  'models.export',
  'models.import',
  'models.reveal',
  'train.history',
  'train.config',
  'translate.image',
  'faces.sample',
  'faces.interpolate',
  'faces.makeDataset',
  'images.metadata',
  'images.read',
  'images.thumbnails',
  'datasets.scan',
  'settings.get',
  'settings.update',
  'files.roots',
  'files.list',
  'files.pickFolder',
] as const satisfies readonly MethodName[]

/** A method added to `api` but missing here is a compile error on this line. */
type AllListed<Missing extends never> = Missing
export type MethodListIsComplete = AllListed<Exclude<MethodName, (typeof names)[number]>>

const known: ReadonlySet<string> = new Set(names)

export const methodNameList: readonly MethodName[] = names

export const isKnownMethod = (name: unknown): name is MethodName => typeof name === 'string' && known.has(name)
