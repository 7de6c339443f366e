/**
 * The studio window: locked-down web preferences, shown once painted, loading either the dev
 * server (electron-vite dev) or the built renderer.
 */
import { BrowserWindow, type WebPreferences } from 'electron'
import type { LaunchConfig } from './launch-config'

/**
 * The renderer is an untrusted web page: no Node, its own JS world, Chromium's sandbox, and only
 * the preload's `window.ganvas`. Each value is spelled out (even the defaults) so a test pins it.
 */
export function secureWebPreferences(preloadPath: string, options: { devTools: boolean }): WebPreferences {
  return {
    preload: preloadPath,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    webviewTag: false,
    experimentalFeatures: false,
    navigateOnDragDrop: false,
    safeDialogs: true,
    spellcheck: false,
    devTools: options.devTools,
  }
}

export const WINDOW_TITLE = 'Ganvas'

export function createMainWindow(config: LaunchConfig): BrowserWindow {
  const window = new BrowserWindow({
    title: WINDOW_TITLE,
    width: 1360,
    height: 880,
    minWidth: 960,
    minHeight: 640,
    show: false, // shown on ready-to-show, so the user never sees an empty white frame
    backgroundColor: '#15171c',
    icon: config.iconPath,
    webPreferences: secureWebPreferences(config.preloadPath, { devTools: config.isDev }),
  })
  window.once('ready-to-show', () => window.show())

  const loading = config.devServerUrl ? window.loadURL(config.devServerUrl) : window.loadFile(config.rendererIndexPath)
  loading.catch((error: unknown) => {
    const where = config.devServerUrl ?? config.rendererIndexPath
    console.error(`[window] could not load ${where}:`, error instanceof Error ? error.message : error)
  })
  return window
}

/** Bring a window to the front, e.g. when the user launches Ganvas a second time. */
export function focusWindow(window: BrowserWindow): void {
  if (window.isMinimized()) window.restore()
  window.show()
  window.focus()
}
