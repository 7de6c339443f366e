/**
 * The benchmark's plumbing, on tiny networks: plans, medians and ratios, a failed row reported
 * beside the others, the row process, the training and load measurements. No timing assertions:
 * these machines are shared (timings belong in `npm run bench` itself).
 */
import { spawnSync } from 'node:child_process'
import { beforeAll, describe, expect, it } from 'vitest'
import { useWasm } from '../../../test/helpers/train-harness'
import { wantedWasmThreads } from '../backend/wasm-threads'
import { dcganDiscriminator, dcganGenerator } from '../models/dcgan'
import { patchGanDiscriminator } from '../models/patchgan'
import { countTrainableParams } from '../models/params'
import { failureReason } from './failure'
import { formatMarkdown, formatTable } from './format'
import { measureRow } from './measure'
import { median } from './median'
import type { GanvasOutcome, TorchOutcome } from './protocol'
import { ROW_IDS, describeRow, fullSettings, planRow, quickSettings, type BenchSettings, type RowId, type RowPlan } from './rows'
import { exitReason, findPython, pytorchScript, runBench, type Runners } from './run'

const tiny: BenchSettings = { ...fullSettings, size: 32, cycleganSize: 32, dcganSize: 16, dcganBatch: 2, z: 8, width: 4, reps: 3, lightReps: 3 }

const measured = (samplesMs: number[], params = 100): GanvasOutcome => ({
  ok: true,
  warmupMs: [50],
  profiledMs: 60,
  samplesMs,
  params,
  tfPeakMb: 2,
  tfMb: 1,
  wasmHeapMb: 16,
  peakRssMb: 200,
})
const torchMeasured = (samplesMs: number[], threads: number, params = 100): TorchOutcome => ({
  ok: true,
  warmupMs: [5],
  samplesMs,
  params,
  peakRssMb: 250,
  torch: '1.13',
  threads,
  python: '3.11',
})
const engine = { backend: 'wasm' as const, backendPackage: '@tensorflow/tfjs-backend-wasm', device: 'test CPU', tfjsVersion: '4.22.0', threads: 1 }

describe('bench plans', () => {
  it('uses the published sizes, and CycleGAN at 128 (resnet_6blocks) in --quick', () => {
    expect(planRow('unet.infer', fullSettings)).toMatchObject({ size: 256, batch: 1, ngf: 64, reps: 3 })
    expect(planRow('resnet.infer', fullSettings)).toMatchObject({ size: 256, blocks: 9 })
    expect(planRow('dcgan.infer', fullSettings)).toMatchObject({ size: 64, batch: 64, z: 128, reps: 3 })
    expect(planRow('dcgan.load', fullSettings)).toMatchObject({ reps: fullSettings.lightReps })
    expect(planRow('cyclegan.train', fullSettings)).toMatchObject({ size: 256, blocks: 9, batch: 1 })
    expect(planRow('cyclegan.train', quickSettings)).toMatchObject({ size: 128, blocks: 6 })
    expect(planRow('resnet.infer', quickSettings)).toMatchObject({ size: 256, blocks: 9 }) // inference stays at 256
    expect(describeRow(planRow('cyclegan.train', quickSettings)).label).toContain('CycleGAN 128')
    for (const id of ROW_IDS) expect(describeRow(planRow(id, fullSettings)).unit).toMatch(/^ms/)
  })

  it('takes medians of the timed runs', () => {
    expect(median([30, 10, 20])).toBe(20)
    expect(median([4, 1, 3, 2])).toBe(2.5)
    expect(() => median([])).toThrow()
  })
})

describe('runBench', () => {
  it('computes ratios per row and reports a failed row while the others still run', async () => {
    const calls: string[] = []
    const runners: Runners = {
      async ganvas(plan) {
        calls.push(`ganvas ${plan.id}`)
        if (plan.id === 'cyclegan.train') return { engine, outcome: { ok: false, reason: failureReason(new Error('Aborted()')) } }
        return { engine, outcome: measured([300, 100, 200]) }
      },
      findPython: async () => ({ python: 'python3', pythonVersion: '3.11', torch: '1.13', cpuCount: 2, blas: 'libblas.so.3', mkldnn: true }),
      async pytorch(_python, plan, threads) {
        calls.push(`pytorch ${plan.id} ${threads}`)
        if (plan.id === 'dcgan.train' && threads === 2) return { ok: false, reason: 'RuntimeError: boom' }
        return torchMeasured(threads === 1 ? [50, 50, 400] : [25], threads, plan.id === 'unet.infer' ? 99 : 100)
      },
    }
    const rows: RowId[] = ['unet.infer', 'cyclegan.train', 'dcgan.train']
    const results = await runBench({ settings: tiny, quick: true, rows, backend: 'wasm', pytorch: {}, runners })
    expect(results.rows.map((r) => r.id)).toEqual(rows)
    expect(calls).toEqual([
      'ganvas unet.infer',
      'pytorch unet.infer 1',
      'pytorch unet.infer 2',
      'ganvas cyclegan.train',
      'pytorch cyclegan.train 1',
      'pytorch cyclegan.train 2',
      'ganvas dcgan.train',
      'pytorch dcgan.train 1',
      'pytorch dcgan.train 2',
    ])
    const [unet, cycle, dcgan] = results.rows
    expect(unet!.ganvas).toMatchObject({ ok: true, medianMs: 200 })
    expect(unet!.pytorch).toMatchObject({ ok: true, medianMs: 50 })
    expect(unet!.ratio).toBe(4)
    expect(unet!.ratioAllCores).toBe(8)
    expect(unet!.paramsMatch).toBe(false)
    expect(cycle!.ganvas).toEqual({ ok: false, reason: expect.stringMatching(/wasm heap out of memory \(4 GB\)/) })
    expect(cycle!.ratio).toBeNull()
    expect(cycle!.pytorch).toMatchObject({ ok: true })
    expect(dcgan!.ratio).toBe(4)
    expect(dcgan!.pytorchAllCores).toEqual({ ok: false, reason: 'RuntimeError: boom' })
    expect(dcgan!.ratioAllCores).toBeNull()
    expect(results.ganvas).toMatchObject({ backend: 'wasm', threads: 1 })
    expect(results.pytorch).toMatchObject({ torch: '1.13', threads: 1, allCoresThreads: 2 })
    expect(results.machine.loadAverage).toEqual({ start: expect.any(Number), end: expect.any(Number) })

    const table = formatTable(results)
    expect(table).toContain('PyTorch 1 thread')
    expect(table).not.toContain('reference BLAS')
    expect(table).toContain('4.00×')
    expect(table).toMatch(/CycleGAN 32 training.*: Ganvas failed: wasm heap out of memory/)
    expect(table).toMatch(/parameter counts differ \(Ganvas 100, PyTorch 99\)/)
    expect(formatMarkdown(results)).toMatch(/^\| row \| unit \| Ganvas \|/m)
  })

  it('runs PyTorch once when the backend already uses every core, and not at all without it', async () => {
    const threads: number[] = []
    const runners: Partial<Runners> = {
      ganvas: async () => ({ engine: { ...engine, backend: 'tensorflow', threads: 2 }, outcome: measured([10]) }),
      findPython: async () => ({ python: 'python3', pythonVersion: '3.11', torch: '1.13', cpuCount: 2, blas: 'libblas.so.3', mkldnn: true }),
      pytorch: async (_p, _plan, n) => (threads.push(n), torchMeasured([5], n)),
    }
    const both = await runBench({ settings: tiny, quick: true, rows: ['dcgan.infer'], backend: 'auto', pytorch: {}, runners })
    expect(threads).toEqual([2])
    expect(both.rows[0]).toMatchObject({ ratio: 2, pytorchAllCores: null, ratioAllCores: null })
    const alone = await runBench({ settings: tiny, quick: true, rows: ['dcgan.infer'], backend: 'auto', pytorch: false, runners })
    expect(alone.pytorch).toEqual({ unavailable: expect.stringContaining('not requested') })
    expect(alone.rows[0]).toMatchObject({ pytorch: null, ratio: null })
    const header = formatTable(alone)
      .split('\n')
      .find((line) => line.startsWith('row'))
    expect(header).not.toMatch(/ratio|PyTorch/)
  })

  it('explains processes that end without an answer', () => {
    expect(exitReason(null, 'SIGKILL', 'x'.repeat(100) + '\nAborted(). Build with -sASSERTIONS', null)).toMatch(/^wasm heap out of memory/)
    expect(exitReason(1, null, 'first\nTypeError: bad thing\n\n', null)).toBe('exited with code 1: TypeError: bad thing')
    expect(exitReason(null, 'SIGKILL', '', 60_000 * 30)).toBe('timed out after 30 min')
  })
})

describe('row processes', () => {
  it('measures a row in its own process, and reports an unknown row as failed beside it', async () => {
    const results = await runBench({
      settings: { ...tiny, reps: 2 },
      quick: true,
      rows: ['unet.infer', 'nope.infer' as RowId],
      backend: 'wasm',
      pytorch: false,
    })
    const [unet, nope] = results.rows
    expect(results.ganvas).toMatchObject({ backend: 'wasm', threads: wantedWasmThreads() })
    expect(unet!.ganvas.ok).toBe(true)
    if (!unet!.ganvas.ok) return
    expect(unet!.ganvas.samplesMs).toHaveLength(2)
    expect(unet!.ganvas.warmupMs).toHaveLength(1)
    expect(unet!.ganvas.medianMs).toBe(median(unet!.ganvas.samplesMs))
    expect(unet!.ganvas.params).toBeGreaterThan(0)
    expect(unet!.ganvas.peakRssMb).toBeGreaterThan(10)
    expect(unet!.ganvas.tfPeakMb).toBeGreaterThanOrEqual(unet!.ganvas.tfMb)
    expect(unet!.ganvas.wasmHeapMb).toBeGreaterThan(0)
    expect(nope!.ganvas).toMatchObject({ ok: false, reason: 'unknown bench row "nope.infer"' })
  }, 60_000)
})

describe('in-process measurements', () => {
  beforeAll(useWasm)
  const plan = (id: RowId): RowPlan => ({ ...planRow(id, tiny), warmup: 1, reps: 1 })

  it('times a DCGAN training step over the trained networks (not the EMA copy)', async () => {
    const m = await measureRow(plan('dcgan.train'))
    const shape = { size: 16, z: 8, ngf: 4, ndf: 4, classes: 0 }
    const [g, d] = [dcganGenerator(shape), dcganDiscriminator(shape, { norm: 'batch', spectralNorm: false })]
    expect(m.params).toBe(countTrainableParams(g) + countTrainableParams(d))
    g.dispose()
    d.dispose()
    expect(m.samplesMs).toHaveLength(1)
    expect(m.tfPeakMb).toBeGreaterThan(0)
  })

  it('times loading a saved generator folder', async () => {
    const m = await measureRow(plan('dcgan.load'))
    expect(m.samplesMs).toHaveLength(1)
    expect(m.params).toBeGreaterThan(0)
    expect(m.tfPeakMb).toBeGreaterThan(0) // the loaded weights
    expect(m.tfMb).toBe(0)
  })
})

// Where Debian's python3-torch is installed: the PyTorch networks have the published sizes and the
// same parameter counts as ours (unet_256 and resnet_9blocks are checked by the script itself).
const python = await findPython()
describe.skipIf('unavailable' in python)('bench/pytorch_bench.py', () => {
  it('builds the same networks as the engine', () => {
    const out = spawnSync((python as { python: string }).python, [pytorchScript, '--params', '--json'], { encoding: 'utf8', timeout: 60_000 })
    const { ok, counts } = JSON.parse(out.stdout) as { ok: boolean; counts: Record<string, number> }
    expect(ok).toBe(true)
    const ours = (build: () => import('@tensorflow/tfjs').LayersModel) => {
      const model = build()
      const n = countTrainableParams(model)
      model.dispose()
      return n
    }
    const dcgan = { size: 64, z: 128, ngf: 64, ndf: 64, classes: 0 }
    expect(counts.patchgan_pix2pix).toBe(ours(() => patchGanDiscriminator({ inputChannels: 6, ndf: 64, size: 256, norm: 'batch' })))
    expect(counts.patchgan_cyclegan).toBe(ours(() => patchGanDiscriminator({ inputChannels: 3, ndf: 64, size: 256, norm: 'instance' })))
    expect(counts.dcgan_64_G).toBe(ours(() => dcganGenerator(dcgan)))
    expect(counts.dcgan_64_D).toBe(ours(() => dcganDiscriminator(dcgan, { norm: 'batch', spectralNorm: false })))
  })
})
