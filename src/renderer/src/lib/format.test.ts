import { describe, expect, it } from 'vitest'
import { formatDuration, formatMetric, metricLabel, numberIn, plural } from './format'

describe('format', () => {
  it('shows metrics with a few significant digits', () => {
    expect(formatMetric(0.123456)).toBe('0.123')
    expect(formatMetric(41.27)).toBe('41.3')
    expect(formatMetric(2)).toBe('2')
    expect(formatMetric(100)).toBe('100')
    expect(formatMetric(0.5)).toBe('0.5')
    expect(formatMetric(12345.6)).toBe('12,346')
    expect(formatMetric(0.00004)).toBe('4.00e-5')
    expect(formatMetric(Number.NaN)).toBe('NaN')
  })

  it('labels metrics in words', () => {
    expect(metricLabel('msPerStep')).toBe('ms per step')
    expect(metricLabel('lossG')).toBe('Loss G')
    expect(metricLabel('imagesPerSecond')).toBe('Images per second')
    expect(metricLabel('fid_score')).toBe('Fid score')
  })

  it('formats durations, counts and result numbers', () => {
    expect(formatDuration('2025-01-01T00:00:00Z', '2025-01-01T00:00:02.5Z')).toBe('2.5 s')
    expect(formatDuration('2025-01-01T00:00:00Z', '2025-01-01T00:02:05Z')).toBe('2 min 5 s')
    expect(plural(1, 'job')).toBe('1 job')
    expect(plural(3, 'job')).toBe('3 jobs')
    expect(numberIn({ loss: 0.5, name: 'x' }, 'loss')).toBe(0.5)
    expect(numberIn({ name: 'x' }, 'name')).toBeNull()
  })
})
