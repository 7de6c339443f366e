/**
 * The contract over Electron IPC. Calls: `ipcMain.handle(IPC_CALL)`, checked against the sender
 * and then given to the same `dispatch` serve mode uses. Events: `webContents.send(IPC_EVENT)` to
 * every window showing our page.
 *
 * Why webContents.send and not a MessagePort stream: our events are small JSON objects (status,
 * job progress a few times a second) fanned out to every window, exactly like serve mode's
 * WebSocket broadcast. A port would need a per-window handshake, re-made on every reload, and
 * a sandboxed preload can hand a port to the page only through window.postMessage, outside the
 * contract. Revisit with one port per job if progress ever carries large image buffers.
 */
import { BrowserWindow, ipcMain } from 'electron'
import type { CallResponse } from '../shared/contract'
import { IPC_CALL, IPC_EVENT } from '../shared/ipc-channels'
import { dispatch } from '../service/dispatch'
import type { Host } from '../service/host'
import { isTrustedSender } from './security'
import { isAppUrl, type AppOrigin } from './trust'

export function registerIpc(host: Host, origin: AppOrigin): () => void {
  ipcMain.handle(IPC_CALL, async (event, raw: unknown): Promise<CallResponse> => {
    if (!isTrustedSender(event.senderFrame, origin)) {
      console.warn('[ipc] refused a call from an untrusted frame:', event.senderFrame?.url ?? '(gone)')
      return forbidden(raw)
    }
    return dispatch(host.handlers, raw)
  })

  const unsubscribe = host.events.subscribe((event) => {
    for (const window of BrowserWindow.getAllWindows()) {
      const contents = window.webContents
      // Only to a page that is ours: a window never shows anything else, but check rather than assume.
      if (!window.isDestroyed() && !contents.isDestroyed() && isAppUrl(contents.getURL(), origin)) {
        contents.send(IPC_EVENT, event)
      }
    }
  })

  return () => {
    unsubscribe()
    ipcMain.removeHandler(IPC_CALL)
  }
}

function forbidden(raw: unknown): CallResponse {
  const id = typeof raw === 'object' && raw !== null ? (raw as { id?: unknown }).id : undefined
  return {
    id: typeof id === 'number' && Number.isSafeInteger(id) && id >= 0 ? id : -1,
    ok: false,
    error: { code: 'forbidden', message: 'This page may not call Ganvas.' },
  }
}
