/**
 * Picks the carrier of the contract once, at start-up: Electron's preload bridge when present,
 * otherwise the serve-mode WebSocket on this page's origin.
 */
import type { GanvasBridge } from '../../../shared/contract'
import { socketUrlFor, WsBridge, type ConnectionSource } from './ws-bridge'

export interface Transport {
  kind: 'electron' | 'websocket'
  bridge: GanvasBridge
  connection: ConnectionSource
  /** Stops reconnecting and fails what is in flight (the Electron bridge needs nothing). */
  dispose(): void
}

/** IPC to our own main process does not drop, so its connection is simply always open. */
const alwaysOpen: ConnectionSource = { state: 'open', failedAttempts: 0, onStateChange: () => () => {} }

export function chooseTransport(): Transport {
  const preloadBridge = window.ganvas
  if (preloadBridge) return { kind: 'electron', bridge: preloadBridge, connection: alwaysOpen, dispose: () => {} }
  const socket = new WsBridge({ url: socketUrlFor(window.location) })
  return { kind: 'websocket', bridge: socket, connection: socket, dispose: () => socket.close() }
}
