/**
 * The Train view's "new run" form as data: defaults per family, what a base model (fine-tuning)
 * fixes, names, and the train.start input it becomes, checked with the contract's own schemas so
 * a mistake is named by its field label before anything is sent.
 */
import type { Input } from '../../../../shared/contract'
import type { ModelEntry } from '../../../../shared/schemas'
import { DcganOptions, Pix2PixOptions, type AugmentOp, type DcganLoss, type Direction } from '../../../../shared/training'
import { baseName } from './run-format'

/** The families a run can be started here with; CycleGAN runs start in the Style section. */
export type StartFamily = 'pix2pix' | 'dcgan'

export interface StartForm {
  family: StartFamily
  /** The data folder: paired A|B images (Pix2Pix) or images / one subfolder per class (DCGAN). */
  dir: string
  /** Library id of the new model. */
  model: string
  /** Library id to fine-tune from; '' trains from scratch. */
  from: string
  size: number
  steps: number
  batch: number
  lr: number
  ngf: number
  ndf: number
  direction: Direction
  ganLoss: 'vanilla' | 'lsgan'
  lambdaL1: number
  loss: DcganLoss
  z: number
  augment: AugmentOp[]
  ema: number
  spectralNorm: boolean
  sampleEvery: number
  checkpointEvery: number
  seed: number
  flip: boolean
}

/** The published defaults (src/shared/training.ts), with step counts a first run can finish. */
export function defaultForm(family: StartFamily): StartForm {
  const base = {
    dir: '',
    model: '',
    from: '',
    direction: 'AtoB' as const,
    ganLoss: 'vanilla' as const,
    lambdaL1: 100,
    loss: 'bce' as const,
    z: 128,
    augment: [],
    ema: 0.999,
    spectralNorm: false,
    ngf: 64,
    ndf: 64,
    lr: 2e-4,
    sampleEvery: 100,
    checkpointEvery: 500,
    seed: 0,
    flip: true,
  }
  return family === 'pix2pix'
    ? { ...base, family, size: 256, steps: 20_000, batch: 1 }
    : { ...base, family, size: 64, steps: 10_000, batch: 64 }
}

/** Switching family keeps what both share (folder, name, schedule bookkeeping) and resets the rest. */
export function switchFamily(form: StartForm, family: StartFamily): StartForm {
  if (form.family === family) return form
  const { dir, model, sampleEvery, checkpointEvery, seed, flip } = form
  return { ...defaultForm(family), dir, model, sampleEvery, checkpointEvery, seed, flip }
}

/** The settings a fine-tuned model must share with its base (its networks' shapes); the run keeps them. */
export function fixedByBase(entry: ModelEntry | null | undefined): Partial<StartForm> {
  const training = entry?.manifest?.training
  if (!training || !entry?.manifest) return {}
  const pick = <K extends keyof StartForm>(key: K, valid: (v: unknown) => boolean): Partial<StartForm> =>
    valid(training[key]) ? ({ [key]: training[key] } as Partial<StartForm>) : {}
  const isNumber = (v: unknown) => typeof v === 'number' && Number.isFinite(v)
  return {
    size: entry.manifest.resolution,
    ...pick('ngf', isNumber),
    ...pick('ndf', isNumber),
    ...(entry.manifest.family === 'dcgan'
      ? { ...pick('z', isNumber), ...pick('spectralNorm', (v) => typeof v === 'boolean'), ...pick('loss', (v) => typeof v === 'string') }
      : pick('direction', (v) => v === 'AtoB' || v === 'BtoA')),
  }
}

/** Library models a run of `family` can start from: same family, with readable weights. */
export const baseModelsFor = (entries: readonly ModelEntry[] | null, family: StartFamily): ModelEntry[] =>
  (entries ?? []).filter((entry) => entry.manifest?.family === family)

const MODEL_ID = /^[A-Za-z0-9][A-Za-z0-9 _.-]*$/

/** Why `name` cannot be a new library id, or null when it can. */
export function modelNameProblem(name: string, existing: readonly string[]): string | null {
  const trimmed = name.trim()
  if (trimmed === '') return 'Give the model a name.'
  if (trimmed.length > 100) return 'The name is too long: 100 characters at most.'
  if (!MODEL_ID.test(trimmed)) return 'Use letters, digits, spaces, dots, dashes and underscores, starting with a letter or digit.'
  if (existing.some((id) => id.toLowerCase() === trimmed.toLowerCase())) return `The library already has a model named “${trimmed}”: choose another name.`
  return null
}

/** A free library id made from a folder or file name: "My Faces!" → "My Faces", then "My Faces 2" … */
export function suggestModelName(source: string, existing: readonly string[], fallback = 'model'): string {
  const cleaned = baseName(source)
    .replace(/\.ganvas\.zip$|\.zip$/i, '')
    .replace(/[^A-Za-z0-9 _.-]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/^[^A-Za-z0-9]+/, '')
    .slice(0, 80)
  const stem = cleaned || fallback
  const taken = new Set(existing.map((id) => id.toLowerCase()))
  if (!taken.has(stem.toLowerCase())) return stem
  for (let n = 2; ; n++) if (!taken.has(`${stem} ${n}`.toLowerCase())) return `${stem} ${n}`
}

/** Field labels as the form shows them, for naming a problem. */
const LABELS: Record<string, string> = {
  size: 'Image size',
  steps: 'Steps',
  batch: 'Batch size',
  lr: 'Learning rate',
  ngf: 'Generator width',
  ndf: 'Discriminator width',
  lambdaL1: 'L1 weight',
  z: 'Latent size',
  ema: 'Moving average decay',
  sampleEvery: 'Sample every',
  checkpointEvery: 'Checkpoint every',
  seed: 'Seed',
}

export type StartInput = Input<'train.start'>

/** The train.start input, or the first problem in words ("Steps: must be at least 1"). */
export function buildStart(form: StartForm, existing: readonly string[]): { input: StartInput } | { problem: string } {
  if (form.dir.trim() === '') return { problem: form.family === 'pix2pix' ? 'Choose the folder of paired images.' : 'Choose the folder of images.' }
  const nameProblem = modelNameProblem(form.model, existing)
  if (nameProblem) return { problem: nameProblem }
  const common = {
    size: form.size,
    steps: form.steps,
    batch: form.batch,
    lr: form.lr,
    ngf: form.ngf,
    ndf: form.ndf,
    sampleEvery: form.sampleEvery,
    checkpointEvery: form.checkpointEvery,
    seed: form.seed,
    flip: form.flip,
  }
  const parsed =
    form.family === 'pix2pix'
      ? Pix2PixOptions.safeParse({ family: 'pix2pix', ...common, direction: form.direction, ganLoss: form.ganLoss, lambdaL1: form.lambdaL1 })
      : DcganOptions.safeParse({
          family: 'dcgan',
          ...common,
          loss: form.loss,
          z: form.z,
          augment: form.augment,
          ema: form.ema,
          spectralNorm: form.spectralNorm,
        })
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!
    const key = String(issue.path[0] ?? '')
    // An emptied number field reads as null (or NaN): say so rather than "expected number".
    const raw = form[key as keyof StartForm] as unknown
    const empty = raw === null || raw === '' || (typeof raw === 'number' && Number.isNaN(raw))
    const message = empty ? 'enter a number' : issue.message.replace(/^Too (small|big): expected number to be /, 'must be ')
    return { problem: `${LABELS[key] ?? key}: ${message}` }
  }
  const model = form.model.trim()
  return {
    input: {
      options: parsed.data,
      data: { dir: form.dir.trim() },
      model,
      name: model,
      ...(form.from ? { from: form.from } : {}),
    },
  }
}
