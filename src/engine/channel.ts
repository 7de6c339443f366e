/**
 * The engine's line to its host: Electron's utilityProcess gives `process.parentPort`, a Node
 * child process gives `process.send`. The engine never imports electron, so both are duck-typed.
 */
import type { EngineToHost } from '../shared/engine-protocol'

interface ParentPort {
  on(event: 'message', listener: (event: { data: unknown }) => void): void
  postMessage(message: unknown): void
}

export interface HostChannel {
  post(message: EngineToHost): void
  onMessage(listener: (raw: unknown) => void): void
}

export function openHostChannel(): HostChannel {
  const parentPort = (process as unknown as { parentPort?: ParentPort }).parentPort
  if (parentPort) {
    return {
      post: (message) => parentPort.postMessage(message),
      onMessage: (listener) => parentPort.on('message', (event) => listener(event.data)),
    }
  }
  if (process.send) {
    const send = process.send.bind(process)
    // When the host goes away, so do we: an orphaned engine would hold the GPU and memory.
    process.on('disconnect', () => process.exit(0))
    return { post: (message) => void send(message), onMessage: (listener) => void process.on('message', listener) }
  }
  throw new Error('The engine must be started by Ganvas (no parent process channel found).')
}
