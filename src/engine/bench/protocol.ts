/** What the benchmark's processes tell each other, and what a run produces (bench/results.json). */
import type { BackendName } from '../../shared/schemas'
import type { GanvasMeasurement } from './measure'
import type { BenchSettings, RowInfo, RowPlan } from './rows'

export interface EngineInfo {
  backend: BackendName
  backendPackage: string
  device: string
  tfjsVersion: string
  /** Threads the backend computes on (PyTorch is timed on as many). */
  threads: number
}

export interface Failed {
  ok: false
  reason: string
  /** The failed process's peak resident set, when it could still say. */
  peakRssMb?: number
}

export type GanvasOutcome = ({ ok: true } & GanvasMeasurement) | Failed

/** Row process → benchmark, over IPC. */
export type ChildMessage = { kind: 'engine'; engine: EngineInfo } | ({ kind: 'result' } & GanvasOutcome)

/** bench/pytorch_bench.py's answer for one row. */
export interface TorchMeasurement {
  warmupMs: number[]
  samplesMs: number[]
  params: number
  peakRssMb: number
  torch: string
  threads: number
  python: string
}
export type TorchOutcome = ({ ok: true } & TorchMeasurement) | Failed

/** One side of a row as reported: the median of the timed runs beside the runs themselves. */
export type Side<T> = ({ ok: true; medianMs: number } & T) | Failed

export interface RowResult extends RowInfo {
  plan: RowPlan
  ganvas: Side<GanvasMeasurement>
  /** PyTorch on as many threads as the Ganvas backend uses; null when PyTorch is not available. */
  pytorch: Side<TorchMeasurement> | null
  /** PyTorch on every core; null when that is the same thread count, or PyTorch is not available. */
  pytorchAllCores: Side<TorchMeasurement> | null
  /** Ganvas median ÷ PyTorch median (above 1: Ganvas is slower); null when either side failed. */
  ratio: number | null
  ratioAllCores: number | null
  /** Whether both sides ran networks with the same number of trainable parameters. */
  paramsMatch: boolean | null
}

export interface PythonInfo {
  /** The interpreter that has torch, e.g. /usr/bin/python3. */
  python: string
  pythonVersion: string
  torch: string
  cpuCount: number
  /** The BLAS library torch loaded (Debian's torch uses the system libblas.so.3). */
  blas: string
  mkldnn: boolean
}

export interface BenchResults {
  /** ISO time the run started. */
  date: string
  quick: boolean
  settings: BenchSettings
  machine: {
    cpu: string
    cores: number
    memoryGb: number
    os: string
    node: string
    /** One-minute load average when the run started and ended: above the core count, other work shared the CPU. */
    loadAverage?: { start: number; end: number }
  }
  ganvas: { version: string } & Partial<EngineInfo>
  pytorch: (PythonInfo & { threads: number; allCoresThreads: number }) | { unavailable: string }
  rows: RowResult[]
  /** Wall time of the whole run. */
  elapsedSeconds: number
}
