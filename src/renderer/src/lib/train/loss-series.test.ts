import { describe, expect, it } from 'vitest'
import { isLossTerm, lossTerms, LossSeries, SampleList } from './loss-series'

const pix = (step: number, l1: number) => ({ step, metrics: { G_GAN: 0.7, G_L1: l1, D_real: 0.6, D_fake: 0.5, imagesPerSec: 8, etaSeconds: 3, epoch: 0, lr: 2e-4 } })

describe('loss terms', () => {
  it('keeps losses and drops speed, ETA, epoch and learning rate', () => {
    expect(lossTerms(pix(1, 80).metrics).map(([name]) => name)).toEqual(['G_GAN', 'G_L1', 'D_real', 'D_fake'])
    expect(['imagesPerSec', 'etaSeconds', 'epoch', 'lr', 'msPerStep'].some(isLossTerm)).toBe(false)
    expect(lossTerms({ G: Number.NaN, D: 1 })).toEqual([['D', 1]])
  })
})

describe('LossSeries', () => {
  it('assembles one series per loss term, aligned on the step axis', () => {
    const series = new LossSeries()
    series.addAll([pix(1, 80), pix(2, 70)])
    expect(series.terms).toEqual(['G_GAN', 'G_L1', 'D_real', 'D_fake'])
    expect(series.aligned()).toEqual([[1, 2], [0.7, 0.7], [80, 70], [0.6, 0.6], [0.5, 0.5]])
  })

  it('merges a history with live events in either order: dedupes by step, keeps step order, the later report wins', () => {
    // Live events arrived while the history was still loading.
    const series = new LossSeries()
    series.add(5, pix(5, 50).metrics)
    series.add(6, pix(6, 40).metrics)
    // The history holds steps 1–5 (5 already seen live) …
    series.addAll([1, 2, 3, 4, 5].map((s) => pix(s, 100 - s)))
    // … and a live event repeats a step (a resumed run after its checkpoint).
    series.add(6, pix(6, 41).metrics)
    series.add(7, pix(7, 30).metrics)
    expect(series.steps).toEqual([1, 2, 3, 4, 5, 6, 7])
    expect(series.aligned()[2]).toEqual([99, 98, 97, 96, 95, 41, 30])
    expect(series.valueAt(6, 'G_L1')).toBe(41)
    expect(series.lastStep).toBe(7)
  })

  it('backfills a term that appears later with gaps, and ignores steps with no loss at all', () => {
    const series = new LossSeries()
    series.add(1, { G: 1, D_real: 0.5 })
    expect(series.add(2, { imagesPerSec: 10, etaSeconds: 2 })).toBe(false)
    series.add(2, { G: 0.9, D_real: 0.4, GP: 3 })
    expect(series.terms).toEqual(['G', 'D_real', 'GP'])
    expect(series.aligned()).toEqual([[1, 2], [1, 0.9], [0.5, 0.4], [null, 3]])
    // A newer report of a step replaces it whole.
    series.add(2, { G: 0.8, D_real: 0.3 })
    expect(series.aligned()[3]).toEqual([null, null])
  })

  it('knows whether a log axis can show every value', () => {
    const series = new LossSeries()
    series.add(1, { G: 1, D: 0.5 })
    expect(series.allPositive).toBe(true)
    series.add(2, { G: -0.3, D: 0.5 })
    expect(series.allPositive).toBe(false)
    // A resumed run reports step 2 again, positive this time.
    series.add(2, { G: 0.3, D: 0.5 })
    expect(series.allPositive).toBe(true)
  })

  it('hands uPlot copies, so later appends do not change data it holds', () => {
    const series = new LossSeries()
    series.add(1, { G: 1 })
    const first = series.aligned()
    series.add(2, { G: 2 })
    expect(first).toEqual([[1], [1]])
    expect(series.length).toBe(2)
  })
})

describe('SampleList', () => {
  it('keeps one grid per step in step order, whichever arrives first', () => {
    const samples = new SampleList()
    samples.add({ step: 10, path: '/m/samples/step-000010.png' })
    samples.addAll([
      { step: 5, path: '/m/samples/step-000005.png' },
      { step: 10, path: '/m/samples/step-000010.png' },
    ])
    expect(samples.add({ step: 10, path: '/m/samples/step-000010.png' })).toBe(false)
    samples.add({ step: 15, path: '/m/samples/step-000015.png' })
    expect(samples.items.map((s) => s.step)).toEqual([5, 10, 15])
  })
})
