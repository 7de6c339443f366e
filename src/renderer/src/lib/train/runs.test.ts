import { describe, expect, it } from 'vitest'
import type { Job, ModelEntry, ModelManifest } from '../../../../shared/schemas'
import { assembleRuns, defaultRun } from './runs'

const job = (over: Partial<Job> & Pick<Job, 'id' | 'startedAt'>): Job => ({
  kind: 'train',
  title: 'Train pix2pix “shapes”',
  state: 'running',
  progress: null,
  result: null,
  error: null,
  endedAt: null,
  model: 'shapes',
  ...over,
})

const manifest = (over: Partial<ModelManifest> = {}): ModelManifest => ({
  format: 'ganvas-model',
  formatVersion: 1,
  name: 'Shapes',
  family: 'pix2pix',
  resolution: 32,
  channels: 3,
  training: { family: 'pix2pix', steps: 40 },
  stepsDone: 40,
  weights: 'checkpoints/step-000040',
  dataset: null,
  metrics: { G_L1: 10 },
  created: '2026-01-01T10:00:00.000Z',
  ...over,
})
const entry = (id: string, m: ModelManifest | null): ModelEntry => ({ id, path: `/home/models/${id}`, manifest: m, problem: m ? null : 'manifest.json is missing' })

describe('assembleRuns', () => {
  it('groups a model’s training jobs into one run: the latest attempt gives state and progress', () => {
    const progress = { step: 12, total: 40, metrics: { G_L1: 20, imagesPerSec: 8 } }
    const runs = assembleRuns(
      [
        job({ id: 'a', startedAt: '2026-01-02T10:00:00Z', state: 'cancelled', endedAt: '2026-01-02T10:01:00Z' }),
        job({ id: 'b', startedAt: '2026-01-02T10:05:00Z', title: 'Resume pix2pix “Shapes”', progress }),
        job({ id: 'c', kind: 'engine.check', model: null, startedAt: '2026-01-02T11:00:00Z' }),
      ],
      [entry('shapes', manifest({ stepsDone: 10 }))],
    )
    expect(runs).toHaveLength(1)
    expect(runs[0]).toMatchObject({ model: 'shapes', name: 'Shapes', family: 'pix2pix', state: 'running', attempts: 2, step: 12, total: 40, resumable: false })
    expect(runs[0]!.job?.id).toBe('b')
    expect(runs[0]!.metrics).toEqual(progress.metrics)
  })

  it('names a run from its job title before the first checkpoint writes a manifest', () => {
    const [run] = assembleRuns([job({ id: 'a', startedAt: '2026-01-02T10:00:00Z', title: 'Train dcgan “faces”', model: 'faces' })], [entry('faces', null)])
    expect(run).toMatchObject({ name: 'faces', family: 'dcgan', step: null, total: null, checkpointStep: null })
  })

  it('lists earlier sessions’ runs from the library, stopped ones resumable; imported models are not runs', () => {
    const runs = assembleRuns(
      [],
      [
        entry('done', manifest({ name: 'Done', created: '2026-01-01T00:00:00Z' })),
        entry('half', manifest({ name: 'Half', stepsDone: 25, created: '2026-01-03T00:00:00Z' })),
        entry('imported', manifest({ name: 'Imported', training: { importedFrom: 'x.pth' } })),
        entry('broken', null),
      ],
    )
    expect(runs.map((r) => [r.model, r.state, r.resumable, r.checkpointStep])).toEqual([
      ['half', 'stopped', true, 25],
      ['done', 'done', false, null],
    ])
    expect(runs[1]!.metrics).toEqual({ G_L1: 10 })
  })

  it('offers Resume for a failed or stopped run only when a checkpoint exists, and shows why it failed', () => {
    const failed = job({ id: 'a', startedAt: '2026-01-02T10:00:00Z', state: 'failed', error: 'out of memory', endedAt: '2026-01-02T10:00:09Z' })
    expect(assembleRuns([failed], [entry('shapes', manifest({ stepsDone: 20 }))])[0]).toMatchObject({ state: 'failed', error: 'out of memory', resumable: true, checkpointStep: 20 })
    expect(assembleRuns([failed], [entry('shapes', null)])[0]).toMatchObject({ state: 'failed', resumable: false })
    expect(assembleRuns([failed], null)[0]).toMatchObject({ resumable: false })
  })

  it('puts active runs first, then the newest', () => {
    const runs = assembleRuns(
      [
        job({ id: 'a', model: 'old-running', startedAt: '2026-01-01T00:00:00Z' }),
        job({ id: 'b', model: 'new-done', state: 'done', startedAt: '2026-01-05T00:00:00Z', endedAt: '2026-01-05T01:00:00Z' }),
        job({ id: 'c', model: 'paused', state: 'paused', startedAt: '2026-01-02T00:00:00Z' }),
      ],
      [entry('library-only', manifest({ created: '2026-01-04T00:00:00Z' }))],
    )
    expect(runs.map((r) => r.model)).toEqual(['paused', 'old-running', 'new-done', 'library-only'])
    expect(defaultRun(runs, null)).toBe('paused')
    expect(defaultRun(runs, 'new-done')).toBe('new-done')
    expect(defaultRun(runs, 'deleted')).toBe('paused')
    expect(defaultRun([], 'x')).toBeNull()
  })
})
