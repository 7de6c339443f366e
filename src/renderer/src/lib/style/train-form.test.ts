import { describe, expect, it } from 'vitest'
import { TrainOptions } from '../../../../shared/training'
import { autoCheckpointEvery, autoSampleEvery, defaultStyleForm, effectiveBlocks, formToOptions } from './train-form'

describe('formToOptions', () => {
  it('maps the defaults onto CycleGAN options with the published settings', () => {
    const result = formToOptions({ ...defaultStyleForm, name: 'Monet' })
    expect(result).toEqual({
      ok: true,
      options: expect.objectContaining({
        family: 'cyclegan',
        size: 128,
        steps: 2000,
        batch: 1,
        ngf: 64,
        ndf: 64,
        lr: 2e-4,
        beta1: 0.5,
        lambdaA: 10,
        lambdaB: 10,
        lambdaIdentity: 0.5,
        ganLoss: 'lsgan',
        poolSize: 50,
        sampleEvery: 100,
        checkpointEvery: 500,
      }),
    })
    // Left to the engine: it picks 6 blocks below 256 px, 9 from 256 up.
    expect(result.ok && 'blocks' in result.options).toBe(false)
  })

  it('carries the advanced settings through, and the result passes the contract', () => {
    const result = formToOptions({
      ...defaultStyleForm,
      size: 32,
      steps: 6,
      ngf: 4,
      ndf: 4,
      blocks: 2,
      lr: 1e-3,
      lambdaA: 5,
      lambdaB: 7,
      lambdaIdentity: 0,
      ganLoss: 'vanilla',
      flip: false,
      sampleEvery: 2,
      checkpointEvery: null,
    })
    expect(result.ok).toBe(true)
    if (!result.ok) return
    expect(result.options).toMatchObject({ size: 32, steps: 6, ngf: 4, ndf: 4, blocks: 2, lr: 1e-3, lambdaA: 5, lambdaB: 7, lambdaIdentity: 0, ganLoss: 'vanilla', flip: false, sampleEvery: 2, checkpointEvery: 2 })
    expect(TrainOptions.safeParse(result.options).success).toBe(true)
  })

  it('names the wrong field in words', () => {
    expect(formToOptions({ ...defaultStyleForm, ngf: 600 })).toEqual({ ok: false, field: 'ngf', message: 'Generator width: at most 512.' })
    expect(formToOptions({ ...defaultStyleForm, steps: 0 })).toEqual({ ok: false, field: 'steps', message: 'Steps: at least 1.' })
    expect(formToOptions({ ...defaultStyleForm, steps: 2.5 })).toEqual({ ok: false, field: 'steps', message: 'Steps: use a whole number.' })
    expect(formToOptions({ ...defaultStyleForm, lr: 0 })).toEqual({ ok: false, field: 'lr', message: 'Learning rate: must be more than 0.' })
    expect(formToOptions({ ...defaultStyleForm, size: 100 })).toMatchObject({ ok: false, field: 'size', message: expect.stringMatching(/^Image size: must be a power of two/) })
    expect(formToOptions({ ...defaultStyleForm, lambdaA: Number.NaN })).toEqual({ ok: false, field: 'lambdaA', message: 'Cycle weight A: enter a number.' })
  })
})

describe('automatic settings', () => {
  it('samples about 20 times and saves about 4 times per run, within the published rhythm', () => {
    expect(autoSampleEvery(2000)).toBe(100)
    expect(autoSampleEvery(200)).toBe(10)
    expect(autoSampleEvery(6)).toBe(1)
    expect(autoSampleEvery(100_000)).toBe(100)
    expect(autoCheckpointEvery(2000)).toBe(500)
    expect(autoCheckpointEvery(6)).toBe(2)
    expect(autoCheckpointEvery(1)).toBe(1)
  })

  it('uses resnet_6blocks below 256 px and resnet_9blocks from 256 px, unless set', () => {
    expect(effectiveBlocks({ size: 128, blocks: null })).toBe(6)
    expect(effectiveBlocks({ size: 256, blocks: null })).toBe(9)
    expect(effectiveBlocks({ size: 256, blocks: 3 })).toBe(3)
  })
})
