/** Ganvas main process: lifecycle only; each module it wires says what it owns or guards. */
import { BrowserWindow, app, shell } from 'electron'
import { resolveHome } from '../service/app-home'
import { createHost } from '../service/host'
import { pickFolder, showStartupError } from './dialogs'
import { electronEngineLauncher } from './engine-launcher'
import { registerIpc } from './ipc'
import { readLaunchConfig } from './launch-config'
import { installMenu } from './menu'
import { hardenApp } from './security'
import { createMainWindow, focusWindow } from './window'

app.enableSandbox() // before ready: every renderer is sandboxed, whatever a window asks for
const config = readLaunchConfig({
  env: process.env,
  isPackaged: app.isPackaged,
  platform: process.platform,
  mainDir: import.meta.dirname,
  appPath: app.getAppPath(),
})
for (const warning of config.warnings) console.warn(`[ganvas] ${warning}`)

// One studio per user: settings, models and the GPU are shared; a second launch focuses the first.
if (!app.requestSingleInstanceLock()) app.quit()
else start().catch(showStartupError)

async function start(): Promise<void> {
  let window: BrowserWindow | null = null
  const open = () => {
    window = createMainWindow(config)
    window.on('closed', () => (window = null))
  }
  app.on('second-instance', () => window && focusWindow(window))
  app.on('window-all-closed', () => process.platform !== 'darwin' && app.quit())
  await app.whenReady()

  hardenApp(config.origin)
  const host = await createHost({
    home: resolveHome({ electronUserData: app.getPath('userData') }),
    transport: 'electron',
    version: app.getVersion(),
    launcher: electronEngineLauncher(config.enginePath),
    backendOverride: config.backendOverride,
    pickFolder: () => pickFolder(BrowserWindow.getFocusedWindow() ?? window),
    reveal: (path) => shell.showItemInFolder(path),
  })
  const disposeIpc = registerIpc(host, config.origin)
  app.on('before-quit', () => {
    disposeIpc()
    host.dispose() // the engine process goes with the app
  })
  // Through the host, like the renderer's call: the chosen folder becomes an allowed root.
  installMenu({ isDev: config.isDev, openFolder: () => host.handlers['files.pickFolder']({}) })
  open()
  app.on('activate', () => BrowserWindow.getAllWindows().length === 0 && open())
}
