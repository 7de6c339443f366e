import { describe, expect, it } from 'vitest'
import { dataSourceOf } from '../../../../shared/training'
import { baseName, configRows, datasetSummary, formatEta, formatRate } from './run-format'

describe('ETA and speed', () => {
  it('reads remaining time the way people say it', () => {
    expect(formatEta(0)).toBe('0 s')
    expect(formatEta(44.6)).toBe('45 s')
    expect(formatEta(60)).toBe('1 min')
    expect(formatEta(12 * 60 + 20)).toBe('12 min')
    expect(formatEta(2 * 3600 + 5 * 60)).toBe('2 h 5 min')
    expect(formatEta(3 * 3600)).toBe('3 h')
    expect(formatEta(5 * 86400)).toBe('5 days')
  })

  it('has no ETA before the speed is known', () => {
    expect(formatEta(Number.POSITIVE_INFINITY)).toBeNull()
    expect(formatEta(Number.NaN)).toBeNull()
    expect(formatEta(-1)).toBeNull()
    expect(formatEta(undefined)).toBeNull()
  })

  it('reads speed in images per second, or seconds per image when slow', () => {
    expect(formatRate(8.746)).toBe('8.75 images/s')
    expect(formatRate(0.25)).toBe('1 image every 4 s')
    expect(formatRate(0)).toBeNull()
    expect(formatRate(Number.NaN)).toBeNull()
  })

  it('takes the last segment of either kind of path', () => {
    expect(baseName('/home/me/data/shapes/')).toBe('shapes')
    expect(baseName('C:\\Users\\me\\faces')).toBe('faces')
  })
})

describe('config rows', () => {
  it('labels a Pix2Pix run’s options in a fixed order, in words', () => {
    const rows = configRows({ family: 'pix2pix', size: 32, batch: 1, steps: 20000, lr: 2e-4, beta1: 0.5, decayFrom: 0.5, direction: 'AtoB', ngf: 8, ndf: 8, ganLoss: 'vanilla', lambdaL1: 100, flip: true, seed: 0, sampleEvery: 5, checkpointEvery: 500, backend: 'auto', ganvasVersion: '0.1.0', from: null })
    expect(rows.map((r) => `${r.label}: ${r.value}`)).toEqual([
      'Family: Pix2Pix',
      'Image size: 32 × 32 px',
      'Steps: 20,000',
      'Batch size: 1',
      'Direction: A → B',
      'Generator width: 8',
      'Discriminator width: 8',
      'GAN loss: vanilla (cross-entropy)',
      'L1 weight (λ): 100',
      'Learning rate: 2.00e-4',
      'Adam β1: 0.5',
      'Learning rate decays from: 50% of the run',
      'Random flips: on',
      'Seed: 0',
      'Sample grid every: 5 steps',
      'Checkpoint every: 500 steps',
      'Backend: automatic',
      'Ganvas version: 0.1.0',
    ])
  })

  it('shows a face generator’s loss, augmentation, EMA, classes and base model; leaves unset ones out; keeps unknown keys', () => {
    const rows = Object.fromEntries(
      configRows({ family: 'dcgan', loss: 'wgan-gp', augment: ['color', 'cutout'], ema: 0, spectralNorm: true, classes: null, lr: undefined, from: '/home/models/base-faces', decayFrom: 1, newThing: 3 }).map((r) => [r.label, r.value]),
    )
    expect(rows).toEqual({
      Family: 'Face generator (DCGAN)',
      'Fine-tuned from': 'base-faces',
      Loss: 'Wasserstein with gradient penalty (WGAN-GP)',
      'Spectral normalisation': 'on',
      'Generator moving average': 'off',
      Augmentation: 'color, cutout',
      Classes: 'none (unconditional)',
      'Learning rate decays from': 'never (constant)',
      'New thing': '3',
    })
    expect(configRows({ family: 'dcgan', classes: ['cats', 'dogs'], augment: [] }).map((r) => r.value)).toEqual(['Face generator (DCGAN)', 'none', '2: cats, dogs'])
  })
})

describe('dataset summary', () => {
  it('says what a run was trained on', () => {
    expect(datasetSummary({ kind: 'paired', layout: 'aligned', root: '/data/shapes', pairs: 12, skipped: 0 })).toBe('12 pairs from shapes')
    expect(datasetSummary({ kind: 'images', root: '/d/faces', images: 40, classes: { a: 20, b: 20 }, skipped: 3 })).toBe('40 images in 2 classes from faces (3 files skipped)')
    expect(datasetSummary({ kind: 'unpaired', dirA: '/d/trainA', dirB: '/d/trainB', a: 1, b: 28, skipped: 0 })).toBe('1 image in trainA, 28 images in trainB')
    expect(datasetSummary(null)).toBeNull()
    expect(datasetSummary({ pairs: 400 })).toBeNull()
  })

  it('finds the folders to resume from', () => {
    expect(dataSourceOf({ kind: 'paired', root: '/data/shapes' })).toEqual({ dir: '/data/shapes' })
    expect(dataSourceOf({ kind: 'unpaired', dirA: '/a', dirB: '/b' })).toEqual({ dirA: '/a', dirB: '/b' })
    expect(dataSourceOf({ kind: 'unpaired', dirA: '/a' })).toBeNull()
    expect(dataSourceOf(null)).toBeNull()
  })
})
