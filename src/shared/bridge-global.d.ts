/** `window.ganvas`: present in the Electron window (preload), absent in serve mode's browser tab. */
import type { GanvasBridge } from './contract'

declare global {
  interface Window {
    ganvas?: GanvasBridge
  }
}

export {}
