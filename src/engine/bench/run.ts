/**
 * The whole benchmark (issue 7; `ganvas bench`, `npm run bench`): for each row, the Ganvas
 * measurement in a child process of its own, then the same plan in PyTorch on as many threads as
 * the Ganvas backend uses, and again on every core, when a Python with torch is found. A failed
 * row (a wasm abort, a crash, a time-out) is reported with its reason and the others still run.
 */
import { fork, spawn } from 'node:child_process'
import { mkdir } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { arch, cpus, loadavg, release, totalmem, type } from 'node:os'
import { dirname } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import type { BackendPreference } from '../../shared/schemas'
import { writeFileAtomic } from '../storage/atomic-write'
import { ganvasVersion } from '../version'
import { WASM_OUT_OF_MEMORY } from './failure'
import { median } from './median'
import type { BenchResults, EngineInfo, Failed, GanvasOutcome, PythonInfo, RowResult, Side, TorchOutcome } from './protocol'
import { ROW_IDS, describeRow, planRow, type BenchSettings, type RowId, type RowInfo, type RowPlan } from './rows'

const childEntry = fileURLToPath(new URL('./child.ts', import.meta.url))
const tsxLoader = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href
export const pytorchScript = fileURLToPath(new URL('../../../bench/pytorch_bench.py', import.meta.url))

/** How the benchmark reaches its measurements; tests replace them. */
export interface Runners {
  ganvas(plan: RowPlan, backend: BackendPreference, timeoutMs: number): Promise<{ engine?: EngineInfo; outcome: GanvasOutcome }>
  findPython(preferred?: string): Promise<PythonInfo | { unavailable: string }>
  pytorch(python: PythonInfo, plan: RowPlan, threads: number, timeoutMs: number): Promise<TorchOutcome>
}

export interface BenchOptions {
  settings: BenchSettings
  quick: boolean
  /** Rows to run, in this order (default: all). */
  rows?: readonly RowId[]
  backend: BackendPreference
  /** false: Ganvas only. Otherwise the interpreter to try first (then python3, /usr/bin/python3). */
  pytorch: false | { python?: string }
  /** Per process (one side of one row); default one hour. */
  timeoutMs?: number
  onPython?(python: PythonInfo | { unavailable: string }): void
  onEngine?(engine: EngineInfo): void
  onRowStart?(row: RowInfo, index: number, total: number): void
  onRow?(row: RowResult, index: number, total: number): void
  runners?: Partial<Runners>
}

export async function runBench(options: BenchOptions): Promise<BenchResults> {
  const started = Date.now()
  const loadAtStart = loadavg()[0]!
  const runners: Runners = { ganvas: runGanvasRow, findPython, pytorch: runTorchRow, ...options.runners }
  const timeoutMs = options.timeoutMs ?? 60 * 60 * 1000
  const ids = options.rows ?? ROW_IDS
  const python = options.pytorch === false ? { unavailable: 'not requested (--no-pytorch)' } : await runners.findPython(options.pytorch.python)
  options.onPython?.(python)
  const torch = 'unavailable' in python ? null : python
  let engine: EngineInfo | undefined
  const rows: RowResult[] = []
  for (const [index, id] of ids.entries()) {
    const plan = planRow(id, options.settings)
    const info = describeRow(plan)
    options.onRowStart?.(info, index, ids.length)
    const ganvasRun = await runners.ganvas(plan, options.backend, timeoutMs)
    if (!engine && ganvasRun.engine) {
      engine = ganvasRun.engine
      options.onEngine?.(engine)
    }
    const threads = engine?.threads ?? 1
    const pytorch = torch ? await runners.pytorch(torch, plan, threads, timeoutMs) : null
    const pytorchAllCores = torch && torch.cpuCount !== threads ? await runners.pytorch(torch, plan, torch.cpuCount, timeoutMs) : null
    const row = combine(info, plan, ganvasRun.outcome, pytorch, pytorchAllCores)
    rows.push(row)
    options.onRow?.(row, index, ids.length)
  }
  const threads = engine?.threads ?? 1
  return {
    date: new Date(started).toISOString(),
    quick: options.quick,
    settings: options.settings,
    machine: {
      cpu: cpus()[0]?.model.trim() ?? 'unknown CPU',
      cores: cpus().length,
      memoryGb: Math.round(totalmem() / 2 ** 30),
      os: `${type()} ${release()} ${arch()}`,
      node: process.version,
      loadAverage: { start: loadAtStart, end: loadavg()[0]! },
    },
    ganvas: { version: ganvasVersion, ...engine },
    pytorch: torch ? { ...torch, threads, allCoresThreads: torch.cpuCount } : { unavailable: (python as { unavailable: string }).unavailable },
    rows,
    elapsedSeconds: (Date.now() - started) / 1000,
  }
}

function side<T extends { samplesMs: number[] }>(outcome: ({ ok: true } & T) | Failed): Side<T> {
  if (!outcome.ok) return outcome
  if (outcome.samplesMs.length === 0) return { ok: false, reason: 'no timed runs' }
  return { ...outcome, medianMs: median(outcome.samplesMs) }
}

const ratioOf = (a: Side<unknown>, b: Side<unknown> | null) => (a.ok && b?.ok ? a.medianMs / b.medianMs : null)

export function combine(
  info: RowInfo,
  plan: RowPlan,
  ganvasOutcome: GanvasOutcome,
  pytorchOutcome: TorchOutcome | null,
  allCoresOutcome: TorchOutcome | null,
): RowResult {
  const ganvas = side(ganvasOutcome)
  const pytorch = pytorchOutcome && side(pytorchOutcome)
  const pytorchAllCores = allCoresOutcome && side(allCoresOutcome)
  return {
    ...info,
    plan,
    ganvas,
    pytorch,
    pytorchAllCores,
    ratio: ratioOf(ganvas, pytorch),
    ratioAllCores: ratioOf(ganvas, pytorchAllCores),
    paramsMatch: ganvas.ok && pytorch?.ok ? ganvas.params === pytorch.params : null,
  }
}

/** Keeps the last few KB of a stream (a wasm crash prints a megabyte of minified code). */
function tail(stream: NodeJS.ReadableStream | null): () => string {
  let text = ''
  stream?.on('data', (chunk: Buffer) => {
    text = (text + chunk.toString()).slice(-8192)
  })
  return () => text
}

/** The last line that says something, cut to a readable length. */
export function lastLine(text: string): string {
  const lines = text.split('\n').map((l) => l.trim()).filter(Boolean)
  return (lines.at(-1) ?? '').slice(0, 300)
}

/** Why a process ended without an answer. */
export function exitReason(code: number | null, signal: NodeJS.Signals | null, stderr: string, timedOutAfterMs: number | null): string {
  if (timedOutAfterMs !== null) return `timed out after ${Math.round(timedOutAfterMs / 60000)} min`
  if (/Aborted\(/.test(stderr)) return WASM_OUT_OF_MEMORY
  if (signal === 'SIGKILL') return 'killed (SIGKILL: out of memory?)'
  const said = lastLine(stderr)
  return `${signal ? `stopped by ${signal}` : `exited with code ${code}`}${said ? `: ${said}` : ''}`
}

/** Runs one row's Ganvas side in a fresh Node process (tsx loader, as bin/ganvas.js). */
export function runGanvasRow(plan: RowPlan, backend: BackendPreference, timeoutMs: number): Promise<{ engine?: EngineInfo; outcome: GanvasOutcome }> {
  return new Promise((resolve) => {
    const child = fork(childEntry, [JSON.stringify({ plan, backend })], {
      execArgv: ['--import', tsxLoader],
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    })
    const stderr = tail(child.stderr)
    tail(child.stdout) // drained, not shown
    let engine: EngineInfo | undefined
    let outcome: GanvasOutcome | undefined
    let timedOut: number | null = null
    const timer = setTimeout(() => {
      timedOut = timeoutMs
      child.kill('SIGKILL')
    }, timeoutMs)
    child.on('message', (message: { kind: string } & Record<string, unknown>) => {
      if (message.kind === 'engine') engine = message.engine as EngineInfo
      if (message.kind === 'result') {
        const { kind: _kind, ...rest } = message
        outcome = rest as unknown as GanvasOutcome
      }
    })
    child.on('error', (error) => {
      clearTimeout(timer)
      resolve({ engine, outcome: { ok: false, reason: `could not start the row process: ${error.message}` } })
    })
    child.on('exit', (code, signal) => {
      clearTimeout(timer)
      resolve({ engine, outcome: outcome ?? { ok: false, reason: exitReason(code, signal, stderr(), timedOut) } })
    })
  })
}

function runProcess(
  command: string,
  args: string[],
  timeoutMs: number,
  env: NodeJS.ProcessEnv = process.env,
): Promise<{ stdout: string; stderr: string; reason: string | null }> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], env })
    let stdout = ''
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()))
    const stderr = tail(child.stderr)
    let timedOut: number | null = null
    const timer = setTimeout(() => {
      timedOut = timeoutMs
      child.kill('SIGKILL')
    }, timeoutMs)
    child.on('error', (error) => {
      clearTimeout(timer)
      resolve({ stdout, stderr: stderr(), reason: error.message })
    })
    child.on('close', (code, signal) => {
      clearTimeout(timer)
      resolve({ stdout, stderr: stderr(), reason: code === 0 ? null : exitReason(code, signal, stderr(), timedOut) })
    })
  })
}

/** The first of `preferred`, $GANVAS_BENCH_PYTHON, python3, /usr/bin/python3 that can import torch. */
export async function findPython(preferred?: string): Promise<PythonInfo | { unavailable: string }> {
  const candidates = [...new Set([preferred, process.env.GANVAS_BENCH_PYTHON, 'python3', '/usr/bin/python3'].filter((c): c is string => !!c))]
  const tried: string[] = []
  for (const python of candidates) {
    const { stdout, stderr, reason } = await runProcess(python, [pytorchScript, '--probe'], 120_000)
    if (!reason) {
      try {
        return { python, ...(JSON.parse(lastLine(stdout)) as Omit<PythonInfo, 'python'>) }
      } catch {
        // fall through: report what it printed
      }
    }
    tried.push(`${python}: ${lastLine(stderr) || reason || 'no answer'}`)
  }
  return { unavailable: `no Python with torch found (${tried.join('; ')})` }
}

/** Runs one row's PyTorch side: bench/pytorch_bench.py with the same plan. */
export async function runTorchRow(python: PythonInfo, plan: RowPlan, threads: number, timeoutMs: number): Promise<TorchOutcome> {
  // torch.set_num_threads covers torch's own pool; an OpenBLAS or MKL under it keeps its own.
  const n = String(threads)
  const env = { ...process.env, OMP_NUM_THREADS: n, OPENBLAS_NUM_THREADS: n, MKL_NUM_THREADS: n }
  const { stdout, stderr, reason } = await runProcess(python.python, [pytorchScript, '--threads', n, '--plan', JSON.stringify(plan)], timeoutMs, env)
  const answer = stdout.split('\n').reverse().find((line) => line.startsWith('{'))
  if (answer) {
    try {
      return JSON.parse(answer) as TorchOutcome
    } catch {
      // fall through
    }
  }
  return { ok: false, reason: reason ?? (lastLine(stderr) || 'no result from pytorch_bench.py') }
}

/** Rounds what a person reads: milliseconds and megabytes to 3 decimals. */
export const roundNumbers = (_key: string, value: unknown) =>
  typeof value === 'number' && !Number.isInteger(value) ? Math.round(value * 1000) / 1000 : value

export async function writeResults(file: string, results: BenchResults): Promise<void> {
  await mkdir(dirname(file), { recursive: true })
  await writeFileAtomic(file, JSON.stringify(results, roundNumbers, 2) + '\n')
}
