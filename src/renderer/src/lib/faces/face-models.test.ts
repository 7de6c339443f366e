import { describe, expect, it } from 'vitest'
import type { ModelEntry, ModelManifest } from '../../../../shared/schemas'
import { classesOf, describeModel, faceModels, pickModel } from './face-models'

const manifest = (name: string, family: ModelManifest['family'], training: Record<string, unknown> = {}): ModelManifest => ({
  format: 'ganvas-model',
  formatVersion: 1,
  name,
  family,
  resolution: 32,
  channels: 3,
  training,
  stepsDone: 1200,
  weights: 'checkpoints/step-1',
  dataset: null,
  metrics: {},
  created: '2026-01-01T00:00:00.000Z',
})
const entry = (id: string, m: ModelManifest | null): ModelEntry => ({ id, path: `/home/models/${id}`, manifest: m, problem: m ? null : 'manifest.json is missing' })

describe('face models in the library', () => {
  const entries = [
    entry('pets', manifest('Pets', 'dcgan', { classes: ['cats', 'dogs'] })),
    entry('streets', manifest('Streets', 'pix2pix')),
    entry('broken', null),
    entry('faces', manifest('Faces', 'dcgan', { classes: null })),
  ]

  it('lists only usable DCGAN models, by name, with their classes', () => {
    const models = faceModels(entries)
    expect(models.map((m) => m.id)).toEqual(['faces', 'pets'])
    expect(models[1]).toMatchObject({ name: 'Pets', resolution: 32, classes: ['cats', 'dogs'] })
    expect(models[0]!.classes).toBeNull()
  })

  it('reads classes only when they are a list of names', () => {
    expect(classesOf({ training: { classes: ['a'] } })).toEqual(['a'])
    expect(classesOf({ training: { classes: [] } })).toBeNull()
    expect(classesOf({ training: { classes: [1, 2] } })).toBeNull()
    expect(classesOf({ training: { classes: 'cats' } })).toBeNull()
    expect(classesOf({ training: {} })).toBeNull()
  })

  it('keeps the chosen model while it exists, else falls back to the first', () => {
    const models = faceModels(entries)
    expect(pickModel(models, 'pets')?.id).toBe('pets')
    expect(pickModel(models, 'gone')?.id).toBe('faces')
    expect(pickModel(models, null)?.id).toBe('faces')
    expect(pickModel([], 'pets')).toBeNull()
  })

  it('describes a model in one line', () => {
    const [faces, pets] = faceModels(entries)
    expect(describeModel(pets!)).toBe('32 px · 1,200 steps · 2 classes')
    expect(describeModel(faces!)).toBe('32 px · 1,200 steps · unconditional')
  })
})
