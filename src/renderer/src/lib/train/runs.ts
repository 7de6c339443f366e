/**
 * The Train view's runs: one per library model being or having been trained. A run joins the
 * model's latest training job in this session (state, live progress) with its library entry
 * (the manifest its checkpoints wrote), so runs from earlier sessions, stopped or finished, are
 * listed too, and a stopped or failed run with a checkpoint can be resumed.
 */
import type { Job, ModelEntry, ModelFamily } from '../../../../shared/schemas'
import { isFamily } from './run-format'

export type RunState = 'queued' | 'running' | 'paused' | 'done' | 'failed' | 'stopped'

export interface Run {
  /** The library id (model folder name): the run's key. */
  model: string
  name: string
  family: ModelFamily | null
  state: RunState
  /** The latest training job on this model in this session, if any. */
  job: Job | null
  /** Training jobs on this model in this session (a resumed run has more than one). */
  attempts: number
  entry: ModelEntry | null
  step: number | null
  total: number | null
  startedAt: string | null
  endedAt: string | null
  error: string | null
  /** The step its last checkpoint holds, when it has one it can resume from. */
  checkpointStep: number | null
  resumable: boolean
  /** The newest metrics: live progress, or the manifest's at its last checkpoint. */
  metrics: Readonly<Record<string, number>>
}

const ACTIVE: ReadonlySet<RunState> = new Set(['queued', 'running', 'paused'])
export const isActiveRun = (run: Run): boolean => ACTIVE.has(run.state)

const jobState = (job: Job): RunState => (job.state === 'cancelled' ? 'stopped' : job.state)

/** The steps a Ganvas-trained manifest planned; null for an imported model (not a run). */
export function plannedSteps(entry: ModelEntry | null | undefined): number | null {
  const steps = entry?.manifest?.training.steps
  return typeof steps === 'number' && Number.isFinite(steps) ? steps : null
}

/** "Train pix2pix “shapes”" → family and name, for a run whose first checkpoint is not written yet. */
function fromTitle(title: string): { family: ModelFamily | null; name: string | null } {
  const family = /\b(pix2pix|cyclegan|dcgan)\b/.exec(title)?.[1] ?? null
  const name = /“(.+)”/.exec(title)?.[1] ?? null
  return { family: isFamily(family) ? family : null, name }
}

function runOf(model: string, jobs: readonly Job[], entry: ModelEntry | null): Run {
  // Jobs arrive newest first; the first is the latest attempt.
  const job = jobs[0] ?? null
  const manifest = entry?.manifest ?? null
  const planned = plannedSteps(entry)
  const titled = job ? fromTitle(job.title) : { family: null, name: null }
  const state: RunState = job ? jobState(job) : planned !== null && manifest !== null && manifest.stepsDone < planned ? 'stopped' : 'done'
  const checkpointStep = manifest && planned !== null && manifest.stepsDone > 0 && manifest.stepsDone < planned ? manifest.stepsDone : null
  const progress = job?.progress ?? null
  return {
    model,
    name: manifest?.name ?? titled.name ?? model,
    family: manifest?.family ?? titled.family,
    state,
    job,
    attempts: jobs.length,
    entry,
    step: progress?.step ?? manifest?.stepsDone ?? null,
    total: progress?.total ?? planned,
    startedAt: job?.startedAt ?? manifest?.created ?? null,
    endedAt: job ? job.endedAt : null,
    error: job?.state === 'failed' ? (job.error ?? 'the engine gave no reason') : null,
    checkpointStep,
    resumable: (state === 'stopped' || state === 'failed') && checkpointStep !== null,
    metrics: progress && Object.keys(progress.metrics).length > 0 ? progress.metrics : (manifest?.metrics ?? {}),
  }
}

/**
 * Every run: training jobs of this session grouped by model, plus library models a Ganvas run
 * made (their manifest plans a number of steps). Active runs first, then the newest.
 */
export function assembleRuns(jobs: readonly Job[], entries: readonly ModelEntry[] | null): Run[] {
  const jobsByModel = new Map<string, Job[]>()
  const ordered = [...jobs].sort((a, b) => b.startedAt.localeCompare(a.startedAt))
  for (const job of ordered) {
    if (job.kind !== 'train' || job.model === null) continue
    const list = jobsByModel.get(job.model) ?? []
    list.push(job)
    jobsByModel.set(job.model, list)
  }
  const entryById = new Map((entries ?? []).map((entry) => [entry.id, entry]))
  const runs = [...jobsByModel].map(([model, list]) => runOf(model, list, entryById.get(model) ?? null))
  for (const entry of entries ?? []) {
    if (!jobsByModel.has(entry.id) && plannedSteps(entry) !== null) runs.push(runOf(entry.id, [], entry))
  }
  return runs.sort((a, b) => {
    const active = Number(isActiveRun(b)) - Number(isActiveRun(a))
    return active !== 0 ? active : (b.startedAt ?? '').localeCompare(a.startedAt ?? '')
  })
}

/** The run to show when none is chosen (or the chosen one is gone): the first active, else the newest. */
export function defaultRun(runs: readonly Run[], chosen: string | null): string | null {
  if (chosen !== null && runs.some((run) => run.model === chosen)) return chosen
  return runs[0]?.model ?? null
}
