/**
 * Runs the engine as a Node child process (serve mode, CLI, tests). The engine source is run
 * through tsx, so no build step is needed; Electron uses utilityProcess instead (src/main).
 */
import { fork } from 'node:child_process'
import { createRequire } from 'node:module'
import { fileURLToPath, pathToFileURL } from 'node:url'
import type { HostToEngine } from '../shared/engine-protocol'
import type { EngineConnection, EngineLauncher } from './engine-host'

const engineEntry = fileURLToPath(new URL('../engine/process.ts', import.meta.url))
const tsxLoader = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href

export function nodeEngineLauncher(extraEnv: NodeJS.ProcessEnv = {}): EngineLauncher {
  return ({ backend }) => {
    const child = fork(engineEntry, [], {
      execArgv: ['--import', tsxLoader],
      env: { ...process.env, ...extraEnv, GANVAS_BACKEND: backend },
      serialization: 'advanced',
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    })
    let exited = false
    const connection: EngineConnection = {
      pid: child.pid ?? null,
      send(message: HostToEngine) {
        if (!exited && child.connected) child.send(message)
      },
      onMessage(listener) {
        child.on('message', listener)
      },
      onExit(listener) {
        child.once('exit', (code, signal) => {
          exited = true
          listener(code ?? (signal ? 128 : null))
        })
      },
      kill() {
        if (!exited) child.kill('SIGKILL')
      },
    }
    child.on('error', (error) => console.error('[engine] could not start the engine process:', error.message))
    return connection
  }
}
