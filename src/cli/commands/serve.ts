import { spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { createRequire } from 'node:module'
import type { Command } from 'commander'
import { startServer } from '../../server'
import { resolveHome } from '../../service/app-home'
import { createHost } from '../../service/host'
import { nodeEngineLauncher } from '../../service/node-launcher'
import type { BackendPreference } from '../../shared/schemas'
import { CliError } from '../fail'
import { backendFromEnv, parseBackend, parsePort } from '../options'
import { projectRoot, rendererDir, version } from '../paths'

interface ServeFlags {
  port: number
  host: string
  root: string[]
  backend?: BackendPreference
}

export function registerServe(program: Command): void {
  program
    .command('serve')
    .description('run the studio in a browser: serves it on 127.0.0.1 behind a token')
    .option('--port <n>', 'port to listen on (0 picks a free one)', parsePort, 4810)
    .option('--host <address>', 'address to bind; anything but loopback exposes the studio to your network', '127.0.0.1')
    .option('--root <folder>', 'a folder the studio may read (repeatable)', (v: string, all: string[]) => [...all, v], [])
    .option('--backend <name>', 'auto | tensorflow | wasm | cpu', parseBackend)
    .action(async (flags: ServeFlags) => {
      for (const root of flags.root) if (!existsSync(root)) throw new CliError(`--root ${root}: no such folder`)
      if (!existsSync(rendererDir)) buildStudio()
      const home = resolveHome()
      const host = await createHost({
        home,
        transport: 'serve',
        version,
        launcher: nodeEngineLauncher(),
        backendOverride: flags.backend ?? backendFromEnv(),
        roots: flags.root,
      })
      const server = await startServer({ host, rendererDir, port: flags.port, bindHost: flags.host }).catch((error: Error) => {
        host.dispose()
        throw new CliError((error as NodeJS.ErrnoException).code === 'EADDRINUSE' ? `port ${flags.port} is in use: pick another with --port` : error.message)
      })
      if (!['127.0.0.1', 'localhost', '::1'].includes(flags.host)) {
        process.stderr.write(`Warning: listening on ${flags.host}; anyone on your network who has the token can use this studio.\n`)
      }
      process.stdout.write(`Ganvas ${version} is serving the studio. Open:\n\n    ${server.url}\n\nData: ${home.root}\nReadable folders: ${host.guard.roots.join(', ')}\nPress Ctrl+C to stop.\n`)
      host.events.subscribe((event) => {
        if (event.type === 'engine.status' && event.status.state === 'ready') {
          process.stdout.write(`Engine ready: ${event.status.backend} on ${event.status.device}\n`)
        }
      })
      const stop = () => {
        host.dispose()
        void server.close().then(() => process.exit(0))
      }
      process.once('SIGINT', stop)
      process.once('SIGTERM', stop)
    })
}

/** First run from a fresh clone: build the renderer so `ganvas serve` just works. */
function buildStudio(): void {
  process.stdout.write('Building the studio once (npm run build)…\n')
  const bin = createRequire(import.meta.url).resolve('electron-vite/bin/electron-vite.js')
  const result = spawnSync(process.execPath, [bin, 'build'], { cwd: projectRoot, stdio: 'inherit' })
  if (result.status !== 0) throw new CliError('building the studio failed; run "npm run build" to see why')
}
