/** Numbers and times as an artist reads them. */

/** Losses and timings: a few significant digits, never scientific noise like 0.123456789. */
export function formatMetric(value: number): string {
  if (!Number.isFinite(value)) return String(value)
  const magnitude = Math.abs(value)
  if (magnitude !== 0 && magnitude < 0.001) return value.toExponential(2)
  if (magnitude >= 1000) return Math.round(value).toLocaleString('en-US')
  // Trailing zeros after the point only: 100 stays 100, 0.500 becomes 0.5.
  return value.toPrecision(3).replace(/(\.\d*?)0+$/, '$1').replace(/\.$/, '')
}

const METRIC_LABELS: Record<string, string> = { loss: 'Loss', msPerStep: 'ms per step' }

/** camelCase metric names as words: 'lossG' → 'Loss G', 'imagesPerSecond' → 'Images per second'. */
export function metricLabel(name: string): string {
  const known = METRIC_LABELS[name]
  if (known) return known
  const words = name.replace(/([a-z0-9])([A-Z])/g, '$1 $2').split(/[\s_]+/)
  const text = words.map((word) => (word.length === 1 ? word.toUpperCase() : word.toLowerCase())).join(' ')
  return text.charAt(0).toUpperCase() + text.slice(1)
}

export function formatDateTime(iso: string): string {
  const date = new Date(iso)
  if (Number.isNaN(date.getTime())) return iso
  return date.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' })
}

export function formatDuration(fromIso: string, toIso: string): string {
  const ms = new Date(toIso).getTime() - new Date(fromIso).getTime()
  if (!Number.isFinite(ms) || ms < 0) return ''
  if (ms < 1000) return `${ms} ms`
  const seconds = ms / 1000
  if (seconds < 60) return `${seconds.toFixed(1)} s`
  return `${Math.floor(seconds / 60)} min ${Math.round(seconds % 60)} s`
}

export const plural = (count: number, one: string, many = `${one}s`): string => `${count} ${count === 1 ? one : many}`

/** A number from a job's free-form result record, if it is one. */
export function numberIn(record: Record<string, unknown> | null, key: string): number | null {
  const value = record?.[key]
  return typeof value === 'number' ? value : null
}
