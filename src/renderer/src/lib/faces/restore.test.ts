import { describe, expect, it } from 'vitest'
import type { FaceModel } from './face-models'
import { describeSettings, planRestore } from './restore'

const pets: FaceModel = { id: 'pets', name: 'Pets', resolution: 32, stepsDone: 1, classes: ['cats', 'dogs'] }
const faces: FaceModel = { id: 'faces-v2', name: 'Faces', resolution: 32, stepsDone: 1, classes: null }
const models = [faces, pets]
const sample = (model: string | null, extra: Record<string, unknown> = {}, cls: string | null = null) => ({
  metadata: { kind: 'sample', model, seed: 42, psi: 0.7, class: cls, ...extra },
  faces: { model, seed: 42, psi: 0.7, class: cls },
})

describe('restoring from a dropped PNG', () => {
  it('restores seed and ψ on the current model when the PNG came from it', () => {
    expect(planRestore(sample('Faces'), models, 'faces-v2')).toEqual({
      kind: 'restore',
      modelId: 'faces-v2',
      switched: false,
      settings: { seed: 42, psi: 0.7, className: null },
    })
  })

  it('restores a class the user chose, but keeps "every class" when the seed chose it', () => {
    const chosen = planRestore(sample('Pets', { classFrom: 'chosen' }, 'dogs'), models, 'pets')
    expect(chosen).toMatchObject({ kind: 'restore', settings: { className: 'dogs' } })
    const bySeed = planRestore(sample('Pets', { classFrom: 'seed' }, 'dogs'), models, 'pets')
    expect(bySeed).toMatchObject({ kind: 'restore', settings: { className: null } })
  })

  it('offers to switch when the PNG came from another model in the library (matched by manifest name)', () => {
    const plan = planRestore(sample('Pets', { classFrom: 'chosen' }, 'cats'), models, 'faces-v2')
    expect(plan).toMatchObject({ kind: 'other-model', made: 'Pets', match: { id: 'pets' }, settings: { seed: 42, className: 'cats' } })
  })

  it('says when the model is not in the library, and offers the settings on the current one', () => {
    const plan = planRestore(sample('Somebody else', { classFrom: 'chosen' }, 'cats'), models, 'faces-v2')
    expect(plan).toMatchObject({ kind: 'unknown-model', made: 'Somebody else', settings: { seed: 42, psi: 0.7, className: null } })
    expect(planRestore(sample('Somebody else', { classFrom: 'chosen' }, 'cats'), models, 'pets')).toMatchObject({ settings: { className: 'cats' } })
  })

  it('explains images it cannot restore', () => {
    expect(planRestore({ metadata: null, faces: null }, models, 'pets', 'cat.png')).toMatchObject({
      kind: 'nothing',
      reason: expect.stringMatching(/^cat.png has no Ganvas settings/),
    })
    expect(planRestore({ metadata: { kind: 'interpolation', seedA: 1, seedB: 2 }, faces: null }, models, 'pets')).toMatchObject({
      reason: expect.stringMatching(/interpolation, not a single sample/),
    })
    expect(planRestore({ metadata: { model: 'Streets', direction: 'AtoB' }, faces: null }, models, 'pets')).toMatchObject({
      reason: expect.stringMatching(/not by a face generator/),
    })
  })

  it('clamps ψ and words the settings', () => {
    const plan = planRestore({ metadata: {}, faces: { model: 'Faces', seed: 3, psi: 1.5, class: null } }, models, 'faces-v2')
    expect(plan).toMatchObject({ settings: { psi: 1 } })
    expect(describeSettings({ seed: 42, psi: 0.7, className: 'cats' })).toBe('seed 42, ψ 0.70, class cats')
    expect(describeSettings({ seed: 1, psi: 1, className: null })).toBe('seed 1, ψ 1.00')
  })
})
