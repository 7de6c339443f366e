/**
 * Supervises the engine process: starts it, routes calls and progress, and when it dies fails the
 * calls in flight and starts a new one, so a crash never takes the app down with it.
 * How the process is spawned (Electron utilityProcess or a Node child) is the launcher's business.
 */
import {
  EngineToHost,
  engineMethods,
  type EngineInput,
  type EngineMethodName,
  type EngineOutput,
  type EngineReport,
  type HostToEngine,
} from '../shared/engine-protocol'
import type { BackendPreference, EngineState, EngineStatus, JobProgress } from '../shared/schemas'
import { ServiceError } from './errors'

export interface EngineConnection {
  readonly pid: number | null
  send(message: HostToEngine): void
  onMessage(listener: (raw: unknown) => void): void
  /** Called once when the process is gone, for whatever reason. */
  onExit(listener: (code: number | null) => void): void
  kill(): void
}

export type EngineLauncher = (options: { backend: BackendPreference }) => EngineConnection

export interface CallOptions {
  onProgress?: (progress: JobProgress) => void
  signal?: AbortSignal
  /** Filled in with functions that pause and resume this call (for methods that support it). */
  control?: CallControl
}

export interface CallControl {
  pause?: () => void
  resume?: () => void
}

interface Pending {
  resolve(output: unknown): void
  reject(error: Error): void
  onProgress?: (progress: JobProgress) => void
}

/** More crashes than this within the window and we stop restarting and say so. */
const CRASH_LIMIT = 5
const CRASH_WINDOW_MS = 60_000

export class EngineHost {
  #connection: EngineConnection | null = null
  #state: EngineState = 'starting'
  #report: EngineReport | null = null
  #lastError: string | null = null
  #restarts = 0
  #crashTimes: number[] = []
  #pending = new Map<string, Pending>()
  #nextId = 1
  #ready = deferred()
  #disposed = false

  constructor(
    private readonly launcher: EngineLauncher,
    private backend: BackendPreference,
    private readonly onStatus: (status: EngineStatus) => void = () => {},
    private requestedBy: 'setting' | 'override' = 'setting',
  ) {}

  start(): void {
    this.#launch()
  }

  get status(): EngineStatus {
    const r = this.#report
    return {
      state: this.#state,
      requested: this.backend,
      requestedBy: this.requestedBy,
      backend: r?.backend ?? null,
      backendPackage: r?.backendPackage ?? null,
      device: r?.device ?? (this.#state === 'failed' ? 'unavailable' : 'starting…'),
      tfjsVersion: r?.tfjsVersion ?? '',
      attempts: r?.attempts ?? [],
      pid: this.#connection?.pid ?? null,
      restarts: this.#restarts,
      lastError: this.#lastError,
    }
  }

  /** Resolves once the engine has picked a backend; rejects if it cannot start. */
  whenReady(): Promise<void> {
    return this.#ready.promise
  }

  /** Restarts the engine; a backend given here is the user's new choice and replaces any override. */
  async restart(backend?: BackendPreference): Promise<EngineStatus> {
    if (backend) {
      this.backend = backend
      this.requestedBy = 'setting'
    }
    this.#shutdown('The engine was restarted while this was running.')
    this.#restarts++
    this.#crashTimes = []
    this.#launch()
    await this.whenReady().catch(() => {})
    return this.status
  }

  async call<M extends EngineMethodName>(
    method: M,
    input: EngineInput<M>,
    options: CallOptions = {},
  ): Promise<EngineOutput<M>> {
    await this.whenReady().catch((error: Error) => {
      throw new ServiceError('engine_unavailable', `The engine is not running: ${error.message}`)
    })
    const connection = this.#connection
    if (!connection) throw new ServiceError('engine_unavailable', 'The engine is not running.')
    const id = `c${this.#nextId++}`
    const output = await new Promise<unknown>((resolve, reject) => {
      this.#pending.set(id, { resolve, reject, onProgress: options.onProgress })
      const abort = () => connection.send({ kind: 'cancel', id })
      if (options.control) {
        options.control.pause = () => connection.send({ kind: 'pause', id })
        options.control.resume = () => connection.send({ kind: 'resume', id })
      }
      if (options.signal?.aborted) abort()
      else options.signal?.addEventListener('abort', abort, { once: true })
      connection.send({ kind: 'call', id, method, input })
    })
    return engineMethods[method].output.parse(output) as EngineOutput<M>
  }

  dispose(): void {
    this.#disposed = true
    this.#shutdown('Ganvas is shutting down.')
  }

  #launch(): void {
    this.#state = this.#restarts > 0 ? 'restarting' : 'starting'
    this.#report = null
    if (this.#ready.settled) this.#ready = deferred()
    const connection = this.launcher({ backend: this.backend })
    this.#connection = connection
    connection.onMessage((raw) => {
      if (this.#connection === connection) this.#receive(raw)
    })
    connection.onExit((code) => {
      if (this.#connection === connection) this.#crashed(code)
    })
    this.#emit()
  }

  #receive(raw: unknown): void {
    const parsed = EngineToHost.safeParse(raw)
    if (!parsed.success) {
      console.warn('[engine-host] ignored a malformed message from the engine:', parsed.error.issues[0]?.message)
      return
    }
    const message = parsed.data
    switch (message.kind) {
      case 'ready':
        this.#report = message.report
        this.#state = 'ready'
        this.#lastError = null
        this.#ready.resolve()
        this.#emit()
        return
      case 'fatal':
        this.#lastError = message.error
        this.#state = 'failed'
        this.#ready.reject(new Error(message.error))
        this.#emit()
        return
      case 'progress':
        this.#pending.get(message.id)?.onProgress?.(message.progress)
        return
      case 'result':
        this.#pending.get(message.id)?.resolve(message.output)
        this.#pending.delete(message.id)
        return
      case 'error': {
        // The engine's messages are written for the user (bad class name, unreadable file): pass them on as they are.
        const error = message.cancelled ? new CancelledError(message.error) : new ServiceError('failed', message.error)
        this.#pending.get(message.id)?.reject(error)
        this.#pending.delete(message.id)
        return
      }
    }
  }

  #crashed(code: number | null): void {
    this.#connection = null
    const reason =
      this.#state === 'failed' && this.#lastError
        ? this.#lastError
        : `The engine process stopped unexpectedly (exit code ${code ?? 'unknown'}).`
    this.#failPending(reason)
    if (this.#disposed) return
    this.#lastError = reason
    const now = Date.now()
    this.#crashTimes = [...this.#crashTimes.filter((t) => now - t < CRASH_WINDOW_MS), now]
    if (this.#state === 'failed' || this.#crashTimes.length > CRASH_LIMIT) {
      this.#state = 'failed'
      this.#ready.reject(new Error(reason))
      this.#emit()
      return
    }
    this.#restarts++
    this.#launch()
  }

  #shutdown(reason: string): void {
    const connection = this.#connection
    this.#connection = null
    this.#failPending(reason)
    connection?.kill()
  }

  #failPending(reason: string): void {
    for (const pending of this.#pending.values()) pending.reject(new Error(reason))
    this.#pending.clear()
  }

  #emit(): void {
    this.onStatus(this.status)
  }
}

export class CancelledError extends Error {
  override name = 'CancelledError'
}

function deferred() {
  let resolve!: () => void
  let reject!: (e: Error) => void
  const d = {
    settled: false,
    promise: new Promise<void>((res, rej) => {
      resolve = res
      reject = rej
    }),
    resolve: () => {
      d.settled = true
      resolve()
    },
    reject: (e: Error) => {
      d.settled = true
      reject(e)
    },
  }
  d.promise.catch(() => {}) // a start-up failure is reported through status, not as an unhandled rejection
  return d
}
