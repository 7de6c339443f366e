/**
 * `window.ganvas`, built over whatever carries IPC (ipcRenderer in the preload, a fake in tests).
 * It exposes exactly the contract's GanvasBridge: never ipcRenderer, never an IPC event object.
 * Only types come from contract.ts, so zod stays out of the sandboxed preload bundle.
 */
import type { CallResponse, GanvasBridge, GanvasEvent } from '../shared/contract'
import { IPC_CALL, IPC_EVENT } from '../shared/ipc-channels'
import { isKnownMethod } from '../shared/method-names'

type IpcListener = (event: unknown, ...args: unknown[]) => void

/** The slice of ipcRenderer the bridge needs. */
export interface BridgeIpc {
  invoke(channel: string, ...args: unknown[]): Promise<unknown>
  on(channel: string, listener: IpcListener): unknown
  removeListener(channel: string, listener: IpcListener): unknown
}

export function createBridge(ipc: BridgeIpc): GanvasBridge {
  let nextId = 1

  const failure = (id: number, code: 'unknown_method' | 'failed', message: string, field?: string): CallResponse => ({
    id,
    ok: false,
    error: { code, message, ...(field ? { field } : {}) },
  })

  const call: GanvasBridge['call'] = async (method, input) => {
    const id = nextId++
    // Unknown names never reach main (it would reject them too); this keeps the channel quiet.
    if (!isKnownMethod(method)) {
      return failure(id, 'unknown_method', `message.method: unknown method "${String(method)}"`, 'message.method')
    }
    try {
      return (await ipc.invoke(IPC_CALL, { id, method, input })) as CallResponse
    } catch (error) {
      // e.g. an input that cannot be structured-cloned; the contract promises a response, not a throw.
      const reason = error instanceof Error ? error.message : String(error)
      return failure(id, 'failed', `The call could not be delivered: ${reason}`)
    }
  }

  const onEvent: GanvasBridge['onEvent'] = (listener) => {
    if (typeof listener !== 'function') throw new TypeError('onEvent needs a function')
    // Only the payload crosses into the page: the IPC event object (sender, ports) stays here.
    const forward: IpcListener = (_event, payload) => {
      try {
        listener(payload as GanvasEvent)
      } catch (error) {
        console.error('[ganvas] an event listener failed:', error) // one bad listener must not starve the others
      }
    }
    ipc.on(IPC_EVENT, forward)
    let subscribed = true
    return () => {
      if (!subscribed) return
      subscribed = false
      ipc.removeListener(IPC_EVENT, forward)
    }
  }

  return Object.freeze({ call, onEvent })
}
