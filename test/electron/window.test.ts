import { beforeEach, describe, expect, it, vi } from 'vitest'
import type { LaunchConfig } from '../../src/main/launch-config'

// A stand-in BrowserWindow that records how it was built and what it loaded (no Electron binary here).
const fake = vi.hoisted(() => {
  class FakeBrowserWindow {
    static made: FakeBrowserWindow[] = []
    loaded: { url?: string; file?: string } = {}
    shown = false
    readonly handlers = new Map<string, () => void>()
    constructor(readonly options: Record<string, unknown>) {
      FakeBrowserWindow.made.push(this)
    }
    once(event: string, handler: () => void) {
      this.handlers.set(event, handler)
    }
    show() {
      this.shown = true
    }
    loadURL(url: string) {
      this.loaded.url = url
      return Promise.resolve()
    }
    loadFile(file: string) {
      this.loaded.file = file
      return Promise.resolve()
    }
  }
  return { FakeBrowserWindow }
})
vi.mock('electron', () => ({ BrowserWindow: fake.FakeBrowserWindow }))

const { createMainWindow, secureWebPreferences, WINDOW_TITLE } = await import('../../src/main/window')

const config: LaunchConfig = {
  isDev: false,
  devServerUrl: null,
  preloadPath: '/app/out/preload/index.cjs',
  rendererIndexPath: '/app/out/renderer/index.html',
  enginePath: '/app/out/main/engine.js',
  iconPath: '/app/resources/icon.png',
  origin: { rendererIndexUrl: 'file:///app/out/renderer/index.html', devServerUrl: null, caseInsensitivePaths: false },
  backendOverride: undefined,
  warnings: [],
}

beforeEach(() => {
  fake.FakeBrowserWindow.made = []
})

describe('secureWebPreferences', () => {
  it('isolates and sandboxes the renderer, with no Node anywhere', () => {
    expect(secureWebPreferences('/p.cjs', { devTools: false })).toEqual({
      preload: '/p.cjs',
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
      devTools: false,
    })
  })
})

describe('createMainWindow', () => {
  it('builds the window with exactly those preferences and loads the built renderer', () => {
    createMainWindow(config)
    const [window] = fake.FakeBrowserWindow.made
    expect(window?.options).toMatchObject({ title: WINDOW_TITLE, show: false, icon: config.iconPath })
    expect(window?.options.webPreferences).toEqual(secureWebPreferences(config.preloadPath, { devTools: false }))
    expect(window?.loaded).toEqual({ file: config.rendererIndexPath })
    expect(WINDOW_TITLE).toBe('Ganvas')
  })

  it('shows only when ready, and uses the dev server (with devtools) in development', () => {
    createMainWindow({ ...config, isDev: true, devServerUrl: 'http://localhost:5173/' })
    const [window] = fake.FakeBrowserWindow.made
    expect(window?.loaded).toEqual({ url: 'http://localhost:5173/' })
    expect((window?.options.webPreferences as { devTools: boolean }).devTools).toBe(true)
    expect(window?.shown).toBe(false)
    window?.handlers.get('ready-to-show')?.()
    expect(window?.shown).toBe(true)
  })
})
