/** The benchmark as people read it: a plain-text table for the terminal, a Markdown one for READMEs. */
import type { BenchResults, RowResult, Side } from './protocol'

export function formatMs(ms: number): string {
  if (ms >= 100) return Math.round(ms).toLocaleString('en-US')
  return ms.toFixed(ms >= 10 ? 1 : 2)
}

const formatMb = (mb: number | null | undefined) => (mb === null || mb === undefined ? '–' : Math.round(mb).toLocaleString('en-US'))
const formatRatio = (ratio: number | null) => (ratio === null ? '–' : `${ratio.toFixed(2)}×`)
const cell = (s: Side<unknown> | null) => (s === null ? '–' : s.ok ? formatMs(s.medianMs) : 'failed')
const threadWord = (n: number) => `${n} thread${n === 1 ? '' : 's'}`

/** What ran where, in a few lines. */
export function describeRun(results: BenchResults): string[] {
  const g = results.ganvas
  const engine = g.backend
    ? `Ganvas ${g.version} on ${g.backend} (${g.backendPackage}, TF.js ${g.tfjsVersion}): ${g.device}; ${threadWord(g.threads ?? 1)}`
    : `Ganvas ${g.version}: no backend started`
  const torch =
    'unavailable' in results.pytorch
      ? `PyTorch: ${results.pytorch.unavailable}`
      : `PyTorch ${results.pytorch.torch} (${results.pytorch.python}, Python ${results.pytorch.pythonVersion}) on ${threadWord(results.pytorch.threads)}` +
        (results.pytorch.allCoresThreads !== results.pytorch.threads ? ` and on all ${results.pytorch.allCoresThreads} cores` : '') +
        `; BLAS ${results.pytorch.blas}`
  const referenceBlas = !('unavailable' in results.pytorch) && /\/blas\/libblas\.so/.test(results.pytorch.blas)
  const m = results.machine
  const load = m.loadAverage
  const busy = load && Math.max(load.start, load.end) > m.cores * 0.5
  return [
    `${results.date.slice(0, 10)}${results.quick ? ' (--quick)' : ''}, ${m.cpu} × ${m.cores} cores, ${m.memoryGb} GiB, ${m.os}, Node ${m.node}`,
    engine,
    torch,
    ...(referenceBlas
      ? ['This PyTorch runs on the reference BLAS (Debian without OpenBLAS): 1.5–12× slower than on OpenBLAS; see bench/README.md.']
      : []),
    ...(busy ? [`Load average ${load.start.toFixed(1)} at the start, ${load.end.toFixed(1)} at the end on ${m.cores} cores: other work shared the CPU, the timings are noisy.`] : []),
    `Medians of ${results.settings.reps} timed runs (${results.settings.lightReps} for loading) after ${results.settings.warmup} warm-up; ratio = Ganvas ÷ PyTorch (above 1: Ganvas is slower).`,
  ]
}

function columns(results: BenchResults): { header: string[]; rows: string[][] } {
  const torch = 'unavailable' in results.pytorch ? null : results.pytorch
  const allCores = torch && torch.allCoresThreads !== torch.threads
  const header = [
    'row',
    'unit',
    'Ganvas',
    ...(torch ? [`PyTorch ${threadWord(torch.threads)}`, 'ratio'] : []),
    ...(allCores ? [`PyTorch ${threadWord(torch.allCoresThreads)}`, 'ratio'] : []),
    'Ganvas peak RSS MB',
    'tf.memory peak MB',
    ...(torch ? ['PyTorch peak RSS MB'] : []),
  ]
  const rows = results.rows.map((r) => [
    r.label,
    r.unit,
    cell(r.ganvas),
    ...(torch ? [cell(r.pytorch), formatRatio(r.ratio)] : []),
    ...(allCores ? [cell(r.pytorchAllCores), formatRatio(r.ratioAllCores)] : []),
    formatMb(r.ganvas.peakRssMb),
    r.ganvas.ok ? formatMb(r.ganvas.tfPeakMb) : '–',
    ...(torch ? [r.pytorch?.ok ? formatMb(r.pytorch.peakRssMb) : '–'] : []),
  ])
  return { header, rows }
}

/** Why rows failed, and anything else a reader must know about a row. */
export function rowNotes(rows: readonly RowResult[]): string[] {
  const notes: string[] = []
  for (const r of rows) {
    if (!r.ganvas.ok) notes.push(`${r.label}: Ganvas failed: ${r.ganvas.reason}`)
    if (r.pytorch && !r.pytorch.ok) notes.push(`${r.label}: PyTorch failed: ${r.pytorch.reason}`)
    if (r.pytorchAllCores && !r.pytorchAllCores.ok) notes.push(`${r.label}: PyTorch (all cores) failed: ${r.pytorchAllCores.reason}`)
    if (r.paramsMatch === false && r.ganvas.ok && r.pytorch?.ok) {
      notes.push(`${r.label}: parameter counts differ (Ganvas ${r.ganvas.params.toLocaleString('en-US')}, PyTorch ${r.pytorch.params.toLocaleString('en-US')})`)
    }
  }
  return notes
}

export function formatTable(results: BenchResults): string {
  const { header, rows } = columns(results)
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)))
  const line = (cells: string[]) => cells.map((c, i) => (i < 2 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ').trimEnd()
  const notes = rowNotes(results.rows)
  return [
    ...describeRun(results),
    '',
    line(header),
    line(widths.map((w) => '─'.repeat(w))),
    ...rows.map(line),
    ...(notes.length ? ['', ...notes.map((n) => `• ${n}`)] : []),
  ].join('\n')
}

export function formatMarkdown(results: BenchResults): string {
  const { header, rows } = columns(results)
  const line = (cells: string[]) => `| ${cells.join(' | ')} |`
  const notes = rowNotes(results.rows)
  return [
    ...describeRun(results).map((l) => `${l}  `),
    '',
    line(header),
    line(header.map((_, i) => (i < 2 ? '---' : '---:'))),
    ...rows.map(line),
    ...(notes.length ? ['', ...notes.map((n) => `- ${n}`)] : []),
  ].join('\n')
}
