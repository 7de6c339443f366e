/**
 * Picks the TF.js backend: tfjs-node-gpu (CUDA) → tfjs-node (native CPU) → wasm → cpu, or the one
 * the user asked for. Every attempt is recorded with its reason so the UI can say why a preferred
 * backend is not active.
 */
import { execFileSync } from 'node:child_process'
import { createRequire } from 'node:module'
import { cpus } from 'node:os'
import * as tf from '@tensorflow/tfjs'
import '@tensorflow/tfjs-backend-wasm'
import type { EngineReport } from '../../shared/engine-protocol'
import type { BackendAttempt, BackendName, BackendPreference } from '../../shared/schemas'
import { installLeanGradients } from './lean-gradients'
import { registerWasmTrainingKernels } from './wasm-kernels'
import { startWasmBackend, wantedWasmThreads } from './wasm-threads'
import { prepareWinogradSimd } from './wasm-winograd-simd'

const require = createRequire(import.meta.url)

interface Candidate {
  backend: BackendName
  package: string
  /** Makes the backend available and returns the device description, or throws why not. */
  load(): Promise<string>
}

const cpuModel = () => `${cpus()[0]?.model.trim() ?? 'CPU'} × ${cpus().length}`

const candidates: Record<'node-gpu' | 'node' | 'wasm' | 'cpu', Candidate> = {
  'node-gpu': {
    backend: 'tensorflow',
    package: '@tensorflow/tfjs-node-gpu',
    async load() {
      loadNative('@tensorflow/tfjs-node-gpu')
      return `${gpuName() ?? 'CUDA GPU'} (CUDA)`
    },
  },
  node: {
    backend: 'tensorflow',
    package: '@tensorflow/tfjs-node',
    async load() {
      loadNative('@tensorflow/tfjs-node')
      return `${cpuModel()} (native TensorFlow)`
    },
  },
  wasm: {
    backend: 'wasm',
    package: '@tensorflow/tfjs-backend-wasm',
    async load() {
      registerWasmTrainingKernels()
      const simd = await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT')
      const wanted = simd ? wantedWasmThreads() : 1
      const threads = await startWasmBackend(wanted).catch((error: unknown) => {
        if (wanted === 1) throw error
        const reason = error instanceof Error ? error.message : String(error)
        throw new Error(`${reason} (on ${wanted} threads; GANVAS_WASM_THREADS=1 starts it on one)`)
      })
      if (simd) await prepareWinogradSimd(tf.findBackend('wasm')!)
      return `${cpuModel()} (WebAssembly${simd ? ' SIMD' : ''}, ${threads === 1 ? '1 thread' : `${threads} threads`})`
    },
  },
  cpu: {
    backend: 'cpu',
    package: '@tensorflow/tfjs-backend-cpu',
    async load() {
      return `${cpuModel()} (plain JavaScript: very slow for training)`
    },
  },
}

const order: Record<BackendPreference, (keyof typeof candidates)[]> = {
  auto: ['node-gpu', 'node', 'wasm', 'cpu'],
  tensorflow: ['node-gpu', 'node', 'wasm', 'cpu'],
  wasm: ['wasm', 'cpu'],
  cpu: ['cpu'],
}

export async function selectBackend(preference: BackendPreference): Promise<EngineReport> {
  wantedWasmThreads() // a bad GANVAS_WASM_THREADS is an error, not a reason to fall back to plain JS
  const attempts: BackendAttempt[] = []
  for (const key of order[preference]) {
    const candidate = candidates[key]
    try {
      const device = await candidate.load()
      if (!(await tf.setBackend(candidate.backend))) throw new Error('TF.js could not initialise it')
      await tf.ready()
      smokeTest()
      installLeanGradients() // frees as the backward pass goes: same gradients, far lower peak memory
      attempts.push({ backend: candidate.package, ok: true, reason: 'active' })
      return {
        backend: candidate.backend,
        backendPackage: candidate.package,
        device,
        tfjsVersion: tf.version.tfjs,
        attempts,
      }
    } catch (error) {
      attempts.push({ backend: candidate.package, ok: false, reason: explain(candidate.package, error) })
    }
  }
  throw new Error(`No TF.js backend could start: ${attempts.map((a) => `${a.backend}: ${a.reason}`).join('; ')}`)
}

/** A native library can load and still fail on first use (wrong CUDA); find out now, not mid-run. */
function smokeTest(): void {
  const value = tf.tidy(() => tf.add(tf.scalar(1), tf.scalar(2)).dataSync()[0])
  if (value !== 3) throw new Error(`arithmetic check failed (1 + 2 gave ${value})`)
}

function loadNative(name: string): void {
  // tfjs-node 4.22 calls util.isNullOrUndefined, which Node 23+ (and Electron ≥ 40) removed.
  const util = require('node:util') as { isNullOrUndefined?: (v: unknown) => boolean }
  util.isNullOrUndefined ??= (v: unknown) => v === null || v === undefined
  require(name)
}

function gpuName(): string | null {
  try {
    const out = execFileSync('nvidia-smi', ['--query-gpu=name', '--format=csv,noheader'], { timeout: 3000 })
    return out.toString().split('\n')[0]?.trim() || null
  } catch {
    return null
  }
}

/** Turns loader errors into what the user should know and do. */
export function explain(pkg: string, error: unknown): string {
  const message = error instanceof Error ? error.message : String(error)
  if (/Cannot find module/.test(message) && message.includes(pkg)) {
    return `not installed (its install downloads libtensorflow, which needs internet; run "npm install ${pkg}" on a connected machine)`
  }
  if (/libcudart\.so\.11\.0|libcudnn\.so\.8/.test(message)) {
    return 'needs CUDA 11.2 and cuDNN 8.1 (libcudart.so.11.0 / libcudnn.so.8 not found); CUDA 12 alone is not enough'
  }
  if (/did not self-register/.test(message)) {
    return 'its native addon was already loaded in another thread of this process ("Module did not self-register")'
  }
  if (/libtensorflow|\.node/.test(message)) {
    return `its native library failed to load: ${message.split('\n')[0]}`
  }
  return message.split('\n')[0] ?? 'failed'
}
