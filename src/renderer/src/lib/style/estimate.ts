/**
 * A rough time per training step, computed from the networks' multiply-adds (cheap, no engine
 * call) and a typical throughput of each backend. Shown before a run starts; once it runs, the
 * engine's own ETA replaces it.
 */
import type { StyleTrainForm } from './train-form'
import { effectiveBlocks } from './train-form'

/** Multiply-adds of one forward pass of the ResNet generator (Zhu et al. 2017) at `size`. */
export function resnetMacs(size: number, ngf: number, blocks: number): number {
  const full = size * size
  const half = full / 4
  const quarter = full / 16
  const stem = 7 * 7 * 3 * ngf * full
  const down = 9 * ngf * (2 * ngf) * half + 9 * (2 * ngf) * (4 * ngf) * quarter
  const residual = blocks * 2 * 9 * (4 * ngf) ** 2 * quarter
  // A transposed conv costs k² · Cin · Cout per input pixel.
  const up = 9 * (4 * ngf) * (2 * ngf) * quarter + 9 * (2 * ngf) * ngf * half
  const head = 7 * 7 * ngf * 3 * full
  return stem + down + residual + up + head
}

/** Multiply-adds of one forward pass of the 70×70 PatchGAN (3 layers) at `size`. */
export function patchGanMacs(size: number, ndf: number): number {
  const out = (side: number, stride: number) => Math.floor((side + 2 - 4) / stride) + 1
  let side = size
  let channels = 3
  let macs = 0
  const widths = [ndf, ndf * 2, ndf * 4, ndf * 8, 1]
  const strides = [2, 2, 2, 1, 1]
  for (let i = 0; i < widths.length; i++) {
    side = out(side, strides[i]!)
    macs += 16 * channels * widths[i]! * side * side
    channels = widths[i]!
  }
  return macs
}

/**
 * FLOPs of one CycleGAN step: each generator runs on real, reconstructed and (with an identity
 * weight) identity images; each discriminator on real and fake for its own loss and on fake for
 * G's. A backward pass costs about twice the forward one.
 */
export function cycleganStepFlops(form: Pick<StyleTrainForm, 'size' | 'ngf' | 'ndf' | 'blocks' | 'batch' | 'lambdaIdentity'>): number {
  const gPasses = form.lambdaIdentity > 0 ? 6 : 4
  const dPasses = 6
  const g = resnetMacs(form.size, form.ngf, effectiveBlocks(form))
  const d = patchGanMacs(form.size, form.ndf)
  return 2 * 3 * form.batch * (gPasses * g + dPasses * d)
}

export interface BackendInfo {
  backend: 'tensorflow' | 'wasm' | 'cpu' | null
  backendPackage: string | null
}

/**
 * Typical training speed of each backend: sustained GFLOP/s on these networks plus a fixed cost
 * per step (many small ops: norms, pads, the optimiser). WebAssembly measured on the build machine
 * (2 cores, 1 thread): 32 px/ngf 4 ≈ 1.2 s per step, 64 px/ngf 16 ≈ 6.7 s, 128 px/ngf 16 ≈ 20 s;
 * native TensorFlow from the published PyTorch CPU timings there (~30 GFLOP/s); a GPU is a guess.
 */
export function typicalSpeed({ backend, backendPackage }: BackendInfo): { gflops: number; overhead: number; on: string } {
  if (backend === 'tensorflow' && backendPackage?.includes('gpu')) return { gflops: 2000, overhead: 0.02, on: 'a GPU' }
  if (backend === 'tensorflow') return { gflops: 30, overhead: 0.05, on: 'the CPU (native TensorFlow)' }
  if (backend === 'wasm') return { gflops: 1.2, overhead: 0.7, on: 'the CPU (WebAssembly)' }
  if (backend === 'cpu') return { gflops: 0.1, overhead: 5, on: 'plain JavaScript' }
  return { gflops: 30, overhead: 0.05, on: 'a typical CPU' }
}

export interface Estimate {
  secondsPerStep: number
  totalSeconds: number
  on: string
}

export function estimateRun(form: StyleTrainForm, backend: BackendInfo): Estimate {
  const { gflops, overhead, on } = typicalSpeed(backend)
  const secondsPerStep = overhead + cycleganStepFlops(form) / (gflops * 1e9)
  return { secondsPerStep, totalSeconds: secondsPerStep * form.steps, on }
}

/** "about 40 s", "about 6 hours", "about 2 days": one rounded unit, as a rough estimate should be. */
export function roughDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return 'unknown'
  if (seconds < 1) return 'under a second'
  if (seconds < 90) return `about ${Math.round(seconds)} s`
  const minutes = seconds / 60
  if (minutes < 90) return `about ${Math.round(minutes)} min`
  const hours = minutes / 60
  if (hours < 36) return `about ${Math.round(hours)} ${Math.round(hours) === 1 ? 'hour' : 'hours'}`
  const days = Math.round(hours / 24)
  return `about ${days} ${days === 1 ? 'day' : 'days'}`
}

/** "1 min 05 s left", for the engine's live ETA. */
export function remaining(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return ''
  const s = Math.round(seconds)
  if (s < 60) return `${s} s left`
  const m = Math.floor(s / 60)
  if (m < 60) return `${m} min ${String(s % 60).padStart(2, '0')} s left`
  return `${Math.floor(m / 60)} h ${String(m % 60).padStart(2, '0')} min left`
}
