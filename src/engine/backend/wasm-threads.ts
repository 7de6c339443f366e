/**
 * Starts TF.js's wasm backend on its multi-threaded SIMD build under Node, which TF.js 4.22 turns
 * off there (tfjs#3830). Three things stand in the way, each handled here for the start-up only:
 *  - the WASM_HAS_MULTITHREAD_SUPPORT flag answers false under Node: set it;
 *  - the pthread workers are created from blob: URLs (of the worker script, and of the module the
 *    worker loads), which Node's Worker cannot open: while the backend starts, worker_threads.Worker
 *    runs the package's own worker script with `eval`, and the module from its file in wasm-out/;
 *  - the C side caps the pool at emscripten_num_logical_cores() / 2 (it assumes two hyper-threads
 *    per core), and emscripten reads that from os.cpus(): it sees twice the cores while it starts.
 * XNNPack then splits convolutions and matrix products over the threads (measured here: a 3×3
 * conv 128→128 at 128×128 went from 220 to 125 ms with 2 threads). The workers never hold the
 * process open, so a finished CLI command exits as before.
 */
import { createRequire } from 'node:module'
import * as os from 'node:os'
import * as path from 'node:path'
import * as workerThreads from 'node:worker_threads'
import * as tf from '@tensorflow/tfjs'
import { getThreadsCount, setThreadsCount } from '@tensorflow/tfjs-backend-wasm'

const require = createRequire(import.meta.url)

/** Threads the wasm backend computes on: GANVAS_WASM_THREADS, else every core (at most 8: the emscripten pool's size). */
export function wantedWasmThreads(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.GANVAS_WASM_THREADS
  if (raw != null && raw !== '') {
    const n = Number(raw)
    if (!Number.isInteger(n) || n < 1) throw new Error(`GANVAS_WASM_THREADS must be a whole number ≥ 1 (got "${raw}")`)
    return Math.min(n, 8)
  }
  return Math.max(1, Math.min(os.availableParallelism(), 8))
}

const wasmOut = () => path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm/wasm-out/tfjs-backend-wasm-threaded-simd.js'))

/** worker_threads.Worker for emscripten's pthread pool: the same worker, from sources Node can run. */
function pthreadWorkerClass(Base: typeof workerThreads.Worker): typeof workerThreads.Worker {
  const dir = wasmOut()
  // Packaged, the workers read the unpacked copy (electron-builder.yml): asar is the main thread's.
  const moduleFile = path.join(dir, 'tfjs-backend-wasm-threaded-simd.js').replace(/([\\/])app\.asar([\\/])/, '$1app.asar.unpacked$2')
  // The package ships the worker as a string for a Blob; its "\n" escapes must stay escapes in eval.
  const workerSource = (require(path.join(dir, 'tfjs-backend-wasm-threaded-simd.worker.js')) as { wasmWorkerContents: string })
    .wasmWorkerContents.replace(/\n/g, '\\n')
  return class PthreadWorker extends Base {
    constructor(_url: string | URL, options?: workerThreads.WorkerOptions) {
      super(workerSource, { ...options, eval: true })
      this.unref()
    }

    /**
     * emscripten refs a worker while a pthread runs on it, and XNNPack's pool threads run (idle) for
     * the life of the backend, which would keep a finished process alive. The main thread waits for
     * every parallel operation synchronously, so there is never pending work to keep the process for.
     */
    override ref(): void {}

    override postMessage(message: unknown, transfer?: readonly workerThreads.TransferListItem[]): void {
      // 'load' names the module to import as a Blob; the same module is on disk.
      const m = message as { cmd?: string } | null
      super.postMessage(m?.cmd === 'load' ? { ...m, urlOrBlob: moduleFile } : message, transfer)
    }
  }
}

/**
 * Initialises the 'wasm' backend on `threads` threads and makes it active. With 1 thread it is the
 * plain SIMD build (no workers). Returns the thread count XNNPack reports.
 */
export async function startWasmBackend(threads: number): Promise<number> {
  if (tf.findBackend('wasm') != null) return getThreadsCount() // already started (threads are fixed at start)
  setThreadsCount(threads)
  const restore = threads > 1 ? prepareThreadedStart() : () => {}
  try {
    if (!(await tf.setBackend('wasm'))) throw new Error('TF.js could not initialise the wasm backend')
  } finally {
    restore()
  }
  return getThreadsCount()
}

/** The three start-up changes of the header comment; returns what undoes the two patches. */
function prepareThreadedStart(): () => void {
  tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', true)
  const workerModule = require('node:worker_threads') as { Worker: typeof workerThreads.Worker }
  const osModule = require('node:os') as { cpus: typeof os.cpus }
  const [Worker, cpus] = [workerModule.Worker, osModule.cpus]
  workerModule.Worker = pthreadWorkerClass(Worker)
  osModule.cpus = () => [...cpus(), ...cpus()]
  return () => {
    workerModule.Worker = Worker
    osModule.cpus = cpus
  }
}
