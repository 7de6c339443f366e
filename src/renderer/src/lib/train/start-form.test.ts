import { describe, expect, it } from 'vitest'
import type { ModelEntry } from '../../../../shared/schemas'
import { baseModelsFor, buildStart, defaultForm, fixedByBase, modelNameProblem, suggestModelName, switchFamily } from './start-form'

const base = (family: 'pix2pix' | 'dcgan', training: Record<string, unknown>): ModelEntry => ({
  id: `${family}-base`,
  path: `/m/${family}-base`,
  problem: null,
  manifest: {
    format: 'ganvas-model', formatVersion: 1, name: 'Base', family, resolution: 64, channels: 3, training,
    stepsDone: 10, weights: 'checkpoints/step-000010', dataset: null, metrics: {}, created: '2026-01-01T00:00:00Z',
  },
})

describe('start form', () => {
  it('builds a Pix2Pix train.start input with the contract’s defaults filled in', () => {
    const form = { ...defaultForm('pix2pix'), dir: ' /data/shapes ', model: 'shapes', size: 32, steps: 60, ngf: 4, ndf: 4, sampleEvery: 5 }
    const built = buildStart(form, [])
    expect('input' in built && built.input).toMatchObject({
      data: { dir: '/data/shapes' },
      model: 'shapes',
      name: 'shapes',
      options: { family: 'pix2pix', size: 32, steps: 60, ngf: 4, ndf: 4, sampleEvery: 5, lambdaL1: 100, direction: 'AtoB', beta1: 0.5 },
    })
    expect('input' in built && 'from' in built.input).toBe(false)
  })

  it('builds a face generator input with its loss, latent size and augmentation, fine-tuned from a library model', () => {
    const form = { ...defaultForm('dcgan'), dir: '/faces', model: 'faces', from: 'dcgan-base', loss: 'hinge' as const, z: 16, augment: ['color' as const, 'cutout' as const], ema: 0 }
    const built = buildStart(form, ['other'])
    expect('input' in built && built.input).toMatchObject({ from: 'dcgan-base', options: { family: 'dcgan', loss: 'hinge', z: 16, augment: ['color', 'cutout'], ema: 0, size: 64, batch: 64 } })
  })

  it('names the first problem by its field label', () => {
    const ok = { ...defaultForm('pix2pix'), dir: '/d', model: 'm' }
    expect(buildStart({ ...ok, dir: '' }, [])).toEqual({ problem: 'Choose the folder of paired images.' })
    expect(buildStart({ ...ok, model: 'taken' }, ['Taken'])).toEqual({ problem: 'The library already has a model named “taken”: choose another name.' })
    expect(buildStart({ ...ok, steps: 0 }, [])).toEqual({ problem: 'Steps: must be >=1' })
    expect(buildStart({ ...ok, size: 48 }, [])).toMatchObject({ problem: expect.stringMatching(/^Image size: must be a power of two/) })
    expect(buildStart({ ...ok, ngf: Number.NaN }, [])).toEqual({ problem: 'Generator width: enter a number' })
    expect(buildStart({ ...ok, steps: null as unknown as number }, [])).toEqual({ problem: 'Steps: enter a number' })
  })

  it('checks model names as the library requires them', () => {
    expect(modelNameProblem('', [])).toBe('Give the model a name.')
    expect(modelNameProblem('../evil', [])).toMatch(/^Use letters/)
    expect(modelNameProblem('My faces 2', ['my faces'])).toBeNull()
    expect(modelNameProblem('x'.repeat(101), [])).toMatch(/too long/)
  })

  it('suggests a free name from a folder or a zip', () => {
    expect(suggestModelName('/data/My Faces!/', [])).toBe('My Faces')
    expect(suggestModelName('/data/shapes', ['shapes', 'shapes 2'])).toBe('shapes 3')
    expect(suggestModelName('/exports/shapes.ganvas.zip', [])).toBe('shapes')
    expect(suggestModelName('/data/---', [], 'model')).toBe('model')
  })

  it('switching family keeps the folder and name but takes the other family’s defaults', () => {
    const form = switchFamily({ ...defaultForm('pix2pix'), dir: '/d', model: 'm', size: 32 }, 'dcgan')
    expect(form).toMatchObject({ family: 'dcgan', dir: '/d', model: 'm', size: 64, batch: 64 })
  })

  it('takes the network shape from the base model when fine-tuning', () => {
    expect(fixedByBase(base('dcgan', { z: 16, ngf: 8, ndf: 8, spectralNorm: true, loss: 'hinge', direction: 'AtoB' }))).toEqual({ size: 64, z: 16, ngf: 8, ndf: 8, spectralNorm: true, loss: 'hinge' })
    expect(fixedByBase(base('pix2pix', { ngf: 4, ndf: 4, direction: 'BtoA' }))).toEqual({ size: 64, ngf: 4, ndf: 4, direction: 'BtoA' })
    expect(fixedByBase(null)).toEqual({})
    expect(baseModelsFor([base('dcgan', {}), base('pix2pix', {})], 'dcgan').map((e) => e.id)).toEqual(['dcgan-base'])
  })
})
