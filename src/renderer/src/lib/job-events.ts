/**
 * How job events change the job list, as pure functions so they are tested without Svelte.
 * The list is kept newest first.
 */
import type { GanvasEvent } from '../../../shared/contract'
import type { Job } from '../../../shared/schemas'

export type JobEvent = Extract<GanvasEvent, { type: `job.${string}` }>

export const isJobEvent = (event: GanvasEvent): event is JobEvent => event.type.startsWith('job.')

export function sortNewestFirst(jobs: readonly Job[]): Job[] {
  return [...jobs].sort((a, b) => b.startedAt.localeCompare(a.startedAt))
}

export function upsertJob(jobs: readonly Job[], job: Job): Job[] {
  const others = jobs.filter((existing) => existing.id !== job.id)
  return sortNewestFirst([...others, job])
}

/** Returns the same array when nothing changed, so unrelated events cause no re-render. */
export function applyJobEvent(jobs: readonly Job[], event: JobEvent): readonly Job[] {
  if (event.type !== 'job.progress') return upsertJob(jobs, event.job)
  const index = jobs.findIndex((job) => job.id === event.jobId)
  const current = jobs[index]
  // A late progress event must not undo a job that already finished.
  if (!current || current.endedAt !== null) return jobs
  const next = [...jobs]
  next[index] = { ...current, progress: event.progress }
  return next
}

export const isActive = (job: Job): boolean => job.state === 'running' || job.state === 'queued' || job.state === 'paused'

/** Appends a job's loss to its series; other metrics are shown as numbers only. */
export function appendLoss(series: Readonly<Record<string, number[]>>, event: JobEvent): Readonly<Record<string, number[]>> {
  if (event.type !== 'job.progress') return series
  const loss = event.progress.metrics.loss
  if (loss === undefined || !Number.isFinite(loss)) return series
  return { ...series, [event.jobId]: [...(series[event.jobId] ?? []), loss] }
}
