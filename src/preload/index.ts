/**
 * Sandboxed preload: exposes the contract carrier as `window.ganvas` and nothing else.
 * Bundled into one CommonJS file (out/preload/index.cjs); only `electron` is required at runtime.
 */
import { contextBridge, ipcRenderer } from 'electron'
import { createBridge } from './bridge'

contextBridge.exposeInMainWorld('ganvas', createBridge(ipcRenderer))
