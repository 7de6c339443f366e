import { describe, expect, it, vi } from 'vitest'
import { createBridge, type BridgeIpc } from '../../src/preload/bridge'
import { api, type GanvasEvent } from '../../src/shared/contract'
import { IPC_CALL, IPC_EVENT } from '../../src/shared/ipc-channels'
import { isKnownMethod, methodNameList } from '../../src/shared/method-names'

/** ipcRenderer's shape, in memory: invoke answers like main, `emit` plays main's webContents.send. */
function fakeIpc(answer: (channel: string, request: unknown) => unknown = (_c, r) => ({ id: (r as { id: number }).id, ok: true, output: {} })) {
  const listeners = new Map<string, Set<(...args: unknown[]) => void>>()
  const ipc = {
    invoke: vi.fn(async (channel: string, request: unknown) => answer(channel, request)),
    on: vi.fn((channel: string, l: (...args: unknown[]) => void) => listeners.set(channel, (listeners.get(channel) ?? new Set()).add(l))),
    removeListener: vi.fn((channel: string, l: (...args: unknown[]) => void) => listeners.get(channel)?.delete(l)),
    emit: (channel: string, payload: unknown) => {
      for (const l of listeners.get(channel) ?? []) l({ sender: 'the IPC event object', ports: [] }, payload)
    },
    count: (channel: string) => listeners.get(channel)?.size ?? 0,
  }
  return ipc satisfies BridgeIpc
}

const progress: GanvasEvent = { type: 'job.progress', jobId: 'j1', progress: { step: 1, total: 10, metrics: { loss: 0.3 } } }

describe('createBridge', () => {
  it('exposes exactly call and onEvent, frozen', () => {
    const bridge = createBridge(fakeIpc())
    expect(Object.keys(bridge).sort()).toEqual(['call', 'onEvent'])
    expect(Object.isFrozen(bridge)).toBe(true)
  })

  it('sends known methods as a CallRequest with fresh ids and returns main’s response', async () => {
    const ipc = fakeIpc()
    const bridge = createBridge(ipc)
    expect(await bridge.call('app.info', {})).toEqual({ id: 1, ok: true, output: {} })
    await bridge.call('engine.check', { steps: 2, size: 16 })
    expect(ipc.invoke).toHaveBeenNthCalledWith(1, IPC_CALL, { id: 1, method: 'app.info', input: {} })
    expect(ipc.invoke).toHaveBeenNthCalledWith(2, IPC_CALL, { id: 2, method: 'engine.check', input: { steps: 2, size: 16 } })
  })

  it('answers unknown methods itself, without touching IPC', async () => {
    const ipc = fakeIpc()
    const bridge = createBridge(ipc)
    for (const name of ['fs.readFile', '__proto__', 'constructor', 'toString', 42, null]) {
      const response = await bridge.call(name as never, {})
      expect(response).toMatchObject({ ok: false, error: { code: 'unknown_method', field: 'message.method' } })
    }
    expect(ipc.invoke).not.toHaveBeenCalled()
  })

  it('turns a failed invoke into an error response instead of a rejection', async () => {
    const bridge = createBridge(fakeIpc(() => { throw new Error('An object could not be cloned.') }))
    expect(await bridge.call('app.info', { f: () => 1 })).toMatchObject({ ok: false, error: { code: 'failed' } })
  })

  it('delivers only the event payload, never the IPC event object', () => {
    const ipc = fakeIpc()
    const seen: unknown[][] = []
    createBridge(ipc).onEvent((...args) => seen.push(args))
    ipc.emit(IPC_EVENT, progress)
    expect(seen).toEqual([[progress]])
  })

  it('unsubscribes (once, idempotently) and keeps other listeners going when one throws', () => {
    const ipc = fakeIpc()
    const bridge = createBridge(ipc)
    const error = vi.spyOn(console, 'error').mockImplementation(() => {})
    const good = vi.fn()
    bridge.onEvent(() => { throw new Error('bad listener') })
    const off = bridge.onEvent(good)
    ipc.emit(IPC_EVENT, progress)
    expect(good).toHaveBeenCalledTimes(1)
    expect(error).toHaveBeenCalled()
    off()
    off()
    expect(ipc.removeListener).toHaveBeenCalledTimes(1)
    expect(ipc.count(IPC_EVENT)).toBe(1)
    ipc.emit(IPC_EVENT, progress)
    expect(good).toHaveBeenCalledTimes(1)
  })

  it('refuses a listener that is not a function', () => {
    expect(() => createBridge(fakeIpc()).onEvent('alert(1)' as never)).toThrow(TypeError)
  })
})

describe('method-names', () => {
  it('lists exactly the contract’s methods (the preload cannot import zod to ask it)', () => {
    expect([...methodNameList].sort()).toEqual(Object.keys(api).sort())
    for (const name of Object.keys(api)) expect(isKnownMethod(name)).toBe(true)
    expect(isKnownMethod('hasOwnProperty')).toBe(false)
  })
})
