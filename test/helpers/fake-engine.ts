/**
 * An in-memory engine for testing the host side without a process: messages cross the fake
 * boundary through structuredClone, as they would through IPC.
 */
import type { EngineConnection, EngineLauncher } from '../../src/service/engine-host'
import type { EngineReport, EngineToHost, HostToEngine } from '../../src/shared/engine-protocol'

export const fakeReport: EngineReport = {
  backend: 'wasm',
  backendPackage: '@tensorflow/tfjs-backend-wasm',
  device: 'Fake CPU (WebAssembly SIMD, 1 thread)',
  tfjsVersion: '4.22.0',
  attempts: [
    { backend: '@tensorflow/tfjs-node-gpu', ok: false, reason: 'not installed' },
    { backend: '@tensorflow/tfjs-backend-wasm', ok: true, reason: 'active' },
  ],
}

export class FakeEngine implements EngineConnection {
  static nextPid = 1000
  readonly pid = FakeEngine.nextPid++
  readonly received: HostToEngine[] = []
  #onMessage: ((raw: unknown) => void) | null = null
  #onExit: ((code: number | null) => void) | null = null
  alive = true

  send(message: HostToEngine): void {
    if (this.alive) this.received.push(structuredClone(message))
  }
  onMessage(listener: (raw: unknown) => void): void {
    this.#onMessage = listener
  }
  onExit(listener: (code: number | null) => void): void {
    this.#onExit = listener
  }
  kill(): void {
    this.crash(null)
  }

  /** Engine → host. `unknown` so tests can also send malformed messages. */
  post(message: EngineToHost | unknown): void {
    if (this.alive) this.#onMessage?.(structuredClone(message))
  }
  crash(code: number | null = 134): void {
    if (!this.alive) return
    this.alive = false
    this.#onExit?.(code)
  }
  lastCall(): Extract<HostToEngine, { kind: 'call' }> | undefined {
    return this.received.filter((m): m is Extract<HostToEngine, { kind: 'call' }> => m.kind === 'call').at(-1)
  }
}

/** A launcher that records every engine it starts; `autoReady` makes each one report ready at once. */
export function fakeLauncher(options: { autoReady?: boolean } = {}) {
  const engines: FakeEngine[] = []
  const backends: string[] = []
  const launcher: EngineLauncher = ({ backend }) => {
    const engine = new FakeEngine()
    engines.push(engine)
    backends.push(backend)
    if (options.autoReady ?? true) queueMicrotask(() => engine.post({ kind: 'ready', report: fakeReport }))
    return engine
  }
  return { launcher, engines, backends, latest: () => engines.at(-1)! }
}

export const tick = () => new Promise((resolve) => setTimeout(resolve, 0))
