import { describe, expect, it } from 'vitest'
import type { Job } from '../../../shared/schemas'
import { appendLoss, applyJobEvent, isActive } from './job-events'

const job = (id: string, startedAt: string, patch: Partial<Job> = {}): Job => ({
  id, kind: 'engine.check', title: `Job ${id}`, state: 'running', progress: null,
  result: null, error: null, startedAt, endedAt: null, model: null, ...patch,
})

const progress = (jobId: string, step: number, loss: number) =>
  ({ type: 'job.progress', jobId, progress: { step, total: 10, metrics: { loss, msPerStep: 5 } } }) as const

describe('job events', () => {
  it('adds started jobs newest first and replaces finished ones in place', () => {
    let jobs = applyJobEvent([], { type: 'job.started', job: job('a', '2025-01-01T00:00:00Z') })
    jobs = applyJobEvent(jobs, { type: 'job.started', job: job('b', '2025-01-02T00:00:00Z') })
    expect(jobs.map((j) => j.id)).toEqual(['b', 'a'])
    const failed = job('a', '2025-01-01T00:00:00Z', { state: 'failed', error: 'boom', endedAt: '2025-01-01T00:01:00Z' })
    jobs = applyJobEvent(jobs, { type: 'job.failed', job: failed })
    expect(jobs).toEqual([jobs[0], failed])
    expect(jobs.filter(isActive).map((j) => j.id)).toEqual(['b'])
  })

  it('updates progress of a running job and ignores progress for unknown or finished jobs', () => {
    const running = job('a', '2025-01-01T00:00:00Z')
    const done = job('b', '2025-01-01T00:00:00Z', { state: 'done', endedAt: '2025-01-01T00:00:09Z' })
    const jobs = [running, done]
    expect(applyJobEvent(jobs, progress('a', 3, 0.4))[0]?.progress?.step).toBe(3)
    expect(applyJobEvent(jobs, progress('b', 3, 0.4))).toBe(jobs)
    expect(applyJobEvent(jobs, progress('zzz', 3, 0.4))).toBe(jobs)
  })

  it('collects the loss series per job', () => {
    let series = appendLoss({}, progress('a', 1, 0.9))
    series = appendLoss(series, progress('a', 2, 0.7))
    series = appendLoss(series, { ...progress('a', 3, 0), progress: { step: 3, total: 10, metrics: {} } })
    expect(series).toEqual({ a: [0.9, 0.7] })
  })
})
