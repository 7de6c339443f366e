/**
 * Long-running work the renderer started: its state, progress and outcome, announced as events.
 * Jobs outlive engine crashes: a crash fails the running job with the reason, the registry stays.
 */
import { randomUUID } from 'node:crypto'
import type { GanvasEvent } from '../shared/contract'
import type { Job, JobKind, JobProgress } from '../shared/schemas'
import { CancelledError } from './engine-host'
import { ServiceError } from './errors'

export interface JobContext {
  signal: AbortSignal
  progress(progress: JobProgress): void
  /** Pause/resume for jobs that support it; the runner fills these in. */
  control: { pause?: () => void; resume?: () => void }
}

export type JobRunner = (context: JobContext) => Promise<Record<string, unknown>>

/** Finished jobs kept for the Train view; older ones are dropped first. */
const KEEP_FINISHED = 200

export class JobRegistry {
  readonly #jobs = new Map<string, Job>()
  readonly #controllers = new Map<string, AbortController>()
  readonly #controls = new Map<string, JobContext['control']>()

  constructor(private readonly emit: (event: GanvasEvent) => void) {}

  list(): Job[] {
    return [...this.#jobs.values()]
  }

  /** Running or paused jobs on `model` (a model in use must not be deleted or replaced). */
  activeOn(model: string): Job[] {
    return this.list().filter((j) => j.model === model && j.endedAt === null)
  }

  get(id: string): Job {
    const job = this.#jobs.get(id)
    if (!job) throw new ServiceError('not_found', `input.jobId: there is no job "${id}"`, 'input.jobId')
    return job
  }

  /** `model`: the library model the job works on (the Train view links runs to their history). */
  start(kind: JobKind, title: string, run: JobRunner, model: string | null = null): Job {
    const id = randomUUID()
    const controller = new AbortController()
    const job: Job = {
      id,
      kind,
      title,
      state: 'running',
      progress: null,
      result: null,
      error: null,
      startedAt: new Date().toISOString(),
      endedAt: null,
      model,
    }
    this.#jobs.set(id, job)
    this.#controllers.set(id, controller)
    this.emit({ type: 'job.started', job })
    const control: JobContext['control'] = {}
    this.#controls.set(id, control)
    const context: JobContext = {
      control,
      signal: controller.signal,
      progress: (progress) => {
        this.#update(id, { progress })
        this.emit({ type: 'job.progress', jobId: id, progress })
      },
    }
    run(context).then(
      // A stopped run returns what it saved (e.g. a checkpoint) rather than failing.
      (result) => this.#finish(id, { state: result.stopped === true ? 'cancelled' : 'done', result }),
      (error: unknown) =>
        this.#finish(
          id,
          error instanceof CancelledError || controller.signal.aborted
            ? { state: 'cancelled' }
            : { state: 'failed', error: error instanceof Error ? error.message : String(error) },
        ),
    )
    return job
  }

  cancel(id: string): Job {
    const job = this.get(id)
    if (job.state === 'running' || job.state === 'queued' || job.state === 'paused') {
      this.#controls.get(id)?.resume?.() // a paused run must wake up to notice the stop
      this.#controllers.get(id)?.abort()
    }
    return this.get(id)
  }

  pause(id: string): Job {
    return this.#setPaused(id, true)
  }

  resume(id: string): Job {
    return this.#setPaused(id, false)
  }

  #setPaused(id: string, paused: boolean): Job {
    const job = this.get(id)
    const control = this.#controls.get(id)
    const action = paused ? control?.pause : control?.resume
    if (!action) throw new ServiceError('unsupported', `input.jobId: "${job.title}" cannot be paused`, 'input.jobId')
    if (job.state !== (paused ? 'running' : 'paused')) return job
    action()
    const next = this.#update(id, { state: paused ? 'paused' : 'running' })
    this.emit({ type: 'job.updated', job: next })
    return next
  }

  #update(id: string, patch: Partial<Job>): Job {
    const next = { ...this.get(id), ...patch }
    this.#jobs.set(id, next)
    return next
  }

  #finish(id: string, patch: Partial<Job>): void {
    this.#controllers.delete(id)
    this.#controls.delete(id)
    const job = this.#update(id, { ...patch, endedAt: new Date().toISOString() })
    this.emit(job.state === 'failed' ? { type: 'job.failed', job } : { type: 'job.finished', job })
    this.#prune()
  }

  #prune(): void {
    const finished = this.list().filter((j) => j.endedAt !== null)
    for (const job of finished.slice(0, Math.max(0, finished.length - KEEP_FINISHED))) this.#jobs.delete(job.id)
  }
}
