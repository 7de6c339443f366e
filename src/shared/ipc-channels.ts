/**
 * Electron IPC channel names, shared by main and preload. Kept free of imports so the sandboxed
 * preload bundle stays tiny.
 */
/** renderer → main: one CallRequest, answered with one CallResponse (ipcMain.handle / invoke). */
export const IPC_CALL = 'ganvas:call'
/** main → renderer: one GanvasEvent per message. */
export const IPC_EVENT = 'ganvas:event'
