import { describe, expect, it } from 'vitest'
import { CancelledError } from '../../src/service/engine-host'
import { JobRegistry } from '../../src/service/jobs'
import type { GanvasEvent } from '../../src/shared/contract'

const settle = () => new Promise((resolve) => setTimeout(resolve, 5))

describe('JobRegistry', () => {
  it('announces start, progress and the result', async () => {
    const events: GanvasEvent[] = []
    const jobs = new JobRegistry((e) => events.push(e))
    const job = jobs.start('engine.check', 'check', async ({ progress }) => {
      progress({ step: 1, total: 2, metrics: { loss: 0.5 } })
      return { lastLoss: 0.25 }
    })
    await settle()
    expect(events.map((e) => e.type)).toEqual(['job.started', 'job.progress', 'job.finished'])
    expect(jobs.get(job.id)).toMatchObject({ state: 'done', result: { lastLoss: 0.25 }, progress: { step: 1 } })
    expect(jobs.get(job.id).endedAt).not.toBeNull()
  })

  it('marks a job failed with the error in words', async () => {
    const events: GanvasEvent[] = []
    const jobs = new JobRegistry((e) => events.push(e))
    const job = jobs.start('engine.check', 'check', async () => {
      throw new Error('The engine process stopped unexpectedly (exit code 134).')
    })
    await settle()
    expect(jobs.get(job.id)).toMatchObject({ state: 'failed', error: 'The engine process stopped unexpectedly (exit code 134).' })
    expect(events.at(-1)?.type).toBe('job.failed')
  })

  it('cancels through the abort signal', async () => {
    const jobs = new JobRegistry(() => {})
    const job = jobs.start(
      'engine.check',
      'check',
      ({ signal }) => new Promise((_, reject) => signal.addEventListener('abort', () => reject(new CancelledError('Cancelled.')))),
    )
    expect(jobs.cancel(job.id).state).toBe('running')
    await settle()
    expect(jobs.get(job.id).state).toBe('cancelled')
    expect(() => jobs.get('nope')).toThrow(/no job "nope"/)
  })
})
