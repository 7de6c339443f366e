/**
 * How a long CLI command reports: a progress bar with losses and ETA for people, or one JSON object
 * per line (`--json`) for scripts: {"event":"progress",…}, {"event":"sample",…}, {"event":"done",…}.
 */
import cliProgress from 'cli-progress'
import type { JobProgress } from '../shared/schemas'

export interface Reporter {
  info(message: string, fields?: Record<string, unknown>): void
  progress(progress: JobProgress): void
  done(fields: Record<string, unknown>, message: string): void
}

const LOSS_KEYS_EXCLUDED = new Set(['imagesPerSec', 'etaSeconds', 'epoch', 'lr'])
const losses = (metrics: Record<string, number>) =>
  Object.fromEntries(Object.entries(metrics).filter(([k]) => !LOSS_KEYS_EXCLUDED.has(k)))

export function jsonReporter(write: (line: string) => void = (l) => process.stdout.write(l + '\n')): Reporter {
  return {
    info: (message, fields = {}) => write(JSON.stringify({ event: 'info', message, ...fields })),
    progress: (p) => {
      // A message (data found, a file skipped) is an info line; a step with no numbers is only that.
      if (p.message) write(JSON.stringify({ event: 'info', step: p.step, message: p.message }))
      const hasNumbers = Object.keys(p.metrics).length > 0
      if (p.step > 0 && (hasNumbers || !p.message)) {
        write(
          JSON.stringify({
            event: 'progress',
            step: p.step,
            total: p.total,
            losses: losses(p.metrics),
            ...(p.metrics.imagesPerSec !== undefined ? { imagesPerSec: p.metrics.imagesPerSec } : {}),
            ...(p.metrics.etaSeconds !== undefined ? { etaSeconds: p.metrics.etaSeconds } : {}),
          }),
        )
      }
      if (p.sample) write(JSON.stringify({ event: 'sample', step: p.step, path: p.sample }))
    },
    done: (fields) => write(JSON.stringify({ event: 'done', ...fields })),
  }
}

export function barReporter(unit: string): Reporter {
  const bar = new cliProgress.SingleBar(
    {
      format: `{bar} {value}/{total} ${unit} | {losses} | {speed} | ETA {eta_formatted}`,
      hideCursor: true,
      etaBuffer: 50,
      clearOnComplete: false,
      stopOnComplete: false,
    },
    cliProgress.Presets.shades_classic,
  )
  let started = false
  const format = (metrics: Record<string, number>) =>
    Object.entries(losses(metrics))
      .map(([k, v]) => `${k} ${v.toFixed(3)}`)
      .join(' ')
  return {
    info: (message) => process.stdout.write((started ? '\n' : '') + message + '\n'),
    progress: (p) => {
      if (!started) {
        if (p.message) process.stdout.write(p.message + '\n')
        bar.start(p.total, p.step, { losses: '', speed: '' })
        started = true
      }
      const speed = p.metrics.imagesPerSec !== undefined ? `${p.metrics.imagesPerSec.toFixed(2)} img/s` : ''
      bar.update(p.step, { losses: format(p.metrics), speed })
    },
    done: (_fields, message) => {
      if (started) bar.stop()
      process.stdout.write(message + '\n')
    },
  }
}
