import type { Command } from 'commander'
import { resolveHome } from '../../service/app-home'
import { createHost } from '../../service/host'
import { nodeEngineLauncher } from '../../service/node-launcher'
import type { BackendPreference } from '../../shared/schemas'
import { CliError } from '../fail'
import { backendFromEnv, parseBackend } from '../options'
import { version } from '../paths'

export function registerInfo(program: Command): void {
  program
    .command('info')
    .description('start the engine and print its backend, device and versions')
    .option('--backend <name>', 'auto | tensorflow | wasm | cpu', parseBackend)
    .option('--json', 'print one JSON object')
    .action(async (options: { backend?: BackendPreference; json?: boolean }) => {
      const home = resolveHome()
      const host = await createHost({
        home,
        transport: 'serve',
        version,
        launcher: nodeEngineLauncher(),
        backendOverride: options.backend ?? backendFromEnv(),
      })
      try {
        await host.engine.whenReady().catch(() => {})
        const status = host.engine.status
        if (options.json) {
          process.stdout.write(JSON.stringify({ ganvas: version, node: process.versions.node, home: home.root, engine: status }) + '\n')
        } else {
          const lines = [
            `Ganvas     ${version}`,
            `Node       ${process.versions.node}`,
            `TF.js      ${status.tfjsVersion || 'unknown'}`,
            `Backend    ${status.backend ?? 'none'}${status.backendPackage ? ` (${status.backendPackage})` : ''}`,
            `Device     ${status.device}`,
            `Data       ${home.root}`,
            'Backends tried:',
            ...status.attempts.map((a) => `  ${a.ok ? '✓' : '✗'} ${a.backend}: ${a.reason}`),
          ]
          process.stdout.write(lines.join('\n') + '\n')
        }
        if (status.state === 'failed') throw new CliError(status.lastError ?? 'the engine could not start')
      } finally {
        host.dispose()
      }
    })
}
