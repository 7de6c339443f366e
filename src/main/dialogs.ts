/** Native dialogs. A folder the user picks here is the only way a new folder becomes readable. */
import { app, dialog, type BrowserWindow, type OpenDialogOptions } from 'electron'

/** The folder the user chose, or null if they cancelled. Modal to `window` when there is one. */
export async function pickFolder(window: BrowserWindow | null): Promise<string | null> {
  const options: OpenDialogOptions = {
    title: 'Choose a folder of images',
    buttonLabel: 'Use this folder',
    properties: ['openDirectory', 'createDirectory'],
  }
  const result = window && !window.isDestroyed() ? await dialog.showOpenDialog(window, options) : await dialog.showOpenDialog(options)
  return result.canceled ? null : (result.filePaths[0] ?? null)
}

/** Start-up failed (e.g. the data folder is not writable): say why, then quit rather than hang windowless. */
export function showStartupError(error: unknown): void {
  console.error('[ganvas] could not start:', error)
  dialog.showErrorBox('Ganvas could not start', error instanceof Error ? error.message : String(error))
  app.exit(1)
}
