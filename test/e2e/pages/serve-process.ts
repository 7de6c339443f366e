/**
 * Starts `ganvas serve` as a child process for the e2e tests and stops it (with its engine
 * process) afterwards. The child gets its own process group so nothing outlives the test.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { fileURLToPath } from 'node:url'

export const projectRoot = fileURLToPath(new URL('../../../', import.meta.url))

export interface ServeProcess {
  /** The printed URL, with ?token=. */
  url: string
  /** http://127.0.0.1:PORT without a path. */
  base: string
  token: string
  /** Everything the server printed so far, for failure messages. */
  output(): string
  stop(): Promise<void>
}

const URL_PATTERN = /(http:\/\/127\.0\.0\.1:\d+)\/\?token=([0-9a-f]+)/

export async function startServe(options: { home: string; args: string[]; timeoutMs: number }): Promise<ServeProcess> {
  const child = spawn(process.execPath, ['bin/ganvas.js', 'serve', '--port', '0', ...options.args], {
    cwd: projectRoot,
    env: { ...process.env, GANVAS_HOME: options.home },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  })
  let log = ''
  child.stdout?.on('data', (chunk: Buffer) => (log += chunk.toString()))
  child.stderr?.on('data', (chunk: Buffer) => (log += chunk.toString()))

  const stop = () => stopProcessGroup(child)
  try {
    const match = await new Promise<RegExpMatchArray>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no URL within ${options.timeoutMs} ms`)), options.timeoutMs)
      const look = () => {
        const found = URL_PATTERN.exec(log)
        if (found) {
          clearTimeout(timer)
          resolve(found)
        }
      }
      child.stdout?.on('data', look)
      child.once('exit', (code) => {
        clearTimeout(timer)
        reject(new Error(`serve exited with code ${code} before printing its URL`))
      })
    })
    return { url: match[0], base: match[1]!, token: match[2]!, output: () => log, stop }
  } catch (error) {
    await stop()
    throw new Error(`${(error as Error).message}\n--- serve output ---\n${log}`)
  }
}

/** SIGTERM lets serve dispose its engine; SIGKILL to the group if it does not exit in time. */
async function stopProcessGroup(child: ChildProcess): Promise<void> {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  const signalGroup = (signal: NodeJS.Signals) => {
    try {
      process.kill(-child.pid!, signal)
    } catch {
      // The group is already gone.
    }
  }
  signalGroup('SIGTERM')
  const timeout = new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), 10_000).unref())
  if ((await Promise.race([exited, timeout])) === 'timeout') signalGroup('SIGKILL')
  await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 2000).unref())])
  // The engine child shares the group; make sure it is gone too.
  signalGroup('SIGKILL')
}
