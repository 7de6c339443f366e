/**
 * `ganvas bench` (`npm run bench`): inference, training and load times of the published networks
 * on the active backend, beside PyTorch on the same machine in the same run, as a table and as
 * bench/results.json. What is measured and how: bench/README.md.
 */
import { readFile } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import { InvalidArgumentError, type Command } from 'commander'
import { formatMarkdown, formatMs, formatTable, rowNotes } from '../../engine/bench/format'
import { ROW_IDS, fullSettings, isRowId, quickSettings, type RowId } from '../../engine/bench/rows'
import type { BenchResults } from '../../engine/bench/protocol'
import { runBench, writeResults } from '../../engine/bench/run'
import type { BackendPreference } from '../../shared/schemas'
import { CliError } from '../fail'
import { backendFromEnv, parseBackend } from '../options'
import { projectRoot } from '../paths'
import { barReporter, jsonReporter } from '../reporter'

interface Flags {
  quick?: boolean
  json?: boolean
  markdown?: boolean
  backend?: BackendPreference
  rows?: RowId[]
  pytorch: boolean
  python?: string
  reps?: number
  out: string
  from?: string
}

function parseRows(value: string): RowId[] {
  const ids = value.split(',').map((s) => s.trim()).filter(Boolean)
  const unknown = ids.filter((id) => !isRowId(id))
  if (unknown.length || ids.length === 0) throw new InvalidArgumentError(`unknown row ${unknown.join(', ') || '(none)'}; rows are ${ROW_IDS.join(', ')}`)
  return ids as RowId[]
}

function parseReps(value: string): number {
  const n = Number(value)
  if (!Number.isInteger(n) || n < 1 || n > 100) throw new InvalidArgumentError('use a whole number from 1 to 100')
  return n
}

export function registerBench(program: Command): void {
  program
    .command('bench')
    .description('time the published networks on this machine, beside PyTorch when it is installed; writes bench/results.json')
    .option('--quick', 'fewer repetitions, and CycleGAN at 128 px (resnet_6blocks)')
    .option('--json', 'print one JSON object per line; the last one holds the results')
    .option('--markdown', 'print the table as Markdown (for a README)')
    .option('--backend <name>', 'auto | tensorflow | wasm | cpu', parseBackend)
    .option('--rows <ids>', `comma-separated rows to run (default all): ${ROW_IDS.join(', ')}`, parseRows)
    .option('--no-pytorch', 'do not run the PyTorch side')
    .option('--python <path>', 'the Python with torch to use (default: python3, then /usr/bin/python3)')
    .option('--reps <n>', 'timed repetitions of the heavy rows (after one warm-up)', parseReps)
    .option('--out <file>', 'where to write the results', join(projectRoot, 'bench', 'results.json'))
    .option('--from <file>', 'run nothing: print the table of a saved results.json')
    .action(run)
}

async function run(flags: Flags): Promise<void> {
  if (flags.from) return show(resolve(flags.from), flags)
  const base = flags.quick ? quickSettings : fullSettings
  const settings = flags.reps ? { ...base, reps: flags.reps, lightReps: Math.max(flags.reps, base.lightReps) } : base
  const reporter = flags.json ? jsonReporter() : barReporter('rows')
  const out = resolve(flags.out)
  const results = await runBench({
    settings,
    quick: !!flags.quick,
    ...(flags.rows ? { rows: flags.rows } : {}),
    backend: flags.backend ?? backendFromEnv() ?? 'auto',
    pytorch: flags.pytorch ? { ...(flags.python ? { python: flags.python } : {}) } : false,
    onPython: (python) =>
      reporter.info(
        'unavailable' in python ? `PyTorch: ${python.unavailable}` : `PyTorch ${python.torch} (${python.python})`,
        { pytorch: python },
      ),
    onEngine: (engine) =>
      reporter.info(`Backend: ${engine.backend} on ${engine.device} (${engine.threads} thread${engine.threads === 1 ? '' : 's'})`, {
        backend: engine.backend,
        device: engine.device,
        threads: engine.threads,
      }),
    onRowStart: (row, index, total) => {
      if (!flags.json) reporter.info(`[${index + 1}/${total}] ${row.label} …`)
    },
    onRow: (row, index, total) => {
      const parts = [`Ganvas ${row.ganvas.ok ? `${formatMs(row.ganvas.medianMs)} ${row.unit}` : 'failed'}`]
      if (row.pytorch) parts.push(`PyTorch ${row.pytorch.ok ? formatMs(row.pytorch.medianMs) : 'failed'}`)
      if (row.pytorchAllCores) parts.push(`PyTorch all cores ${row.pytorchAllCores.ok ? formatMs(row.pytorchAllCores.medianMs) : 'failed'}`)
      if (row.ratio !== null) parts.push(`ratio ${row.ratio.toFixed(2)}`)
      const notes = rowNotes([row])
      reporter.info(`      ${parts.join(' · ')}${notes.length ? `\n      ${notes.join('\n      ')}` : ''}`, {
        event: 'row',
        index,
        total,
        row,
      })
    },
  })
  await writeResults(out, results)
  const table = flags.markdown ? formatMarkdown(results) : formatTable(results)
  reporter.done({ out, results }, `\n${table}\n\nWrote ${out}`)
}

async function show(file: string, flags: Flags): Promise<void> {
  let results: BenchResults
  try {
    results = JSON.parse(await readFile(file, 'utf8')) as BenchResults
  } catch (error) {
    throw new CliError(`--from ${file}: ${(error as Error).message.split('\n')[0]}`)
  }
  if (!Array.isArray(results.rows)) throw new CliError(`--from ${file}: not a results file of ganvas bench`)
  if (flags.json) process.stdout.write(JSON.stringify(results) + '\n')
  else process.stdout.write((flags.markdown ? formatMarkdown(results) : formatTable(results)) + '\n')
}
