/**
 * The Style section's training form and how it becomes a CycleGAN run: defaults chosen for an
 * artist on a CPU (128 px, 2,000 steps), the published CycleGAN settings under "Advanced", and
 * the mapping onto the contract's CycleGanOptions, validated by the same schema the host uses.
 */
import { CycleGanOptions } from '../../../../shared/training'

export interface StyleTrainForm {
  /** Display name of the new model; its folder name (id) is derived from it. */
  name: string
  /** Training image side in pixels (a power of two). */
  size: number
  steps: number
  // Advanced.
  batch: number
  /** Generator and discriminator widths (filters in the first layer). */
  ngf: number
  ndf: number
  /** Residual blocks; null: 9 at 256 px and above, 6 below (as published). */
  blocks: number | null
  lr: number
  /** Cycle-consistency weights A→B→A and B→A→B. */
  lambdaA: number
  lambdaB: number
  /** Identity weight (relative to the cycle weights); 0 turns it off. */
  lambdaIdentity: number
  ganLoss: 'lsgan' | 'vanilla'
  flip: boolean
  /** Steps between sample grids and between checkpoints; null: chosen from `steps`. */
  sampleEvery: number | null
  checkpointEvery: number | null
}

export const SIZE_CHOICES: ReadonlyArray<{ size: number; label: string }> = [
  { size: 32, label: '32 px — a quick test' },
  { size: 64, label: '64 px — rough' },
  { size: 128, label: '128 px — a good first run on a CPU' },
  { size: 256, label: '256 px — the published size (slow without a GPU)' },
  { size: 512, label: '512 px — needs a GPU' },
]

export const defaultStyleForm: Readonly<StyleTrainForm> = {
  name: '',
  size: 128,
  steps: 2000,
  batch: 1,
  ngf: 64,
  ndf: 64,
  blocks: null,
  lr: 2e-4,
  lambdaA: 10,
  lambdaB: 10,
  lambdaIdentity: 0.5,
  ganLoss: 'lsgan',
  flip: true,
  sampleEvery: null,
  checkpointEvery: null,
}

const clamp = (value: number, low: number, high: number) => Math.min(high, Math.max(low, value))

/** About 20 sample grids per run (never more often than each step, at most every 100 steps). */
export const autoSampleEvery = (steps: number): number => clamp(Math.round(steps / 20), 1, 100)
/** About 4 checkpoints per run, at most every 500 steps (the published rhythm). */
export const autoCheckpointEvery = (steps: number): number => clamp(Math.round(steps / 4), 1, 500)
/** Residual blocks the run will use: resnet_9blocks at 256 px and above, resnet_6blocks below. */
export const effectiveBlocks = (form: Pick<StyleTrainForm, 'blocks' | 'size'>): number => form.blocks ?? (form.size >= 256 ? 9 : 6)

export type FormField = Exclude<keyof StyleTrainForm, 'name'>
export type FormResult = { ok: true; options: CycleGanOptions } | { ok: false; field: FormField | null; message: string }

const FIELD_LABELS: Record<FormField, string> = {
  size: 'Image size',
  steps: 'Steps',
  batch: 'Batch size',
  ngf: 'Generator width',
  ndf: 'Discriminator width',
  blocks: 'Residual blocks',
  lr: 'Learning rate',
  lambdaA: 'Cycle weight A',
  lambdaB: 'Cycle weight B',
  lambdaIdentity: 'Identity weight',
  ganLoss: 'Adversarial loss',
  flip: 'Random flips',
  sampleEvery: 'Sample every',
  checkpointEvery: 'Save every',
}

/** The form as CycleGanOptions, or the first field that is wrong and why, in words. */
export function formToOptions(form: StyleTrainForm): FormResult {
  for (const key of ['size', 'steps', 'batch', 'ngf', 'ndf', 'lr', 'lambdaA', 'lambdaB', 'lambdaIdentity'] as const) {
    if (!Number.isFinite(form[key])) return { ok: false, field: key, message: `${FIELD_LABELS[key]}: enter a number.` }
  }
  const options = {
    family: 'cyclegan' as const,
    size: form.size,
    steps: form.steps,
    batch: form.batch,
    ngf: form.ngf,
    ndf: form.ndf,
    ...(form.blocks !== null ? { blocks: form.blocks } : {}),
    lr: form.lr,
    lambdaA: form.lambdaA,
    lambdaB: form.lambdaB,
    lambdaIdentity: form.lambdaIdentity,
    ganLoss: form.ganLoss,
    flip: form.flip,
    sampleEvery: form.sampleEvery ?? autoSampleEvery(form.steps),
    checkpointEvery: form.checkpointEvery ?? autoCheckpointEvery(form.steps),
  }
  const parsed = CycleGanOptions.safeParse(options)
  if (parsed.success) return { ok: true, options: parsed.data }
  const issue = parsed.error.issues[0]
  const key = issue?.path[0]
  const field = typeof key === 'string' && key in FIELD_LABELS ? (key as FormField) : null
  const what = field ? FIELD_LABELS[field] : 'Training settings'
  return { ok: false, field, message: `${what}: ${plainIssue(issue?.message ?? 'invalid')}` }
}

/** zod's wording made friendlier: "Too big: expected number to be <=512" → "at most 512". */
function plainIssue(message: string): string {
  const big = /expected \w+ to be <=\s*([\d.e+-]+)/.exec(message)
  if (big) return `at most ${big[1]}.`
  const small = /expected \w+ to be >=\s*([\d.e+-]+)/.exec(message)
  if (small) return `at least ${small[1]}.`
  if (/expected \w+ to be >0/.test(message)) return 'must be more than 0.'
  if (/expected int/.test(message)) return 'use a whole number.'
  return message.endsWith('.') ? message : `${message}.`
}
