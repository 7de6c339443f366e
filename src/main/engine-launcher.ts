/**
 * Runs the engine in an Electron utilityProcess: a Node process of its own, so training never
 * blocks the window, a native crash (CUDA, libtensorflow) never takes the app down, and
 * tfjs-node's addon loads in a fresh process (it refuses a second worker_thread).
 */
import { utilityProcess } from 'electron'
import type { EngineConnection, EngineLauncher } from '../service/engine-host'
import type { HostToEngine } from '../shared/engine-protocol'

/** enginePath: the built out/main/engine.js beside main's own bundle. */
export function electronEngineLauncher(enginePath: string): EngineLauncher {
  return ({ backend }) => {
    const child = utilityProcess.fork(enginePath, [], {
      serviceName: 'Ganvas engine',
      env: { ...process.env, GANVAS_BACKEND: backend },
      stdio: 'inherit',
    })
    let exited = false
    child.once('exit', () => {
      exited = true
    })
    child.on('error', (type, location) => console.error(`[engine] ${type} at ${location}`))

    const connection: EngineConnection = {
      // undefined until spawned and again after exit; the host reads it whenever it reports status.
      get pid() {
        return child.pid ?? null
      },
      send(message: HostToEngine) {
        if (!exited) child.postMessage(message)
      },
      onMessage(listener) {
        child.on('message', listener)
      },
      onExit(listener) {
        child.once('exit', (code) => listener(code))
      },
      kill() {
        if (!exited) child.kill()
      },
    }
    return connection
  }
}
