import { describe, expect, it, vi } from 'vitest'
import type { CallResponse, GanvasEvent } from '../../src/shared/contract'
import { IPC_CALL, IPC_EVENT } from '../../src/shared/ipc-channels'
import type { Host } from '../../src/service/host'
import { EventHub } from '../../src/service/event-hub'
import type { AppOrigin } from '../../src/main/trust'

const electron = vi.hoisted(() => {
  const handlers = new Map<string, (...args: any[]) => Promise<unknown>>()
  const windows: unknown[] = []
  return {
    handlers,
    windows,
    trusted: { value: true },
    module: {
      ipcMain: {
        handle: (channel: string, h: (...args: any[]) => Promise<unknown>) => handlers.set(channel, h),
        removeHandler: (channel: string) => handlers.delete(channel),
      },
      BrowserWindow: { getAllWindows: () => windows },
    },
  }
})
vi.mock('electron', () => electron.module)
// The sender check is tested in security.test.ts; here it is a switch.
vi.mock('../../src/main/security', () => ({ isTrustedSender: () => electron.trusted.value }))

const { registerIpc } = await import('../../src/main/ipc')

const INDEX = 'file:///app/out/renderer/index.html'
const origin: AppOrigin = { rendererIndexUrl: INDEX, devServerUrl: null, caseInsensitivePaths: false }

function fakeHost(): Host {
  const info = vi.fn(async () => ({ version: '0.1.0', transport: 'electron' as const, home: '/home/u/.config/Ganvas' }))
  return { handlers: { 'app.info': info } as unknown as Host['handlers'], events: new EventHub() } as unknown as Host
}
function fakeWindow(url: string) {
  const sent: unknown[][] = []
  return {
    sent,
    isDestroyed: () => false,
    webContents: { isDestroyed: () => false, getURL: () => url, send: (...args: unknown[]) => sent.push(args) },
  }
}
const call = (raw: unknown) =>
  electron.handlers.get(IPC_CALL)!({ senderFrame: { url: INDEX } }, raw) as Promise<CallResponse>

describe('registerIpc', () => {
  const host = fakeHost()
  const dispose = registerIpc(host, origin)

  it('dispatches trusted calls through the shared dispatcher', async () => {
    electron.trusted.value = true
    expect(await call({ id: 3, method: 'app.info', input: {} })).toEqual({
      id: 3,
      ok: true,
      output: { version: '0.1.0', transport: 'electron', home: '/home/u/.config/Ganvas' },
    })
    expect((await call({ id: 4, method: 'nope', input: {} })) as { error: { code: string } }).toMatchObject({ id: 4, error: { code: 'unknown_method' } })
  })

  it('answers untrusted senders with forbidden, without running anything', async () => {
    electron.trusted.value = false
    vi.spyOn(console, 'warn').mockImplementation(() => {})
    expect(await call({ id: 5, method: 'app.info', input: {} })).toMatchObject({ id: 5, ok: false, error: { code: 'forbidden' } })
    expect(await call('garbage')).toMatchObject({ id: -1, ok: false, error: { code: 'forbidden' } })
    expect(host.handlers['app.info']).toHaveBeenCalledTimes(1) // only the trusted call above
  })

  it('sends events to windows showing our page only', () => {
    const ours = fakeWindow(`${INDEX}#/train`)
    const stray = fakeWindow('https://evil.example/')
    electron.windows.push(ours, stray)
    const event: GanvasEvent = { type: 'job.progress', jobId: 'j1', progress: { step: 1, total: 2, metrics: { loss: 0.5 } } }
    host.events.emit(event)
    expect(ours.sent).toEqual([[IPC_EVENT, event]])
    expect(stray.sent).toEqual([])
  })

  it('removes the handler and stops forwarding when disposed', () => {
    dispose()
    expect(electron.handlers.has(IPC_CALL)).toBe(false)
    const late = fakeWindow(INDEX)
    electron.windows.push(late)
    host.events.emit({ type: 'job.progress', jobId: 'j1', progress: { step: 2, total: 2, metrics: {} } })
    expect(late.sent).toEqual([])
  })
})
